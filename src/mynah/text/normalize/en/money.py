"""Money: "$3.50" -> "three dollars fifty cents", "$1.5M" -> "one point five million dollars",
"€20", "£1.20" -> "one pound twenty pence", "USD 20" -> "twenty u s dollars", "20 EUR", "50¢",
"$5-10" -> "five to ten dollars", "-$5" -> "minus five dollars", "a $20 bill" -> "a twenty dollar bill".

Amounts with one or two decimals (or more, when the extra digits are zeros) are read as major and minor
units; other decimals and amounts with a scale word are read as decimals of the major unit.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.numbers import SCALES
from mynah.text.normalize.model import MONEY


class Currency(NamedTuple):
    one: str
    many: str
    minor_one: str | None = None
    minor_many: str | None = None


_DOLLAR = Currency("dollar", "dollars", "cent", "cents")
_EURO = Currency("euro", "euros", "cent", "cents")
_POUND = Currency("pound", "pounds", "penny", "pence")
_YEN = Currency("yen", "yen")
_RUPEE = Currency("rupee", "rupees", "paisa", "paise")
_YUAN = Currency("yuan", "yuan")


def _dollars(country: str) -> Currency:
    return Currency(f"{country} dollar", f"{country} dollars", "cent", "cents")


SYMBOLS: dict[str, Currency] = {
    "$": _DOLLAR,
    "US$": _dollars("u s"),
    "USD$": _dollars("u s"),
    "A$": _dollars("australian"),
    "AU$": _dollars("australian"),
    "C$": _dollars("canadian"),
    "CA$": _dollars("canadian"),
    "NZ$": _dollars("new zealand"),
    "HK$": _dollars("hong kong"),
    "S$": _dollars("singapore"),
    "R$": Currency("real", "reais", "centavo", "centavos"),
    "€": _EURO,
    "£": _POUND,
    "¥": _YEN,
    "₹": _RUPEE,
    "Rs": _RUPEE,
    "Rs.": _RUPEE,
    "₩": Currency("won", "won"),
    "₽": Currency("ruble", "rubles", "kopek", "kopeks"),
    "₺": Currency("lira", "lira"),
    "₪": Currency("shekel", "shekels", "agora", "agorot"),
    "฿": Currency("baht", "baht"),
    "₦": Currency("naira", "naira", "kobo", "kobo"),
    "₱": Currency("peso", "pesos", "centavo", "centavos"),
    "¢": Currency("cent", "cents"),
}

CODES: dict[str, Currency] = {
    "USD": _dollars("u s"),
    "EUR": _EURO,
    "GBP": _POUND,
    "JPY": _YEN,
    "INR": _RUPEE,
    "CNY": _YUAN,
    "RMB": _YUAN,
    "CAD": _dollars("canadian"),
    "AUD": _dollars("australian"),
    "NZD": _dollars("new zealand"),
    "HKD": _dollars("hong kong"),
    "SGD": _dollars("singapore"),
    "CHF": Currency("swiss franc", "swiss francs", "centime", "centimes"),
    "KRW": Currency("won", "won"),
    "RUB": Currency("ruble", "rubles", "kopek", "kopeks"),
    "BRL": Currency("real", "reais", "centavo", "centavos"),
    "MXN": Currency("mexican peso", "mexican pesos", "centavo", "centavos"),
    "ZAR": Currency("rand", "rand", "cent", "cents"),
    "SEK": Currency("swedish krona", "swedish kronor", "ore", "ore"),
    "NOK": Currency("norwegian krone", "norwegian kroner", "ore", "ore"),
    "DKK": Currency("danish krone", "danish kroner", "ore", "ore"),
    "PLN": Currency("zloty", "zlotys", "grosz", "groszy"),
    "TRY": Currency("turkish lira", "turkish lira"),
}


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_AMT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_SYM = _alternation([k for k in SYMBOLS if k != "¢"])
_CODE = _alternation(list(CODES))
_SCALE = r"[ \t]?(?:thousand|million|billion|trillion|bn|mn|mln|tn)|[kKmMbBT]|[ \t][kmbKMBT](?=[\s.,;:!?)]|$)"


def _scale_word(raw: str | None) -> str | None:
    return SCALES[raw.strip()] if raw else None


def amount(amt: str, scale: str | None, cur: Currency, *, adjectival: bool = False) -> str:
    """Read an amount: 3.50 dollars is "three dollars fifty cents"; adjectival 20 is "twenty dollar"."""
    if adjectival and "." not in amt and not scale:
        return f"{numwords.integer(amt)} {cur.one}"
    if scale:
        return f"{numwords.number(amt)} {scale} {cur.many}"
    whole, _, frac = amt.partition(".")
    whole_n = int(whole.replace(",", "") or "0")
    if frac and not frac.strip("0"):
        frac = ""
    if frac and cur.minor_one and (len(frac) <= 2 or not frac[2:].strip("0")):
        minor = int(frac[:2].ljust(2, "0"))
        parts = []
        if whole_n:
            parts.append(f"{numwords.cardinal(whole_n)} {cur.one if whole_n == 1 else cur.many}")
        if minor:
            parts.append(f"{numwords.cardinal(minor)} {cur.minor_one if minor == 1 else cur.minor_many}")
        return " ".join(parts) or f"zero {cur.many}"
    if frac:
        return f"{numwords.decimal(amt)} {cur.many}"
    return f"{numwords.integer(whole)} {cur.one if whole_n == 1 else cur.many}"


def _bare(amt: str, scale: str | None) -> str:
    return numwords.number(amt) + (f" {scale}" if scale else "")


def _money(m: re.Match[str], ctx: Context) -> None:
    if not ctx.on(MONEY):
        ctx.verbatim(m.start(), m.end())
        return
    g = m.group
    if g("sym"):
        cur = SYMBOLS[g("sym")]
        amt, scale = g("amt"), _scale_word(g("scale"))
        adjectival = not g("amt2") and not g("neg") and ctx.prev_word().lower() in ("a", "an")
        spoken = amount(amt, scale, cur, adjectival=adjectival)
        if g("amt2"):
            scale2 = _scale_word(g("scale2"))
            second = amount(g("amt2"), scale2, cur)
            if g("sym2") or ("." in amt and not scale):
                spoken = f"{spoken} to {second}"
            else:
                spoken = f"{_bare(amt, scale)} to {second}"
        if g("neg"):
            spoken = "minus " + spoken
    elif g("code"):
        spoken = amount(g("camt"), _scale_word(g("cscale")), CODES[g("code")])
    else:
        unit = g("scode") or g("cent")
        cur = SYMBOLS[unit] if unit in SYMBOLS else CODES[unit]
        spoken = amount(g("samt"), _scale_word(g("sscale")), cur)
    ctx.word(spoken, m.start(), m.end(), MONEY)


MONEY_RULE = Rule(
    "money",
    frozenset({MONEY}),
    re.compile(
        r"(?:(?<![\w.])(?P<neg>[-−])?(?<![\w])(?P<sym>" + _SYM + r")[ \t]?(?P<amt>" + _AMT + r")"
        r"(?P<scale>" + _SCALE + r")?(?![^\W_])"
        r"(?:[ \t]?[-–][ \t]?(?P<sym2>"
        + _SYM
        + r")?(?P<amt2>"
        + _AMT
        + r")(?P<scale2>"
        + _SCALE
        + r")?(?![^\W_]))?"
        r"|(?<![\w])(?P<code>"
        + _CODE
        + r")[ \t]?(?P<camt>"
        + _AMT
        + r")(?P<cscale>"
        + _SCALE
        + r")?(?![^\W_])"
        r"|(?<![\w.,])(?P<samt>" + _AMT + r")(?P<sscale>" + _SCALE + r")?"
        r"(?:[ \t]?(?P<scode>" + _CODE + r")(?![^\W_])|(?P<cent>¢|€))"
        r")"
    ),
    _money,
)
