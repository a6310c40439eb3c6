"""Text that arrives piece by piece (an LLM writing) cut into speakable units as early as is safe.

    buffer = TextBuffer(schedule=(50, 120, 250))
    buffer.add("Well, as I said")    -> [Unit(0, "Well,")]              an utterance's first clause
    buffer.add(", so. Then")         -> [Unit(5, " as I said, so.")]    later clauses need 12 characters;
                                                                         a sentence end always cuts
    buffer.flush()                   -> [Unit(20, " Then")]             whatever is held, now
    buffer.end()                     -> []                              ... and a new utterance begins

A unit ends at a sentence end (. ! ?), or a clause mark (, ; : — –), as soon as the mark arrives:
the first unit of an utterance at any clause mark after a word ("Sure," is spoken while the rest of
its sentence is still being written: nothing is playing yet, so first audio is what counts), later
units only after at least `MIN_CLAUSE_CHARS` characters (a one-word unit in the middle plays out
before the next is ready). Not when what comes before the mark says it may not end anything: a digit
before "." or "," (3.5, 1,000), a known abbreviation or a single letter before "." (Dr., U.S.). Then
the next character decides. Without any boundary, the n-th unit of an utterance is cut once it holds
`schedule[n]` characters (the last entry repeats; a first unit shorter than `MIN_CLAUSE_CHARS` does
not count), at its last clause mark, else its last space: first audio comes quickly, later units
grow long enough to sound natural. `end()` (or `skip()`) starts the next utterance.

Every unit knows its offset in everything added so far, so timings can point into the whole text.
Units with nothing to speak (only punctuation or spaces) stay in the buffer and lead the next unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mynah.errors import PayloadTooLarge

__all__ = ["TextBuffer", "TextUnit"]

SENTENCE_ENDS = frozenset(".!?")
CLAUSE_MARKS = frozenset(",;:—–")
MIN_CLAUSE_CHARS = 12
"""After an utterance's first unit, a clause mark ends a unit only after this much text: a one-word
unit in the middle of a reply plays out before the next is ready, and playback would run dry."""
_CLOSERS = frozenset("\"')]”’»")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co", "vol", "fig"}
)


@dataclass(frozen=True)
class TextUnit:
    start: int
    """Offset of `text` in everything the buffer was given."""
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class TextBuffer:
    def __init__(self, schedule: Sequence[int] = (50, 120, 250), max_chars: int = 20_000) -> None:
        if not schedule or any(n < 1 for n in schedule):
            raise ValueError("the length schedule needs at least one positive length")
        self._schedule = tuple(schedule)
        self._max_chars = max_chars
        self._text = ""
        self._start = 0
        """Offset of `_text[0]` in everything added."""
        self.units = 0
        """Units cut so far."""
        self._paced = 0
        """Units of this utterance that count for the length schedule."""
        self._fresh = True
        """No unit of this utterance is cut yet."""

    @property
    def pending(self) -> str:
        return self._text

    @property
    def offset(self) -> int:
        """Characters added so far."""
        return self._start + len(self._text)

    def add(self, text: str) -> list[TextUnit]:
        """Append `text`; the units that are ready now."""
        if len(self._text) + len(text) > self._max_chars:
            raise PayloadTooLarge(
                f"a speech stream holds at most {self._max_chars:,} characters not yet spoken",
                param="text",
            )
        self._text += text
        units: list[TextUnit] = []
        while (cut := self._next_cut()) is not None:
            unit = self._take(cut)
            if unit is None:
                break
            units.append(unit)
        return units

    def flush(self) -> list[TextUnit]:
        """Everything held, as one unit (none if nothing in it can be spoken)."""
        unit = self._take(len(self._text)) if self._text else None
        if unit is None:  # nothing speakable: dropped, offsets still count it
            self._start += len(self._text)
            self._text = ""
        return [unit] if unit is not None else []

    def end(self) -> list[TextUnit]:
        """The utterance is over: what is held (as `flush`); the next text starts a new one."""
        units = self.flush()
        self._new_utterance()
        return units

    def skip(self) -> None:
        """Drop what is held (after a cancel): offsets still count it. A new utterance begins."""
        self._start += len(self._text)
        self._text = ""
        self._new_utterance()

    def _new_utterance(self) -> None:
        self._paced = 0
        self._fresh = True

    # ------------------------------------------------------------------------------------ cutting

    def _limit(self) -> int:
        return self._schedule[min(self._paced, len(self._schedule) - 1)]

    def _next_cut(self) -> int | None:
        """Where the held text can end a unit: just after its first safe boundary (with any closing
        quote), else at the length schedule; None when it must wait for more."""
        text = self._text
        for index, char in enumerate(text):
            if char not in SENTENCE_ENDS and char not in CLAUSE_MARKS:
                continue
            end = index + 1
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            if end < len(text):
                following = text[end]
                if following in SENTENCE_ENDS or following in CLAUSE_MARKS or not following.isspace():
                    continue  # a run of marks ("?!", "...") ends later; 3.5 and 1,000 are one word
            elif self._may_continue(text, index):
                return None  # the next character decides
            if char == "." and _is_abbreviation(text, index):
                continue
            if _speakable(text[:end]) and (
                char in SENTENCE_ENDS or self._fresh or len(text[:end].strip()) >= MIN_CLAUSE_CHARS
            ):
                return end
        limit = self._limit()
        if len(text) < limit:
            return None
        head = text[:limit]
        for index in range(len(head) - 1, 0, -1):
            if head[index] in CLAUSE_MARKS and _speakable(head[:index]):
                return index + 1
        space = head.rstrip().rfind(" ")
        if space > 0 and _speakable(head[:space]):
            return space
        return None if not _speakable(head) else limit

    @staticmethod
    def _may_continue(text: str, index: int) -> bool:
        """A mark at the very end that the next character could still make part of a word."""
        char = text[index]
        before = text[index - 1] if index else ""
        if char in ".," and before.isdigit():
            return True
        return char == "." and _is_abbreviation(text, index)

    def _take(self, end: int) -> TextUnit | None:
        piece = self._text[:end]
        if not _speakable(piece):
            return None
        unit = TextUnit(self._start, piece)
        self._text = self._text[end:]
        self._start += end
        self.units += 1
        if not (self._fresh and len(piece.strip()) < MIN_CLAUSE_CHARS):
            self._paced += 1
        self._fresh = False
        return unit


def _speakable(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _is_abbreviation(text: str, index: int) -> bool:
    """`text[index]` is a "." ending an abbreviation (Dr.) or initials (J. / U.S.), not "..."."""
    if text[index] != "." or index == 0 or text[index - 1] == ".":
        return False
    start = index
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:index].lower()
    parts = [p for p in word.split(".") if p]
    return bool(parts) and (word in _ABBREVIATIONS or all(len(p) == 1 for p in parts))
