"""What a lexicon is once parsed (`Lexicon`, `LexiconEntry`, `LexiconMatch`), the limits every parser
enforces, and the checks the PLS and JSON parsers share (size, graphemes, language tags)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mynah.errors import InvalidRequest, PayloadTooLarge
from mynah.text.checks import MAX_INTEGER_DIGITS, check_text

MAX_LEXICON_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_GRAPHEME_CHARS = 200
MAX_DEPTH = 32
MAX_ALIAS_CHARS = 1_000
"""Longest alias or pronunciation: an alias is spoken in place of a word at every occurrence, so a
long one multiplies the text (the spoken-character budget of a request counts after expansion too)."""

_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LexiconEntry:
    """One lexeme: the spellings it covers, and what to say for them (exactly one of alias / ipa)."""

    graphemes: tuple[str, ...]
    alias: str | None = None
    """Text to speak instead of the grapheme."""
    ipa: str | None = None
    """The pronunciation in IPA (X-SAMPA input is converted when parsed)."""

    def __post_init__(self) -> None:
        if not self.graphemes:
            raise InvalidRequest("a lexicon entry needs at least one grapheme")
        if (self.alias is None) == (self.ipa is None):
            raise InvalidRequest(f"lexicon entry {self.graphemes[0]!r} needs exactly one of alias or ipa")
        for grapheme in self.graphemes:
            check_text(grapheme, "lexicon")
        said = self.alias if self.alias is not None else self.ipa
        if said is not None:
            check_text(said, "lexicon")
            if len(said) > MAX_ALIAS_CHARS:
                kind = "alias" if self.alias is not None else "pronunciation"
                raise PayloadTooLarge(
                    f"lexicon entry {self.graphemes[0][:40]!r}: the {kind} is {len(said):,} characters; "
                    f"the limit is {MAX_ALIAS_CHARS:,}",
                    param="lexicon",
                    code="alias_too_long",
                )


@dataclass(frozen=True)
class Lexicon:
    name: str
    language: str | None
    entries: tuple[LexiconEntry, ...]


@dataclass(frozen=True)
class LexiconMatch:
    """`text[start:end]` is spoken as `entry` says."""

    start: int
    end: int
    entry: LexiconEntry


def check_size(data: bytes | str) -> bytes:
    """The document as bytes; `PayloadTooLarge` over MAX_LEXICON_BYTES."""
    encoded = data.encode("utf-8") if isinstance(data, str) else data
    if len(encoded) > MAX_LEXICON_BYTES:
        raise PayloadTooLarge(
            f"lexicon is {len(encoded):,} bytes; the limit is {MAX_LEXICON_BYTES:,}", param="lexicon"
        )
    return encoded


def json_integer(literal: str) -> int:
    """`json.loads(parse_int=...)`: integers of at most MAX_INTEGER_DIGITS digits."""
    if len(literal.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InvalidRequest(
            f"JSON lexicon has a {len(literal):,}-digit integer; the limit is {MAX_INTEGER_DIGITS}",
            param="lexicon",
        )
    return int(literal)


def clean(text: str) -> str:
    """Runs of whitespace as one space, trimmed: how graphemes and pronunciations are compared."""
    return _WHITESPACE.sub(" ", text).strip()


def language_tag(value: str | None, where: str) -> str | None:
    """A BCP 47-shaped tag such as en-US, or None when empty; `where` names the field in errors."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _LANGUAGE.fullmatch(value) or len(value) > 64:
        raise InvalidRequest(f"{where}: {value!r} is not a language tag such as en-US", param="lexicon")
    return value


def grapheme(text: str, where: str) -> str:
    """A cleaned, non-empty grapheme of at most MAX_GRAPHEME_CHARS."""
    cleaned = clean(text)
    if not cleaned:
        raise InvalidRequest(f"{where}: empty grapheme", param="lexicon")
    if len(cleaned) > MAX_GRAPHEME_CHARS:
        raise InvalidRequest(
            f"{where}: grapheme is {len(cleaned)} characters; the limit is {MAX_GRAPHEME_CHARS}",
            param="lexicon",
        )
    return cleaned


def too_many(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"lexicon has more than {limit:,} entries", param="lexicon")
