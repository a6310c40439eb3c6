"""What a normaliser returns: spoken tokens that remember where in the input they came from.

A `NormalizedText` keeps the input (`source`), the spoken form (`text`) and the `tokens` that produced it.
Every token carries the half-open character span `[start, end)` of the ORIGINAL input it reads, so a word
timing from the synthesiser can be traced back to the characters the user wrote.

Coverage contract (checked by the property tests): every non-whitespace input character is inside
exactly one token span (spoken, `punct` or `silent`) or inside exactly one `unspoken` span. Spans are
ordered and never overlap.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

# Token categories that are not expansions: they are always produced and cannot be switched off.
PLAIN = "plain"
"""A word spoken as written."""
PUNCT = "punct"
"""Punctuation kept in `.text` for prosody: one of `. , ? ! ...`."""
SILENT = "silent"
"""Characters deliberately not spoken: quotes, brackets, markup, separators inside a reading."""

# Expansion categories: each can be enabled or disabled per call (see `normalize(categories=...)`).
CARDINAL = "cardinal"
ORDINAL = "ordinal"
DECIMAL = "decimal"
FRACTION = "fraction"
MONEY = "money"
MEASURE = "measure"
"""Numbers with units, percentages and temperatures."""
DATE = "date"
"""Dates, years, decades and eras."""
TIME = "time"
RANGE = "range"
TELEPHONE = "telephone"
ELECTRONIC = "electronic"
"""URLs, e-mail addresses, domains, file names, @handles and #hashtags."""
ROMAN = "roman"
ABBREVIATION = "abbreviation"
ACRONYM = "acronym"
"""Upper-case words, spelled letter by letter or read as a word."""
CODE = "code"
"""Letter-digit codes, serials, versions and IP addresses."""
SYMBOL = "symbol"
"""Symbols and math read aloud: `&`, `+`, `=`, `§`, `#1`, ..."""
MARKUP = "markup"
"""Markdown and HTML stripping. Its tokens have category `silent`."""

CATEGORIES: frozenset[str] = frozenset(
    {
        CARDINAL,
        ORDINAL,
        DECIMAL,
        FRACTION,
        MONEY,
        MEASURE,
        DATE,
        TIME,
        RANGE,
        TELEPHONE,
        ELECTRONIC,
        ROMAN,
        ABBREVIATION,
        ACRONYM,
        CODE,
        SYMBOL,
        MARKUP,
    }
)
"""The categories a caller may enable or disable."""

SENTENCE_END = frozenset({".", "?", "!"})


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range `[start, end)` of the original input."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Token:
    """One reading: `spoken` (one or more words, or a punctuation mark) for `source[start:end]`."""

    spoken: str
    start: int
    end: int
    category: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def is_silent(self) -> bool:
        return self.category == SILENT

    @property
    def is_punct(self) -> bool:
        return self.category == PUNCT


@dataclass(frozen=True, slots=True)
class Piece:
    """Where one token landed in `NormalizedText.text`: `text[start:end] == token.spoken`."""

    start: int
    end: int
    token: Token


class SpanMap:
    """Maps offsets in `NormalizedText.text` back to spans of the original input."""

    __slots__ = ("_ends", "_pieces", "_starts")

    def __init__(self, pieces: tuple[Piece, ...]) -> None:
        self._pieces = pieces
        self._starts = [p.start for p in pieces]
        self._ends = [p.end for p in pieces]

    @property
    def pieces(self) -> tuple[Piece, ...]:
        return self._pieces

    def piece_at(self, offset: int) -> Piece | None:
        """The piece whose spoken text contains `offset`; None on the spaces between pieces."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._ends[i]:
            return self._pieces[i]
        return None

    def token_at(self, offset: int) -> Token | None:
        piece = self.piece_at(offset)
        return piece.token if piece is not None else None

    def source_span(self, offset: int) -> Span | None:
        """The input span read by the word at `offset` of the spoken text."""
        token = self.token_at(offset)
        return token.span if token is not None else None

    def source_range(self, start: int, end: int) -> Span | None:
        """The smallest input span covering every piece that overlaps `text[start:end]`."""
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        if lo >= hi:
            return None
        return Span(self._pieces[lo].token.start, self._pieces[hi - 1].token.end)


def assemble(tokens: tuple[Token, ...]) -> tuple[str, tuple[Piece, ...]]:
    """Join spoken tokens into text: words separated by one space, punctuation attached to the left."""
    parts: list[str] = []
    pieces: list[Piece] = []
    append_part = parts.append
    append_piece = pieces.append
    pos = -1  # no space before the first piece
    for token in tokens:
        spoken = token.spoken
        if not spoken:  # silent
            continue
        if token.category != PUNCT:
            append_part(" ")
            pos += 1
        append_piece(Piece(pos, pos + len(spoken), token))
        append_part(spoken)
        pos += len(spoken)
    text = "".join(parts)
    if text.startswith(" "):
        text = text[1:]
    else:  # the first piece was punctuation (only possible for hand-built tokens): undo the offset
        pieces = [Piece(p.start + 1, p.end + 1, p.token) for p in pieces]
    return text, tuple(pieces)


@dataclass(frozen=True)
class NormalizedText:
    """The spoken form of `source`, token by token.

    `text` is what to synthesise; `tokens` (ordered, non-overlapping) say which input characters each
    part of it reads; `unspoken` lists input characters nobody could read (emoji, control characters).
    """

    source: str
    tokens: tuple[Token, ...]
    unspoken: tuple[Span, ...] = ()
    language: str = "en"
    text: str = field(init=False)
    _pieces: tuple[Piece, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text, pieces = assemble(self.tokens)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "_pieces", pieces)

    def __str__(self) -> str:
        return self.text

    @cached_property
    def _span_map(self) -> SpanMap:
        return SpanMap(self._pieces)

    def span_map(self) -> SpanMap:
        """Offsets of `text` -> spans of `source`."""
        return self._span_map

    @property
    def words(self) -> tuple[Token, ...]:
        """The tokens that put words into `text` (neither silent nor punctuation)."""
        return tuple(t for t in self.tokens if t.category not in (SILENT, PUNCT))

    @property
    def span(self) -> Span:
        """The input range this text covers: from its first token to its last."""
        if not self.tokens:
            return Span(0, 0)
        return Span(self.tokens[0].start, self.tokens[-1].end)

    def iter_pieces(self) -> Iterator[Piece]:
        return iter(self._pieces)
