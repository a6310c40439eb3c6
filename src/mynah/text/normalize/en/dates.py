"""Dates, decades and eras.

Numeric dates are read month first when the first field can be a month ("03/15/2024",
"01.10.2010" -> "january tenth twenty ten"), day first otherwise ("15.01.2020" -> "the fifteenth of
january twenty twenty"); ISO dates ("2024-03-15", "2016/07/03") month first. Month names:
"March 15, 2024" -> "march fifteenth twenty twenty four", "15 March 2024" -> "the fifteenth of march
twenty twenty four" ("the" is dropped after "the"), "March 2024" -> "march twenty twenty four".
Decades: "1990s" -> "nineteen nineties", "'90s" -> "nineties". Eras: "340 AD" -> "three forty a d".
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.model import DATE

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ABBREVIATED = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)} | _ABBREVIATED

_MONTH_NAMES = "|".join(sorted((m for m in MONTH_NUMBER if m != "may"), key=len, reverse=True))
MONTH = r"(?:(?i:" + _MONTH_NAMES + r")|May|MAY)(?:\.(?!\w))?"
"""A month name or abbreviation, any case (lower-case "may" is a verb and is left out)."""


def month_name(raw: str) -> str:
    return MONTHS[MONTH_NUMBER[raw.rstrip(".").lower()] - 1]


def year_words(raw: str) -> str:
    """Years as written: four digits in pairs, two digits as "oh five" / "ninety eight"."""
    if len(raw) == 2:
        return numwords.two_digit_year(int(raw))
    return numwords.year(int(raw))


def month_first(month: int, day: int | None, year: str | None) -> str:
    words = [MONTHS[month - 1]]
    if day is not None:
        words.append(numwords.ordinal(day))
    if year:
        words.append(year_words(year))
    return " ".join(words)


def day_first(ctx: Context, day: int, month: int, year: str | None) -> str:
    article = "" if ctx.prev_word().lower() == "the" else "the "
    spoken = f"{article}{numwords.ordinal(day)} of {MONTHS[month - 1]}"
    return spoken + (" " + year_words(year) if year else "")


def _emit(ctx: Context, spoken: str | None, m: re.Match[str]) -> None:
    if spoken is None or not ctx.on(DATE):
        ctx.verbatim(m.start(), m.end())
    else:
        ctx.word(spoken, m.start(), m.end(), DATE)


# ------------------------------------------------------------------------------------ numeric dates


def _numeric(m: re.Match[str], ctx: Context) -> None:
    g = m.group
    spoken: str | None = None
    if g("iy"):
        month, day = int(g("im")), int(g("id"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            spoken = month_first(month, day, g("iy"))
    else:
        a, b, year = int(g("a")), int(g("b")), g("y")
        if 1 <= a <= 12 and 1 <= b <= 31:
            spoken = month_first(a, b, year)
        elif 1 <= a <= 31 and 1 <= b <= 12:
            spoken = day_first(ctx, a, b, year)
    _emit(ctx, spoken, m)


NUMERIC_DATE = Rule(
    "numdate",
    frozenset({DATE}),
    re.compile(
        r"(?<![\w./-])(?:"
        r"(?P<iy>1\d{3}|20\d{2})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
        r"|(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|(?<=/\d/)\d{2}|(?<=/\d\d/)\d{2})"
        r")(?![\w/-]|\.\d)"
    ),
    _numeric,
)


# ------------------------------------------------------------------------------- month-name dates

_DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th|ST|ND|RD|TH)?(?!\d)"
_YEAR = r"(?P<{}>1\d{{3}}|20\d{{2}})(?![\w]|[-/.]\d)"


def _named(m: re.Match[str], ctx: Context) -> None:
    g = m.group
    spoken: str | None = None
    if g("m1"):
        month = MONTH_NUMBER[g("m1").rstrip(".").lower()]
        day = int(g("d1")) if g("d1") else None
        if day is None or 1 <= day <= 31:
            spoken = month_first(month, day, g("y1") or g("y1b"))
            last = int(g("d1e")) if g("d1e") else None
            if spoken and day is not None and last is not None:
                spoken = month_first(month, day, None) + " to " + numwords.ordinal(last)
                if g("y1"):
                    spoken += " " + year_words(g("y1"))
    else:
        month = MONTH_NUMBER[g("m2").rstrip(".").lower()]
        day = int(g("d2"))
        if 1 <= day <= 31:
            spoken = day_first(ctx, day, month, g("y2"))
    _emit(ctx, spoken, m)


NAMED_DATE = Rule(
    "namedate",
    frozenset({DATE}),
    re.compile(
        r"(?<![\w])(?:"
        r"(?P<m1>"
        + MONTH
        + r")(?:[ \t]+|-)(?:"
        + _DAY.format("d1")
        + r"(?:[-–]"
        + _DAY.format("d1e")
        + r")?(?:(?:,[ \t]*|[ \t]+|-)"
        + _YEAR.format("y1")
        + r")?|(?:,[ \t]*)?"
        + _YEAR.format("y1b")
        + r")"
        r"|"
        + _DAY.format("d2")
        + r"(?:[ \t]+of)?[ \t]+(?P<m2>"
        + MONTH
        + r"|may(?=,?[ \t]+\d{4}(?!\d)))(?:,?[ \t]+"
        + _YEAR.format("y2")
        + r")?"
        r")(?![\w])"
    ),
    _named,
)


# ----------------------------------------------------------------------------------------- decades


def decade_words(digits: str) -> str | None:
    """ "1990" -> "nineteen nineties", "90" -> "nineties"; None for "00"."""
    n = int(digits)
    if len(digits) == 2:
        return None if n == 0 else numwords.pluralize_last(numwords.cardinal(n))
    return numwords.pluralize_last(numwords.year(n))


def _decade(m: re.Match[str], ctx: Context) -> None:
    spoken = decade_words(m.group("dec"))
    if spoken is not None and m.group("dec2"):
        second = decade_words(m.group("dec2"))
        spoken = f"{spoken} to {second}" if second else None
    _emit(ctx, spoken, m)


DECADE = Rule(
    "decade",
    frozenset({DATE}),
    re.compile(
        r"(?<![\w'’])['’]?(?P<dec>\d0|1\d{2}0|20\d0)['’]?s"
        r"(?:[-–]['’]?(?P<dec2>\d0|1\d{2}0|20\d0)['’]?s)?(?![\w])"
    ),
    _decade,
)


# -------------------------------------------------------------------------------------------- eras

_ERAS = {"AD": "a d", "A.D.": "a d", "BC": "b c", "B.C.": "b c", "BCE": "b c e", "CE": "c e", "A.D": "a d"}


def _era(m: re.Match[str], ctx: Context) -> None:
    year = int(m.group("ey") or m.group("ey2"))
    era = _ERAS[m.group("era") or m.group("era2")]
    if m.group("era2"):
        _emit(ctx, f"{era} {numwords.year(year)}", m)
    else:
        _emit(ctx, f"{numwords.year(year)} {era}", m)


ERA = Rule(
    "era",
    frozenset({DATE}),
    re.compile(
        r"(?<![\w.])(?:(?P<ey>\d{1,4})[ \t]?(?P<era>BCE|BC|CE|AD|A\.D\.|B\.C\.|A\.D)"
        r"|(?P<era2>AD|A\.D\.)[ \t]?(?P<ey2>\d{1,4}))(?![\w])"
    ),
    _era,
)
