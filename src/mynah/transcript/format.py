"""Smart formatting: a transcript of spoken words made to read as written text.

    "twenty five dollars on march third"  ->  "$25 on March 3"

format_words(words) -> [Token]        each token the written form of words[first:last]
smart_format(transcription)           the transcription with every segment's words formatted: a
                                      formatted word spans (start of the first, end of the last, the
                                      lowest probability of) the words it replaced

Inverse text normalisation, in the order the rules are tried at each word: e-mail addresses and web
addresses spoken aloud ("john dot smith at example dot com"), times ("three thirty p m" -> "3:30
p.m."), dates (`mynah.transcript.dates`: "march third twenty twenty four" -> "March 3, 2024", "the
fifth of june" -> "June 5", "friday the 4th of October" -> "Friday, October 4"),
digit strings read one by one (phone numbers "555-123-4567", card numbers in fours), money ("$25.50",
"$1.5 million"), percentages ("25%"), years ("fourteen fifty five" after "in", "of about" -> 1455),
ordinals from 10th ("the 15th century"; "first" to "ninth" stay words) and cardinals from 10 (small
numbers stay words, as Whisper writes them, except before a unit: "5 meters").

Capitals and full stops are added only to a segment that has none (pocketsphinx): its first word, "I",
months and days, and a sentence break at a pause of `SENTENCE_PAUSE` seconds or more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mynah.transcript.dates import DAYS, MONTH_NAMES, date_at, ordinal_suffix, time_at
from mynah.transcript.spoken import SpokenNumber, parse_digits, parse_number, parse_year, plain
from mynah.types import Segment, Transcription, Word, join_words

__all__ = [
    "NOT_LOCAL",
    "SENTENCE_PAUSE",
    "TLDS",
    "Token",
    "format_text",
    "format_words",
    "glued",
    "smart_format",
]

SENTENCE_PAUSE = 0.8
"""A pause this long (seconds) between two words of a segment without punctuation ends a sentence."""

_PROPER = (
    {k: v for k, v in MONTH_NAMES.items() if k not in ("may", "march")}
    | DAYS
    | {"i": "I", "i'm": "I'm", "i've": "I've", "i'll": "I'll", "i'd": "I'd"}
)
TLDS = frozenset(
    [
        "com",
        "org",
        "net",
        "edu",
        "gov",
        "io",
        "co",
        "uk",
        "us",
        "de",
        "fr",
        "info",
        "biz",
        "ai",
        "me",
        "tv",
        "ca",
        "au",
    ]
)
_CURRENCIES = {
    "dollar": "$", "dollars": "$", "bucks": "$", "euro": "€", "euros": "€",
    "pound": "£", "pounds": "£",
}  # fmt: skip
_SUBUNITS = ("cents", "cent", "pence", "penny")
_PERCENT = ("percent", "per cent")
_UNITS = frozenset(
    [
        "meter",
        "meters",
        "metre",
        "metres",
        "kilometer",
        "kilometers",
        "kilometres",
        "mile",
        "miles",
        "foot",
        "feet",
        "inch",
        "inches",
        "yard",
        "yards",
        "gram",
        "grams",
        "kilogram",
        "kilograms",
        "kilo",
        "kilos",
        "ounce",
        "ounces",
        "liter",
        "liters",
        "litre",
        "litres",
        "degree",
        "degrees",
        "volt",
        "volts",
        "watt",
        "watts",
        "hertz",
        "kilobytes",
        "megabytes",
        "gigabytes",
    ]
)
_YEAR_CUES = frozenset(
    ("in", "of", "about", "since", "year", "around", "until", "from", "by", "before", "after")
)
_MARKS = "\"'([.,?!;:)]"
"""Punctuation around a spoken word that its written form keeps ("ten," -> "10,")."""


@dataclass(frozen=True)
class Token:
    """The written form of words[first:last] of the words formatted."""

    text: str
    first: int
    last: int
    changed: bool = True
    """False: one word passed through as it was."""


def format_words(words: Sequence[str]) -> list[Token]:
    """The written tokens for spoken `words` (their texts), left to right, each rule tried in turn."""
    tokens = [plain(w) for w in words]
    named = [w.lstrip(_MARKS)[:1].isupper() for w in words]
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        found = _named_email(tokens, named, i) or _rule_at(tokens, i)
        if found is None:
            out.append(Token(words[i], i, i + 1, changed=False))
            i += 1
            continue
        text, used = found
        out.append(Token(text, i, i + used))
        i += used
    return out


def _rule_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    for rule in (_email, _web, time_at, date_at, _digit_string, _quantity):
        if (found := rule(tokens, i)) is not None:
            return found
    return None


# ------------------------------------------------------------------------------ e-mail and web

_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
"""A piece of an address as a word: "john", or already written, "john.smith", "example.com"."""
_JOINERS = {"dot": ".", "dash": "-", "hyphen": "-", "underscore": "_"}
NOT_LOCAL = frozenset(
    ("me", "us", "him", "her", "them", "you", "it", "that", "this", "what", "look", "looking", "looked",
     "is", "are", "was", "be", "am", "arrive", "arrived", "stay", "staying", "work", "working", "works",
     "meet", "here", "there", "back", "online", "home", "available")
)  # fmt: skip
"""Words heard before "at" that are not the local part of an address ("e-mail me at ...")."""


def _dotted(tokens: list[str], i: int) -> tuple[str, int]:
    """A name spoken with dots, dashes and underscores ("john dot smith"), or written ("john.smith"),
    and the tokens it took."""
    if i >= len(tokens) or not _PART.match(tokens[i]):
        return "", 0
    parts, j = [tokens[i]], i + 1
    while j + 1 < len(tokens) and tokens[j] in _JOINERS and _PART.match(tokens[j + 1]):
        parts += [_JOINERS[tokens[j]], tokens[j + 1]]
        j += 2
    return "".join(parts), j - i


def _domain(tokens: list[str], i: int) -> tuple[str, int] | None:
    domain, used = _dotted(tokens, i)
    if not used or "." not in domain or domain.rsplit(".", 1)[1] not in TLDS:
        return None
    return domain, used


def _email(tokens: list[str], i: int) -> tuple[str, int] | None:
    """ "john dot smith at example dot com", "john.smith at example.com", "peter at novak.org"."""
    local, used = _dotted(tokens, i)
    j = i + used
    if not used or j >= len(tokens) or tokens[j] != "at" or local in NOT_LOCAL:
        return None
    found = _domain(tokens, j + 1)
    if found is None:
        return None
    return f"{local}@{found[0]}", used + 1 + found[1]


def _named_email(tokens: list[str], named: list[bool], i: int) -> tuple[str, int] | None:
    """ "John Smith at example.com": two capitalised words before "at" (Whisper's spelling of a
    name read out without a separator) are one local part, written together."""
    if not (i + 2 < len(tokens) and named[i] and named[i + 1] and tokens[i].isalpha()):
        return None
    rest = _email(tokens, i + 1)
    if rest is None or not tokens[i + 1].isalpha():
        return None
    return tokens[i] + rest[0], 1 + rest[1]


def _web(tokens: list[str], i: int) -> tuple[str, int] | None:
    j, prefix = i, ""
    if tokens[i : i + 3] == ["w", "w", "w"]:
        j, prefix = i + 3, "www"
        if j >= len(tokens) or tokens[j] != "dot":
            return None
        j += 1
    found = _domain(tokens, j)
    if found is None or (not prefix and found[1] == 1):
        return None  # a domain written already stays as the engine wrote it
    if not prefix and i > 0 and tokens[i - 1] == "at":
        return None  # the domain of an e-mail address whose local part was not a name
    return (f"{prefix}.{found[0]}" if prefix else found[0]), j - i + found[1]


# ------------------------------------------------------------------------------ numbers


def _digit_string(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Digits read one by one: a phone number (7, 10 or 11 digits), a card number (16, in fours), or
    the digits as they are ("four one one" -> "411")."""
    digits, used = parse_digits(tokens, i)
    if not used:
        return None
    n = len(digits)
    if n == 7:
        text = f"{digits[:3]}-{digits[3:]}"
    elif n == 10:
        text = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    elif n == 11 and digits[0] == "1":
        text = f"1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    elif n in (15, 16):
        text = " ".join(digits[k : k + 4] for k in range(0, n, 4))
    else:
        text = digits
    return text, used


