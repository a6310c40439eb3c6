"""Finding lexicon graphemes in text (`LexiconMatcher`).

- Whole words only: a match is never preceded or followed by a letter, a digit or a combining mark, so
  "tomato" does not match inside "tomatoes". Graphemes may contain apostrophes, hyphens and spaces
  ("New York"); a space in a grapheme matches any run of whitespace in the text.
- Case: a grapheme written all in lower case matches the text in any case ("tomato" matches "Tomato"
  and "TOMATO"; compared with `str.casefold`). A grapheme with any upper-case letter matches only that
  exact spelling ("US" does not match "us", "SQL" does not match "sql").
- Left to right, never overlapping, the longest match at each position first. When several entries
  match the same text, the earlier lexicon in the list wins; within one lexicon an exact-case grapheme
  wins over a lower-case one, and otherwise the first entry wins.

Each lexicon is compiled ONCE into a `CompiledLexicon`: two dictionaries (exact spellings, and
case-folded lower-case spellings) from the grapheme to its entry. A matcher over several lexicons is
only the list of their compiled forms, so any combination of lexicons costs nothing to build and the
compiled forms can be cached one per lexicon (`size_bytes` is what to budget them by: dictionaries
take about a tenth of the memory a character trie would). `find` looks up, from each place a word can
start, the spans that end at a word boundary no longer than the longest grapheme, longest first.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections.abc import Sequence

from mynah.text.lexicon.model import Lexicon, LexiconEntry, LexiconMatch, clean

_WHITESPACE = re.compile(r"\s+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


class CompiledLexicon:
    """One lexicon's graphemes, ready for matching: build once, share between matchers."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.exact: dict[str, LexiconEntry] = {}
        self.folded: dict[str, LexiconEntry] = {}
        self.longest = 0
        """Characters of the longest grapheme (spaces counted once)."""
        for entry in lexicon.entries:
            for grapheme in entry.graphemes:
                grapheme = clean(grapheme)
                if not grapheme:
                    continue
                if grapheme == grapheme.lower():
                    self.folded.setdefault(grapheme.casefold(), entry)
                else:
                    self.exact.setdefault(grapheme, entry)
                self.longest = max(self.longest, len(grapheme))
        self.size_bytes = _estimate(self.exact) + _estimate(self.folded)
        """An estimate of the memory the compiled form holds."""

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded)


def _estimate(table: dict[str, LexiconEntry]) -> int:
    keys = sum(sys.getsizeof(key) for key in table)
    return keys + sys.getsizeof(table)


class LexiconMatcher:
    """Find lexicon graphemes in text. The rules (words, case, precedence) are in the module docstring."""

    def __init__(self, lexicons: Sequence[Lexicon | CompiledLexicon]) -> None:
        self.compiled = tuple(c if isinstance(c, CompiledLexicon) else CompiledLexicon(c) for c in lexicons)
        self.lexicons = tuple(c.lexicon for c in self.compiled)
        self._active = tuple(c for c in self.compiled if c)
        self._longest = max((c.longest for c in self._active), default=0)

    def __bool__(self) -> bool:
        return bool(self._active)

    def find(self, text: str) -> list[LexiconMatch]:
        """Every match in `text`, left to right, never overlapping."""
        matches: list[LexiconMatch] = []
        if not self:
            return matches
        view = _Collapsed(text)
        position = 0
        size = len(view.text)
        previous_is_word = False
        while position < size:
            char = view.text[position]
            if not previous_is_word and char != " ":
                found = self._longest_at(view, position)
                if found is not None:
                    end, entry = found
                    matches.append(LexiconMatch(view.original(position), view.original_end(end), entry))
                    position = end
                    previous_is_word = view.word[end - 1]
                    continue
            previous_is_word = view.word[position]
            position += 1
        return matches

    def _longest_at(self, view: _Collapsed, start: int) -> tuple[int, LexiconEntry] | None:
        ends = view.ends
        low = bisect.bisect_right(ends, start)
        high = bisect.bisect_right(ends, start + self._longest)
        for end in reversed(ends[low:high]):  # longest first
            span = view.text[start:end]
            folded: str | None = None
            for compiled in self._active:  # earlier lexicons win; exact spelling before any case
                if end - start > compiled.longest:
                    continue
                entry = compiled.exact.get(span)
                if entry is None and compiled.folded:
                    folded = span.casefold() if folded is None else folded
                    entry = compiled.folded.get(folded)
                if entry is not None:
                    return end, entry
        return None


class _Collapsed:
    """`text` with each whitespace run as one space, the offsets back into `text`, which characters
    are word characters, and where a match may end (after a non-space, before a non-word character)."""

    def __init__(self, source: str) -> None:
        pieces: list[str] = []
        self._starts: list[int] = []  # collapsed offset of each piece
        self._origins: list[int] = []  # original offset of each piece
        self._runs: list[bool] = []  # the piece is one collapsed whitespace run
        at = cursor = 0
        for run in _WHITESPACE.finditer(source):
            if run.start() > cursor:
                self._add(pieces, source[cursor : run.start()], at, cursor, False)
                at += run.start() - cursor
            self._add(pieces, " ", at, run.start(), True)
            at += 1
            cursor = run.end()
        if cursor < len(source):
            self._add(pieces, source[cursor:], at, cursor, False)
        self.text = "".join(pieces)
        self._source_len = len(source)
        self.word = [_is_word_char(c) for c in self.text]
        size = len(self.text)
        self.ends = [
            p for p in range(1, size + 1) if self.text[p - 1] != " " and (p == size or not self.word[p])
        ]

    def _add(self, pieces: list[str], piece: str, at: int, origin: int, run: bool) -> None:
        pieces.append(piece)
        self._starts.append(at)
        self._origins.append(origin)
        self._runs.append(run)

    def original(self, position: int) -> int:
        """The offset in the source of the character at `position`."""
        index = bisect.bisect_right(self._starts, position) - 1
        if self._runs[index]:
            return self._origins[index]
        return self._origins[index] + position - self._starts[index]

    def original_end(self, end: int) -> int:
        """The source offset just after the character before `end` (never inside a whitespace run:
        matches end after a non-space)."""
        return self.original(end - 1) + 1
