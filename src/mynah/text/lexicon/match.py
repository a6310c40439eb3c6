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
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from mynah.text.lexicon.model import Lexicon, LexiconEntry, LexiconMatch, clean


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.value: tuple[tuple[int, int], LexiconEntry] | None = None
        """The entry ending here, with its precedence (lexicon index, 0 exact / 1 any case)."""


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


class LexiconMatcher:
    """Find lexicon graphemes in text. The rules (words, case, precedence) are in the module docstring.

    The lexicons are compiled once into two tries (exact spellings, and case-folded lower-case
    spellings); `find` walks them from each place a word can start, so its cost grows with the length
    of the text, not with the number of entries."""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = tuple(lexicons)
        self._exact = _Node()
        self._folded = _Node()
        for index, lexicon in enumerate(self.lexicons):
            for entry in lexicon.entries:
                for grapheme in entry.graphemes:
                    grapheme = clean(grapheme)
                    if not grapheme:
                        continue
                    if grapheme == grapheme.lower():
                        self._insert(self._folded, grapheme.casefold(), (index, 1), entry)
                    else:
                        self._insert(self._exact, grapheme, (index, 0), entry)

    @staticmethod
    def _insert(root: _Node, key: str, rank: tuple[int, int], entry: LexiconEntry) -> None:
        node = root
        for char in key:
            node = node.children.setdefault(char, _Node())
        if node.value is None or rank < node.value[0]:
            node.value = (rank, entry)

    def __bool__(self) -> bool:
        return bool(self._exact.children or self._folded.children)

    def find(self, text: str) -> list[LexiconMatch]:
        """Every match in `text`, left to right, never overlapping."""
        matches: list[LexiconMatch] = []
        if not self:
            return matches
        size = len(text)
        position = 0
        previous_is_word = False
        while position < size:
            char = text[position]
            if not previous_is_word and not char.isspace():
                found = self._longest_at(text, position)
                if found is not None:
                    end, entry = found
                    matches.append(LexiconMatch(position, end, entry))
                    position = end
                    previous_is_word = _is_word_char(text[end - 1])
                    continue
            previous_is_word = _is_word_char(char)
            position += 1
        return matches

    def _longest_at(self, text: str, start: int) -> tuple[int, LexiconEntry] | None:
        exact = self._walk(text, start, self._exact, fold=False)
        folded = self._walk(text, start, self._folded, fold=True)
        if exact is None or folded is None:
            best = exact or folded
        elif exact[0] != folded[0]:
            best = max(exact, folded, key=lambda found: found[0])
        else:
            best = min(exact, folded, key=lambda found: found[1])
        return None if best is None else (best[0], best[2])

    @staticmethod
    def _walk(
        text: str, start: int, root: _Node, *, fold: bool
    ) -> tuple[int, tuple[int, int], LexiconEntry] | None:
        """The longest grapheme in `root` that starts at `start` and ends at a word boundary."""
        best: tuple[int, tuple[int, int], LexiconEntry] | None = None
        node: _Node | None = root
        size = len(text)
        position = start
        while node is not None and position < size:
            char = text[position]
            if char.isspace():
                node = node.children.get(" ")
                position += 1
                while position < size and text[position].isspace():
                    position += 1
                continue
            position += 1
            for key in char.casefold() if fold else char:
                node = node.children.get(key)
                if node is None:
                    break
            if (
                node is not None
                and node.value is not None
                and (position == size or not _is_word_char(text[position]))
            ):
                best = (position, node.value[0], node.value[1])
        return best
