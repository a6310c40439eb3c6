"""Smart formatting: a transcript of spoken words made to read as written text.

    "twenty five dollars on march third"  ->  "$25 on March 3"

format_words(words) -> [Token]        each token the written form of words[first:last]
smart_format(transcription)           the transcription with every segment's words formatted: a
                                      formatted word spans (start of the first, end of the last, the
                                      lowest probability of) the words it replaced

Inverse text normalisation, in the order the rules are tried at each word: e-mail addresses and web
addresses spoken aloud ("john dot smith at example dot com"), times ("three thirty p m" -> "3:30
p.m."), dates ("march third twenty twenty four" -> "March 3, 2024", "the fifth of june" -> "June 5"),
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

from mynah.text.normalize.en.dates import MONTHS
from mynah.transcript.spoken import SpokenNumber, parse_digits, parse_number, parse_year, plain
from mynah.types import Segment, Transcription, Word, join_words

__all__ = ["SENTENCE_PAUSE", "Token", "format_text", "format_words", "smart_format"]

SENTENCE_PAUSE = 0.8
"""A pause this long (seconds) between two words of a segment without punctuation ends a sentence."""

_MONTHS = {m: m.capitalize() for m in MONTHS}
_DAYS = {
    d: d.capitalize() for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
_PROPER = (
    {k: v for k, v in _MONTHS.items() if k not in ("may", "march")}
    | _DAYS
    | {"i": "I", "i'm": "I'm", "i've": "I've", "i'll": "I'll", "i'd": "I'd"}
)
_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_TLDS = frozenset(
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
_MERIDIEM = {("a", "m"): "a.m.", ("p", "m"): "p.m.", ("am",): "a.m.", ("pm",): "p.m."}


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
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        found = _rule_at(tokens, i)
        if found is None:
            out.append(Token(words[i], i, i + 1, changed=False))
            i += 1
            continue
        text, used = found
        out.append(Token(text, i, i + used))
        i += used
    return out


def _rule_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    for rule in (_email, _web, _time, _date, _digit_string, _quantity):
        if (found := rule(tokens, i)) is not None:
            return found
    return None


# ------------------------------------------------------------------------------ e-mail and web


def _dotted(tokens: list[str], i: int) -> tuple[str, int]:
    """A name spoken with dots, dashes and underscores ("john dot smith"), and the tokens it took."""
    joiners = {"dot": ".", "dash": "-", "hyphen": "-", "underscore": "_"}
    if i >= len(tokens) or not tokens[i].isalnum():
        return "", 0
    parts, j = [tokens[i]], i + 1
    while j + 1 < len(tokens) and tokens[j] in joiners and tokens[j + 1].isalnum():
        parts += [joiners[tokens[j]], tokens[j + 1]]
        j += 2
    return "".join(parts), j - i


def _email(tokens: list[str], i: int) -> tuple[str, int] | None:
    local, used = _dotted(tokens, i)
    j = i + used
    if not used or j >= len(tokens) or tokens[j] != "at":
        return None
    domain, more = _dotted(tokens, j + 1)
    if not more and j + 1 < len(tokens) and _DOMAIN.match(tokens[j + 1]):  # "peter at novak.org"
        domain, more = tokens[j + 1], 1
    if "." not in domain or domain.rsplit(".", 1)[1] not in _TLDS:
        return None
    return f"{local}@{domain}", used + 1 + more


def _web(tokens: list[str], i: int) -> tuple[str, int] | None:
    j, prefix = i, ""
    if tokens[i : i + 3] == ["w", "w", "w"]:
        j, prefix = i + 3, "www"
        if j >= len(tokens) or tokens[j] != "dot":
            return None
        j += 1
    domain, used = _dotted(tokens, j)
    if "." not in domain or domain.rsplit(".", 1)[1] not in _TLDS or (not prefix and domain.count(".") < 1):
        return None
    if not prefix and i > 0 and tokens[i - 1] == "at":
        return None  # the domain of an e-mail address whose local part was not a name
    return (f"{prefix}.{domain}" if prefix else domain), j - i + used


# ------------------------------------------------------------------------------ times and dates


def _time(tokens: list[str], i: int) -> tuple[str, int] | None:
    hour = parse_number(tokens, i)
    if hour is None or hour.ordinal or hour.decimals or not 1 <= hour.whole <= 12 or hour.consumed > 2:
        return None
    j = i + hour.consumed
    minutes = ""
    if (
        j + 1 < len(tokens)
        and tokens[j] in ("oh", "o")
        and (m := parse_number(tokens, j + 1))
        and m.whole < 10
    ):
        minutes, j = f"0{m.whole}", j + 1 + m.consumed
    elif (m := parse_number(tokens, j)) is not None and 10 <= m.whole <= 59 and not m.ordinal:
        minutes, j = f"{m.whole:02d}", j + m.consumed
    if j < len(tokens) and tokens[j] in ("oclock", "o'clock") and not minutes:
        return f"{hour.whole} o'clock", j + 1 - i
    for spoken, written in _MERIDIEM.items():
        if tuple(tokens[j : j + len(spoken)]) == spoken:
            clock = f"{hour.whole}:{minutes}" if minutes else str(hour.whole)
            return f"{clock} {written}", j + len(spoken) - i
    return None


def _day(tokens: list[str], i: int) -> SpokenNumber | None:
    day = parse_number(tokens, i)
    if day is None or day.decimals or not 1 <= day.whole <= 31:
        return None
    return day


def _date(tokens: list[str], i: int) -> tuple[str, int] | None:
    if tokens[i] in _MONTHS:  # "march third", "march the third", "march third twenty twenty four"
        j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1] == "the")
        day = _day(tokens, j)
        if day is not None and tokens[i] == "may" and not day.ordinal:
            return None  # "you may two" is not a date
        if day is None or (
            not day.ordinal and day.consumed == 1 and day.whole > 9 and _is_year_at(tokens, j)
        ):
            year = parse_year(tokens, i + 1)
            if year is not None:
                return f"{_MONTHS[tokens[i]]} {year[0]}", 1 + year[1]
            return None
        j += day.consumed
        written = f"{_MONTHS[tokens[i]]} {day.whole}"
        year = parse_year(tokens, j)
        if year is not None:
            return f"{written}, {year[0]}", j + year[1] - i
        return written, j - i
    # "the third of march"
    if tokens[i] == "the" and (day := _day(tokens, i + 1)) is not None and day.ordinal:
        j = i + 1 + day.consumed
        if j + 1 < len(tokens) and tokens[j] == "of" and tokens[j + 1] in _MONTHS:
            written = f"{_MONTHS[tokens[j + 1]]} {day.whole}"
            year = parse_year(tokens, j + 2)
            if year is not None:
                return f"{written}, {year[0]}", j + 2 + year[1] - i
            return written, j + 2 - i
    return None


def _is_year_at(tokens: list[str], j: int) -> bool:
    year = parse_year(tokens, j)
    return year is not None and year[1] >= 2


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
        return f"{number.whole}{_suffix(number.whole)}", number.consumed
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


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


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


def _format_segment_words(words: list[Word]) -> list[Word]:
    out: list[Word] = []
    for token in format_words([w.text for w in words]):
        source = words[token.first : token.last]
        if not token.changed:
            out.append(source[0])
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
