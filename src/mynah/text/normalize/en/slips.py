"""Readings a careful narrator gets right and a naive normaliser slips on.

- fiscal quarters and years, the year in full: "2Q22" -> "second quarter twenty twenty two",
  "Q3 FY24" -> "q three f y twenty twenty four" (not "... f y twenty four");
- rates after an amount: "$20/mo" -> "twenty dollars a month", "3/hr" -> "three per hour";
- a slash between words: "upgrade/update" -> "upgrade or update" ("and/or" -> "and or");
- inch marks: `12"` -> "twelve inches" (outside an open quotation);
- identifiers read digit by digit: SSNs ("123-45-6789"), and numbers after "ending in", "account",
  "card", "order", "PIN", ... ("card ending in 4242" -> "four two four two");
- addresses: a direction between a house number and a street name ("1234 E Main St" -> "... east
  main street"), a state code before a ZIP code (", IL 62704" -> "illinois six two seven zero four").
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.model import ABBREVIATION, CODE, DATE, MEASURE, MONEY, SYMBOL
from mynah.text.normalize.wordlist import words


def _emit(ctx: Context, m: re.Match[str], spoken: str, category: str) -> None:
    if ctx.on(category):
        ctx.word(spoken, m.start(), m.end(), category)
    else:
        ctx.verbatim(m.start(), m.end())


def _two_digit_year(y: str) -> str:
    return numwords.year(int(y) + 2000 if len(y) == 2 else int(y))


# ------------------------------------------------------------------------------------------ quarters


def _quarter(m: re.Match[str], ctx: Context) -> None:
    g = m.group
    if g("qa"):
        spoken = f"{numwords.ordinal(int(g('qa')))} quarter {_two_digit_year(g('qy'))}"
    elif g("q"):
        spoken = f"q {numwords.cardinal(int(g('q')))}"  # "Q3" as analysts say it
        if g("y"):
            spoken += (" f y " if g("fy") else " ") + _two_digit_year(g("y"))
    else:
        spoken = f"f y {_two_digit_year(g('fy2'))}"
    _emit(ctx, m, spoken, DATE)


QUARTER_RULE = Rule(
    "quarter",
    frozenset({DATE}),
    re.compile(
        r"(?<![\w])(?:(?P<qa>[1-4])Q(?P<qy>\d{2}|\d{4})"
        r"|Q(?P<q>[1-4])(?:[ \t]?(?P<fy>FY)?[ \t]?['’]?(?P<y>\d{2}(?!\d)|\d{4}))?"
        r"|FY[ \t]?['’]?(?P<fy2>\d{2}(?!\d)|\d{4}))(?![\w])"
    ),
    _quarter,
)


# --------------------------------------------------------------------------------------------- rates

_RATE_UNITS = {
    "mo": "month",
    "mos": "month",
    "month": "month",
    "hr": "hour",
    "h": "hour",
    "hour": "hour",
    "yr": "year",
    "year": "year",
    "wk": "week",
    "week": "week",
    "day": "day",
    "night": "night",
    "min": "minute",
    "person": "person",
    "pp": "person",
    "head": "head",
    "user": "user",
    "seat": "seat",
    "unit": "unit",
    "kg": "kilogram",
    "lb": "pound",
    "oz": "ounce",
    "mi": "mile",
    "gal": "gallon",
    "sq ft": "square foot",
    "sqft": "square foot",
}
_TIME_UNITS = frozenset({"month", "hour", "year", "week", "day", "night", "minute"})


def _rate(m: re.Match[str], ctx: Context) -> None:
    unit = _RATE_UNITS[m.group("u")]
    after_money = bool(ctx.tokens) and ctx.tokens[-1].category == MONEY
    if after_money and unit in _TIME_UNITS:
        spoken = ("an " if unit == "hour" else "a ") + unit  # "twenty dollars a month"
    else:
        spoken = "per " + unit
    _emit(ctx, m, spoken, MEASURE)


RATE_RULE = Rule(
    "rate",
    frozenset({MEASURE}),
    re.compile(
        r"(?<=[\w%$€£¥)])/(?P<u>"
        + "|".join(sorted(map(re.escape, _RATE_UNITS), key=len, reverse=True))
        + r")(?![\w/])"
    ),
    _rate,
)


def _word_slash(m: re.Match[str], ctx: Context) -> None:
    prev = ctx.prev_word().lower()
    nxt = ctx.next_word(m.end()).lower()
    if prev == "and" and nxt.startswith("or"):
        ctx.silent(m.start(), m.end())  # "and/or"
        return
    _emit(ctx, m, "or", SYMBOL)


WORD_SLASH = Rule(
    "wordslash",
    frozenset({SYMBOL}),
    re.compile(r"(?<=[^\W\d_]{2})/(?=[^\W\d_]{2})"),
    _word_slash,
    needs_groups=False,
)
"""A slash between two words ("upgrade/update"); URLs and paths are claimed earlier by electronic."""


# -------------------------------------------------------------------------------------------- inches


_AFTER_A_LENGTH = words("long wide tall high deep thick across in of and or to by x")


def _inches(m: re.Match[str], ctx: Context) -> None:
    line_start = ctx.view.rfind("\n", 0, m.start()) + 1
    if ctx.view.count('"', line_start, m.start()) % 2:  # inside a quotation: the mark closes it
        ctx.word(numwords.number(m.group("n")), m.start("n"), m.end("n"), "cardinal")
        ctx.silent(m.end("n"), m.end())
        return
    n = m.group("n")
    nxt = ctx.next_word(m.end()).rstrip(".,;:!?")
    adjectival = nxt.isalpha() and nxt.islower() and nxt not in _AFTER_A_LENGTH  # "a 12" pizza"
    spoken = f"{numwords.number(n)} {'inch' if n == '1' or adjectival else 'inches'}"
    _emit(ctx, m, spoken, MEASURE)


INCHES_RULE = Rule(
    "inches",
    frozenset({MEASURE}),
    re.compile(r"(?<![\w.'’\"])(?P<n>\d{1,3}(?:\.\d+)?)[\"”″](?![\w\"])"),
    _inches,
)


# --------------------------------------------------------------------------------------- identifiers


def _ssn(m: re.Match[str], ctx: Context) -> None:
    _emit(ctx, m, " ".join(numwords.digits(part) for part in m.group().split("-")), CODE)


SSN_RULE = Rule("ssn", frozenset({CODE}), re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), _ssn)

IDENTIFIER_WORDS = words(
    """account acct card pin id order invoice ref reference confirmation tracking policy member routing
    serial ticket booking receipt customer passport license licence"""
)
"""Words after which a run of digits is an identifier, read digit by digit."""


def is_identifier(ctx: Context) -> bool:
    prev = [w.lower().rstrip(".:") for w in ctx.prev_words(3)]
    if not prev:
        return False
    if prev[0] in IDENTIFIER_WORDS:
        return True
    if prev[0] in ("no", "number", "#") and len(prev) > 1 and prev[1] in IDENTIFIER_WORDS:
        return True
    return len(prev) > 1 and prev[0] == "in" and prev[1] == "ending"  # "ended in 1945" is a year


# ----------------------------------------------------------------------------------------- addresses

_DIRECTIONS = {
    "N": "north",
    "S": "south",
    "E": "east",
    "W": "west",
    "NE": "northeast",
    "NW": "northwest",
    "SE": "southeast",
    "SW": "southwest",
}


def _direction(m: re.Match[str], ctx: Context) -> None:
    _emit(ctx, m, _DIRECTIONS[m.group().rstrip(".")], ABBREVIATION)


DIRECTION_RULE = Rule(
    "direction",
    frozenset({ABBREVIATION}),
    re.compile(r"(?<=\d )(?:[NSEW]|NE|NW|SE|SW)\.?(?= [A-Z][a-z])"),
    _direction,
    needs_groups=False,
)
"""A compass point between a house number and a street name: "1234 E Main St"."""

STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts",
    "MI": "michigan", "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana",
    "NE": "nebraska", "NV": "nevada", "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico",
    "NY": "new york", "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma",
    "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina",
    "SD": "south dakota", "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont",
    "VA": "virginia", "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
    "DC": "d c",
}  # fmt: skip


def _state_zip(m: re.Match[str], ctx: Context) -> None:
    state = STATES[m.group("st")]
    zip_code = " ".join(numwords.digits(p) for p in m.group("zip").split("-"))
    if ctx.on(ABBREVIATION):
        ctx.word(state, m.start("st"), m.end("st"), ABBREVIATION)
    else:
        ctx.verbatim(m.start("st"), m.end("st"))
    if ctx.on(CODE):
        ctx.word(zip_code, m.start("zip"), m.end("zip"), CODE)
    else:
        ctx.verbatim(m.start("zip"), m.end("zip"))


STATE_ZIP_RULE = Rule(
    "statezip",
    frozenset({ABBREVIATION, CODE}),
    re.compile(r"(?<=, )(?P<st>" + "|".join(STATES) + r")[ \t]+(?P<zip>\d{5}(?:-\d{4})?)(?![\w-])"),
    _state_zip,
)
"""A state code before a ZIP code (", IL 62704"): the state's name, the ZIP digit by digit."""