def _quantity(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Money, percentages, years, ordinals and cardinals."""
    if i < len(tokens) and tokens[i] == "a" and tokens[i + 1 : i + 2] not in (["hundred"], ["thousand"]):
        return None
    number = parse_number(tokens, i)
    if number is None:
        return None
    j = i + number.consumed
    after = tokens[j] if j < len(tokens) else ""
    if not number.ordinal:
        if after in _CURRENCIES:
            return _money(tokens, number, i, j)
        if after in _SUBUNITS:
            return f"{number.digits()} {after}", j + 1 - i
        if after == "percent" or tokens[j : j + 2] == ["per", "cent"]:
            return f"{number.digits()}%", j + (1 if after == "percent" else 2) - i
        year = parse_year(tokens, i) if i > 0 and tokens[i - 1] in _YEAR_CUES else None
        if year is not None and (year[1] > number.consumed or number.whole >= 1000):
            return str(year[0]), year[1]
    if number.ordinal:
        if number.whole < 10 and number.consumed == 1:
            return None
        return f"{number.whole}{ordinal_suffix(number.whole)}", number.consumed
    if number.whole < 10 and number.decimals is None and after not in _UNITS:
        return None
    return number.digits(), number.consumed


def _money(tokens: list[str], number: SpokenNumber, i: int, j: int) -> tuple[str, int]:
    symbol = _CURRENCIES[tokens[j]]
    j += 1
    cents = None
    k = j + (j < len(tokens) and tokens[j] == "and")
    c = parse_number(tokens, k)
    if (
        c is not None
        and c.decimals is None
        and c.whole < 100
        and tokens[k + c.consumed : k + c.consumed + 1] in ([u] for u in _SUBUNITS)
    ):
        cents, j = c.whole, k + c.consumed + 1
    amount = number.digits() if number.whole >= 10 or number.decimals or number.scale else str(number.whole)
    if cents is not None and number.decimals is None and number.scale is None:
        amount = f"{amount}.{cents:02d}"
    return f"{symbol}{amount}", j - i


# ------------------------------------------------------------------------------ transcripts


def format_text(text: str) -> str:
    """The written form of a plain spoken text (no timings)."""
    words = text.split()
    return " ".join(t.text for t in format_words(words))


def smart_format(transcription: Transcription) -> Transcription:
    """Every segment formatted; its words replaced by formatted words that span what they replaced."""
    segments = tuple(_segment(s) for s in transcription.segments)
    return replace(transcription, segments=segments)


def _segment(segment: Segment) -> Segment:
    words = list(segment.words) or _pseudo_words(segment)
    if not words:
        return segment
    formatted = _format_segment_words(words)
    if _bare(segment.text):
        formatted = _punctuate(formatted)
    return replace(
        segment, text=join_words(formatted), words=tuple(formatted) if segment.words else segment.words
    )


def _pseudo_words(segment: Segment) -> list[Word]:
    texts = segment.text.split()
    return [Word(t, segment.start, segment.end, 1.0) for t in texts]


def glued(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Ranges of `words` that make one written word: Whisper's pieces ("Novak" ".org", "4111"
    "-1111") joined back (`joins_previous`), so a rule sees "Novak.org" whole."""
    units: list[tuple[int, int]] = []
    for g, word in enumerate(words):
        if units and word.joins_previous:
            units[-1] = (units[-1][0], g + 1)
        else:
            units.append((g, g + 1))
    return units


def _format_segment_words(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    units = glued(words)
    texts = ["".join(words[g].text for g in range(a, b)) for a, b in units]
    for token in format_words(texts):
        source = words[units[token.first][0] : units[token.last - 1][1]]
        if not token.changed:
            out += source  # the engine's own pieces, as they were
            continue
        lead = source[0].text[: len(source[0].text) - len(source[0].text.lstrip(_MARKS))]
        trail = source[-1].text[len(source[-1].text.rstrip(_MARKS)) :]
        out.append(
            Word(
                lead + token.text + trail,
                source[0].start,
                source[-1].end,
                min(w.probability for w in source),
                speaker=source[0].speaker,
                joins_previous=source[0].joins_previous,
            )
        )
    return out


def _bare(text: str) -> bool:
    """Text without capitals or sentence punctuation: the engine wrote spoken words only."""
    return not any(c.isupper() or c in ".,?!;:" for c in text)


def _punctuate(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    start = True
    for index, word in enumerate(words):
        text = _PROPER.get(word.text, word.text)
        if start and text[:1].isalpha():
            text = text[0].upper() + text[1:]
        nxt = words[index + 1] if index + 1 < len(words) else None
        start = nxt is None or nxt.start - word.end >= SENTENCE_PAUSE
        if start and not text.endswith((".", "?", "!")):
            text += "."
        out.append(replace(word, text=text))
    return out
