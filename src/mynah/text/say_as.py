"""SSML <say-as>: read a piece of text the way its `interpret-as` says, with spans into the input.

    say_as("FBI", SayAs("characters"), offset=10)  ->  "f b i", each letter's span inside [10, 13)

Kinds: characters / spell-out / letters (each letter and digit), verbatim (every character, punctuation
by name), digits, cardinal / number, ordinal, date (with `format` = any order of d, m, y such as mdy,
dmy, ymd, md, my, y), time, telephone, currency, fraction, unit / measure, expletive / bleep (a "beep"),
and address / name / anything else (the ordinary normaliser). A kind that does not fit the text (a
"cardinal" that is not a number) falls back to the ordinary reading rather than failing.
"""

from __future__ import annotations

import re

from mynah.text.normalize import PLAIN, SILENT, NormalizedText, Token, normalize
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.dates import MONTHS, year_words
from mynah.text.ssml import SayAs

_SPOKEN_SYMBOLS = {
    ".": "dot", ",": "comma", "-": "dash", "_": "underscore", "/": "slash", "\\": "backslash", "@": "at",
    "&": "and", "+": "plus", "=": "equals", "#": "hash", "%": "percent", "*": "star", ":": "colon",
    ";": "semicolon", "!": "exclamation mark", "?": "question mark", "(": "open paren", ")": "close paren",
    "'": "apostrophe", '"': "quote", "$": "dollar", "€": "euro", "£": "pound", "~": "tilde", "|": "bar",
}  # fmt: skip
_CATEGORY_FOR = {
    "time": {"time"},
    "telephone": {"telephone"},
    "currency": {"money"},
    "money": {"money"},
    "fraction": {"fraction", "cardinal"},
    "unit": {"measure", "cardinal", "decimal"},
    "measure": {"measure", "cardinal", "decimal"},
}
_NUMBER = re.compile(r"^\s*([+-]?)(\d[\d,]*)(?:\.(\d+))?\s*$")
_ORDINAL = re.compile(r"^\s*(\d[\d,]*)(?:st|nd|rd|th)?\.?\s*$", re.IGNORECASE)
_DATE_PARTS = re.compile(r"\d+|[A-Za-z]+")


def say_as(text: str, spec: SayAs, *, offset: int = 0, language: str = "en") -> NormalizedText:
    """The spoken form of `text` (which sits at `offset` of the original input) read as `spec` says."""
    kind = spec.interpret_as
    tokens: list[Token] | None = None
    if kind in ("characters", "spell-out", "letters", "spell", "verbatim"):
        tokens = _spell(text, offset, punctuation=kind == "verbatim")
    elif kind == "digits":
        tokens = _spell(text, offset, punctuation=False)
    elif kind in ("cardinal", "number"):
        tokens = _whole(text, offset, _cardinal(text), "cardinal")
    elif kind == "ordinal":
        tokens = _whole(text, offset, _ordinal(text), "ordinal")
    elif kind == "date":
        tokens = _whole(text, offset, _date(text, (spec.format or "mdy").lower()), "date")
    elif kind == "telephone":
        normalized = normalize(text, categories={"telephone"}, language=language)
        if any(t.category == "telephone" for t in normalized.tokens):
            tokens = [_shift(t, offset) for t in normalized.tokens]
        else:
            tokens = _whole(text, offset, _telephone(text), "telephone")
    elif kind in ("expletive", "bleep"):
        tokens = _whole(text, offset, "beep", "symbol")
    elif kind in _CATEGORY_FOR and language.startswith("en"):
        normalized = normalize(text, categories=_CATEGORY_FOR[kind], language=language)
        tokens = [_shift(t, offset) for t in normalized.tokens]
    if tokens is None:
        normalized = normalize(text, language=language)
        tokens = [_shift(t, offset) for t in normalized.tokens]
    return NormalizedText(" " * offset + text, tuple(tokens), (), language)


def _shift(token: Token, offset: int) -> Token:
    return Token(token.spoken, token.start + offset, token.end + offset, token.category)


def _spell(text: str, offset: int, *, punctuation: bool) -> list[Token]:
    tokens: list[Token] = []
    for i, char in enumerate(text):
        at = offset + i
        if char.isspace():
            continue
        if char.isdigit():
            spoken = numwords.DIGITS[int(char)] if char in "0123456789" else char
        elif char.isalpha():
            spoken = char.lower()
        elif punctuation or char in "@&+=%#$€£":
            spoken = _SPOKEN_SYMBOLS.get(char, "")
        else:
            spoken = ""
        tokens.append(Token(spoken, at, at + 1, "characters" if spoken else SILENT))
    return tokens


def _whole(text: str, offset: int, spoken: str | None, category: str) -> list[Token] | None:
    if spoken is None:
        return None
    stripped = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return [Token(spoken, offset + stripped, offset + max(end, stripped), category if spoken else PLAIN)]


def _cardinal(text: str) -> str | None:
    m = _NUMBER.match(text)
    if not m:
        return None
    sign, whole, fraction = m.groups()
    words = numwords.integer(whole.replace(",", ""))
    if fraction:
        words += " point " + numwords.digits(fraction)
    return ("minus " if sign == "-" else "") + words


def _ordinal(text: str) -> str | None:
    m = _ORDINAL.match(text)
    if not m:
        return None
    return numwords.ordinal(int(m.group(1).replace(",", "")))


def _telephone(text: str) -> str | None:
    """Digit groups, as written (separators kept) or, for bare runs, in the North American 3-3-4."""
    groups = re.findall(r"\d+", text)
    if not groups:
        return None
    if len(groups) == 1:
        run = groups[0]
        if len(run) == 10:
            groups = [run[:3], run[3:6], run[6:]]
        elif len(run) == 11 and run.startswith("1"):
            groups = [run[0], run[1:4], run[4:7], run[7:]]
        elif len(run) > 4:
            groups = [run[i : i + 3] for i in range(0, len(run) - 4, 3)] + [run[-4:]]
    words = ", ".join(numwords.digits(g) for g in groups)
    return ("plus " if text.lstrip().startswith("+") else "") + words


def _date(text: str, fmt: str) -> str | None:
    """Read the parts of `text` in the order `fmt` names them (d, m, y); month names are accepted."""
    parts = _DATE_PARTS.findall(text)
    order = [c for c in fmt if c in "dmy"]
    if not parts or len(parts) != len(order):
        return None
    day: int | None = None
    month: int | None = None
    year: str | None = None
    for part, kind in zip(parts, order, strict=True):
        if kind == "m":
            month = _month(part)
            if month is None:
                return None
        elif kind == "d":
            if not part.isdigit() or not 1 <= int(part) <= 31:
                return None
            day = int(part)
        elif part.isdigit() and len(part) in (2, 4):
            year = part
        else:
            return None
    words: list[str] = []
    if month is not None:
        words.append(MONTHS[month - 1])
    if day is not None:
        words.append(numwords.ordinal(day) if month is not None else f"the {numwords.ordinal(day)}")
    if year is not None:
        words.append(year_words(year))
    return " ".join(words)


def _month(part: str) -> int | None:
    if part.isdigit():
        return int(part) if 1 <= int(part) <= 12 else None
    lowered = part.lower()
    for i, name in enumerate(MONTHS):
        if name.startswith(lowered[:3]) and len(lowered) >= 3:
            return i + 1
    return None
