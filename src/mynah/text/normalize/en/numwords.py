"""English number words: cardinals, ordinals, years, decimals, fractions, digit strings.

num2words supplies the words; this module fixes the house reading: US style without "and"
("one hundred twenty three"), no hyphens or commas, "zero" for the digit 0, and years read in pairs.
"""

from __future__ import annotations

from functools import lru_cache

from num2words import num2words

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MAX_CARDINAL_DIGITS = 15
"""Plain digit strings longer than this are read digit by digit."""
_MAX_GROUPED = 10**33
"""Comma-grouped numbers up to this size are read as cardinals."""

_PLURAL_ORDINAL = {"half": "halves", "quarter": "quarters"}


def _clean(words: str) -> str:
    return " ".join(w for w in words.replace("-", " ").replace(",", " ").split() if w != "and")


@lru_cache(maxsize=1024)
def _below_thousand(n: int) -> str:
    return _clean(num2words(n, lang="en"))


@lru_cache(maxsize=16)
def _scale(power: int) -> str:
    """The name of 1000**power: "thousand", "million", ... (from num2words)."""
    return _clean(num2words(1000**power, lang="en")).split()[-1]


@lru_cache(maxsize=8192)
def cardinal(n: int) -> str:
    """`1999` -> "one thousand nine hundred ninety nine"; negatives get "minus".

    num2words words for each group of three digits, joined with the scale names: the same words as
    num2words for the whole number, but the per-group cache makes large documents cheap.
    """
    if n < 0:
        return "minus " + cardinal(-n)
    if n >= _MAX_GROUPED:
        return digits(str(n))
    if n < 1000:
        return _below_thousand(n)
    groups: list[str] = []
    power = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            groups.append(_below_thousand(group) + (" " + _scale(power) if power else ""))
        power += 1
    return " ".join(reversed(groups))


@lru_cache(maxsize=4096)
def ordinal(n: int) -> str:
    """`22` -> "twenty second"."""
    if n >= _MAX_GROUPED:
        return digits(str(n)) + " th"
    return _clean(num2words(n, lang="en", to="ordinal"))


def digits(s: str) -> str:
    """`"0100"` -> "zero one zero zero" (non-digits are skipped)."""
    return " ".join(DIGITS[int(c)] for c in s if c.isdecimal())


def integer(s: str) -> str:
    """Read an integer string as written: grouped or plain cardinal, or digits when it starts with 0."""
    plain = s.replace(",", "")
    if not plain:
        return ""
    if len(plain) > 1 and plain[0] == "0":
        return digits(plain)
    if "," not in s and len(plain) > MAX_CARDINAL_DIGITS:
        return digits(plain)
    return cardinal(int(plain))


def decimal(s: str) -> str:
    """`"3.14"` -> "three point one four", `".5"` -> "point five", `"1,234.5"` grouped."""
    whole, _, frac = s.partition(".")
    parts = []
    if whole:
        parts.append(cardinal(int(whole.replace(",", ""))))
    if frac:
        parts.append("point " + digits(frac))
    return " ".join(parts)


def number(s: str) -> str:
    """An integer or decimal string, as written."""
    return decimal(s) if "." in s else integer(s)


def two_digit_year(n: int) -> str:
    """`5` -> "oh five", `98` -> "ninety eight", `0` -> "hundred" (as in nineteen hundred)."""
    if n == 0:
        return "hundred"
    if n < 10:
        return "oh " + DIGITS[n]
    return cardinal(n)


@lru_cache(maxsize=2048)
def year(n: int) -> str:
    """`1999` -> "nineteen ninety nine", `2005` -> "two thousand five", `1905` -> "nineteen oh five"."""
    if n < 100 or n >= 10000:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if n % 1000 == 0 or (hi % 10 == 0 and lo < 10):
        # 1000, 2000, 2001..2009, 3005: "two thousand five"
        return cardinal(n)
    return cardinal(hi) + " " + two_digit_year(lo)


def clear_caches() -> None:
    """Forget every cached reading (for benchmarks that want a cold start)."""
    for cached in (_below_thousand, _scale, cardinal, ordinal, year):
        cached.cache_clear()


def denominator(n: int, count: int) -> str:
    if n == 2:
        return "half" if count == 1 else "halves"
    if n == 4:
        return "quarter" if count == 1 else "quarters"
    word = ordinal(n)
    return word if count == 1 else word + "s"


def fraction(num: int, den: int) -> str:
    """`3/4` -> "three quarters", `1/2` -> "one half", `5/1` -> "five over one"."""
    if den <= 1:
        return f"{cardinal(num)} over {cardinal(den)}"
    return f"{cardinal(num)} {denominator(den, num)}"


def mixed(whole: int, num: int, den: int) -> str:
    """`1 1/2` -> "one and a half", `2 3/4` -> "two and three quarters"."""
    if den <= 1:
        return f"{cardinal(whole)} and {fraction(num, den)}"
    if num == 1:
        article = "an" if ordinal(den)[0] in "aeio" else "a"
        return f"{cardinal(whole)} and {article} {denominator(den, 1)}"
    return f"{cardinal(whole)} and {fraction(num, den)}"


VULGAR = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅖": (2, 5),
    "⅗": (3, 5),
    "⅘": (4, 5),
    "⅙": (1, 6),
    "⅚": (5, 6),
    "⅐": (1, 7),
    "⅛": (1, 8),
    "⅜": (3, 8),
    "⅝": (5, 8),
    "⅞": (7, 8),
    "⅑": (1, 9),
    "⅒": (1, 10),
}
"""Unicode vulgar fractions and the (numerator, denominator) they stand for."""

VULGAR_CLASS = "[" + "".join(VULGAR) + "]"


def pluralize_last(words: str) -> str:
    """ "nineteen ninety" -> "nineteen nineties" (decades)."""
    head, _, last = words.rpartition(" ")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last == "oh":
        last = "ohs"
    else:
        last += "s"
    return f"{head} {last}" if head else last
