"""Bare numbers: cardinals, decimals, signed numbers, years, ordinals, fractions, ranges, versions,
IP addresses and dimensions.

Year or quantity? A four-digit integer from 1000 to 2099 with no comma is read as a year
("in 1999" -> "nineteen ninety nine") unless the next word is a lower-case plural noun or the number is
glued to a hyphenated word: "1999 people" and "a 2000-mile trip" are quantities.
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.slips import is_identifier
from mynah.text.normalize.model import (
    CARDINAL,
    CODE,
    DATE,
    DECIMAL,
    FRACTION,
    MEASURE,
    ORDINAL,
    RANGE,
    SYMBOL,
)
from mynah.text.normalize.wordlist import words

INT = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
NUM = INT + r"(?:\.\d+)?"
SIGNS = {"-": "minus", "−": "minus", "+": "plus", "±": "plus or minus"}

_IRREGULAR_PLURALS = words(
    "people men women children feet teeth mice geese sheep deer fish staff personnel police cattle "
    "persons folks livestock troops"
)
_NOT_PLURAL = words(
    "was is has does goes as this thus its his hers yes plus minus versus whereas always perhaps "
    "besides sometimes towards afterwards news series species us gas bus chaos lens status bonus "
    "census campus marks sees brings begins ends starts remains becomes represents means makes "
    "looks seems promises offers comes holds takes gives shows"
)


def _plural_noun(word: str) -> bool:
    if not word or not word.isalpha() or not word.islower():
        return False
    if word in _IRREGULAR_PLURALS:
        return True
    return (
        len(word) > 2
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in _NOT_PLURAL
    )


def is_year(ctx: Context, value: int, end: int) -> bool:
    """Whether a bare four-digit number ending at `end` reads as a year (see the module docstring)."""
    if not 1000 <= value <= 2099:
        return False
    after = ctx.next_char(end)
    if after == "-" and ctx.next_char(end + 1).isalpha():
        return False
    if after in " \t\u00a0\n":
        return not _plural_noun(ctx.next_word(end)) or _after_a_year(ctx)
    return True


def _after_a_year(ctx: Context) -> bool:
    """ "between 2015 and 2020 sales": the second of a pair of years stays a year."""
    tokens = ctx.tokens
    if len(tokens) < 2 or tokens[-1].spoken.lower() not in ("and", "or", "to", "through", "until"):
        return False
    before = tokens[-2]
    return before.category == DATE and before.end - before.start == 4


def _number(m: re.Match[str], ctx: Context) -> None:
    sign = m.group("sign") or ""
    body = m.group("body")
    scale = m.group("scale")
    start, end = m.start(), m.end()
    if "." in body:
        category = DECIMAL
        spoken = numwords.decimal(body)
    elif scale is None and not sign and "," not in body and len(body) >= 4 and is_identifier(ctx):
        category = CODE
        spoken = numwords.digits(body)  # "card ending in 4242", "account 12345678"
    elif scale is None and not sign and "," not in body and len(body) == 4 and is_year(ctx, int(body), end):
        category = DATE
        spoken = numwords.year(int(body))
    else:
        category = CARDINAL
        spoken = numwords.integer(body)
    if scale:
        spoken += " " + SCALES[scale]
    if sign:
        spoken = SIGNS[sign] + " " + spoken
    if ctx.on(category):
        ctx.word(spoken, start, end, category)
    else:
        ctx.verbatim(start, end)


SCALES = {
    "k": "thousand",
    "K": "thousand",
    "thousand": "thousand",
    "M": "million",
    "m": "million",
    "mn": "million",
    "mm": "million",
    "mil": "million",
    "mln": "million",
    "million": "million",
    "B": "billion",
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
    "T": "trillion",
    "t": "trillion",
    "tn": "trillion",
    "trillion": "trillion",
}

NUMBER = Rule(
    "number",
    frozenset({CARDINAL, DECIMAL, DATE}),
    re.compile(
        r"(?:(?<![\w.,])(?P<sign>[-−+±])(?=\.?\d))?(?<![\w.])"
        r"(?P<body>" + NUM + r"|\.\d+)(?!\d)(?:(?P<scale>bn|mn|tn|M|(?<=\.\d)[BT]|(?<=\.\d\d)[BT])(?![\w]))?"
    ),
    _number,
)


# ---------------------------------------------------------------------------------------- ordinals


def ordinal_suffix(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _ordinal(m: re.Match[str], ctx: Context) -> None:
    n = int(m.group("n").replace(",", ""))
    if m.group("suf").lower() != ordinal_suffix(n) or not ctx.on(ORDINAL):
        ctx.verbatim(m.start(), m.end())
        return
    ctx.word(numwords.ordinal(n), m.start(), m.end(), ORDINAL)


ORDINAL_RULE = Rule(
    "ordinal",
    frozenset({ORDINAL}),
    re.compile(r"(?<![\w.])(?P<n>" + INT + r")(?P<suf>st|nd|rd|th|ST|ND|RD|TH)(?![^\W_])"),
    _ordinal,
)


# --------------------------------------------------------------------------------------- fractions

_SPECIAL_SLASHES = {"24/7": "twenty four seven", "9/11": "nine eleven", "50/50": "fifty fifty"}
DATE_CUES = words("on by until till since from before after due dated through")


def _fraction(m: re.Match[str], ctx: Context) -> None:
    start, end = m.start(), m.end()
    text = m.group()
    if text in _SPECIAL_SLASHES:
        if ctx.on(FRACTION):
            ctx.word(_SPECIAL_SLASHES[text], start, end, FRACTION)
        else:
            ctx.verbatim(start, end)
        return
    if m.group("vulgar"):
        num, den = numwords.VULGAR[m.group("vulgar")]
        whole = m.group("vwhole")
    else:
        num, den = int(m.group("num")), int(m.group("den"))
        whole = m.group("whole")
    is_date = 1 <= num <= 12 and 1 <= den <= 31 and ctx.prev_word().lower() in DATE_CUES
    if whole is None and m.group("num") and is_date:
        from mynah.text.normalize.en.dates import MONTHS

        if ctx.on(DATE):
            ctx.word(f"{MONTHS[num - 1]} {numwords.ordinal(den)}", start, end, DATE)
        else:
            ctx.verbatim(start, end)
        return
    if not ctx.on(FRACTION):
        ctx.verbatim(start, end)
        return
    spoken = numwords.mixed(int(whole), num, den) if whole else numwords.fraction(num, den)
    ctx.word(spoken, start, end, FRACTION)


FRACTION_PATTERN = (
    r"(?:(?P<whole>\d+)(?:[ \t]+|-)(?=\d+[/⁄]\d))?(?P<num>\d+)[/⁄](?P<den>\d+)"
    r"|(?P<vwhole>\d+)?[ \t]?(?P<vulgar>" + numwords.VULGAR_CLASS + ")"
)
FRACTION_RULE = Rule(
    "fraction",
    frozenset({FRACTION, DATE}),
    re.compile(
        r"(?<![\w./,])(?:" + FRACTION_PATTERN + r")"
        r"(?:(?<=\d)(?:st|nd|rd|th|ST|ND|RD|TH)(?!\w)|(?![\w/]|[.,]\d))"
    ),
    _fraction,
)


# ------------------------------------------------------------------------------------------ ranges


def read_range_end(a: str, b: str) -> tuple[str, str]:
    """Readings of the two ends of a range; year pairs read as years ("1990-95")."""
    if "," not in a + b and "." not in a + b and len(a) == 4 and 1000 <= int(a) <= 2099:
        if len(b) == 4 and 1000 <= int(b) <= 2099:
            return numwords.year(int(a)), numwords.year(int(b))
        if len(b) == 2 and int(b) > int(a) % 100:
            return numwords.year(int(a)), numwords.two_digit_year(int(b))
    return numwords.number(a), numwords.number(b)


def _range(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(RANGE):
        ctx.verbatim(m.start(), m.end())
        return
    a, b = read_range_end(m.group("a"), m.group("b"))
    if ctx.prev_word() in ("=", "equals"):
        ctx.word(f"{a} minus {b}", m.start(), m.end(), RANGE)
        return
    ctx.word(f"{a} to {b}", m.start(), m.end(), RANGE)


RANGE_RULE = Rule(
    "range",
    frozenset({RANGE}),
    re.compile(
        r"(?<![\w.,/:-])(?P<a>" + NUM + r")(?:[ \t]?[-–][ \t]?|—)(?P<b>" + NUM + r")"
        r"(?![\w/:-]|[.,]\d|[ \t]?[=+*/×÷^])"
    ),
    _range,
)


# ----------------------------------------------------------------------------- versions and IPs


def _dotted(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(CODE):
        ctx.verbatim(m.start(), m.end())
        return
    parts = m.group().split(".")
    if len(parts) == 4 and all(len(p) <= 3 and int(p) <= 255 for p in parts):
        spoken = " dot ".join(numwords.integer(p) for p in parts)
    else:
        spoken = " point ".join(numwords.integer(p) for p in parts)
    ctx.word(spoken, m.start(), m.end(), CODE)


DOTTED = Rule(
    "dottednum",
    frozenset({CODE}),
    re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)"),
    _dotted,
    needs_groups=False,
)


# -------------------------------------------------------------------------------------- dimensions


_EQUALS_NEXT = re.compile(r"[ \t]*=")


def _dimensions(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(MEASURE):
        ctx.verbatim(m.start(), m.end())
        return
    values = [numwords.number(v) for v in (m.group("a"), m.group("b"), m.group("c")) if v]
    joiner = " times " if _EQUALS_NEXT.match(ctx.view, m.end()) else " by "
    spoken = joiner.join(values)
    unit = m.group("unit")
    if unit:
        from mynah.text.normalize.en.measures import unit_words

        spoken += " " + unit_words(unit, plural=True)
    ctx.word(spoken, m.start(), m.end(), MEASURE)


def dimensions_rule(unit_pattern: str) -> Rule:
    return Rule(
        "dims",
        frozenset({MEASURE}),
        re.compile(
            r"(?<![\w.])(?P<a>" + NUM + r")[ \t]?[x×][ \t]?(?P<b>" + NUM + r")"
            r"(?:[ \t]?[x×][ \t]?(?P<c>"
            + NUM
            + r"))?(?:[ \t]?(?P<unit>"
            + unit_pattern
            + r"))?(?![\w.]|\.\d)"
        ),
        _dimensions,
    )


# ------------------------------------------------------------------------------------------ ratios


def _ratio(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(SYMBOL):
        ctx.verbatim(m.start(), m.end())
        return
    spoken = f"{numwords.integer(m.group('a'))} to {numwords.integer(m.group('b'))}"
    ctx.word(spoken, m.start(), m.end(), SYMBOL)


RATIO = Rule(
    "ratio",
    frozenset({SYMBOL}),
    re.compile(r"(?<![\w:.])(?P<a>\d{1,3}):(?P<b>\d{1,3})(?![\w:]|\.\d)"),
    _ratio,
)
"""Ratios and scores that are not clock times: "3:1" -> "three to one" (runs after the time rule)."""
