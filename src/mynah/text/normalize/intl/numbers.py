"""Written numbers in a language's own format: the patterns that find them and the parser that reads them.

`1.234,5` (German, Spanish, Italian, Portuguese), `1 234,5` with a space, no-break space or narrow
no-break space (French, Russian, Swedish, and German by DIN 5008): the language says which characters
group thousands and which one marks decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mynah.text.normalize.intl.language import Language

SPACE = "[ \u00a0\u202f\u2009]"
"""A space inside a reading: ordinary, no-break, narrow no-break or thin."""

VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅛": (1, 8), "⅜": (3, 8)}


@dataclass(frozen=True)
class Number:
    """A parsed written number: sign, whole part and the digits after the decimal mark ("" for none)."""

    whole: int
    frac: str
    negative: bool = False

    @property
    def fractional(self) -> bool:
        return bool(self.frac)


def number_pattern(lang: Language) -> str:
    """A regex (no groups of its own) for one written number of `lang`, unsigned."""
    group = "[" + re.escape(lang.group) + "]"
    mark = re.escape(lang.decimal_mark)
    return rf"(?:\d{{1,3}}(?:{group}\d{{3}})+(?!\d)|\d+)(?:{mark}\d+)?"


def parse(text: str, lang: Language) -> Number:
    negative = text[:1] in "-−"
    if negative:
        text = text[1:]
    for ch in lang.group:
        text = text.replace(ch, "")
    whole, _, frac = text.partition(lang.decimal_mark)
    return Number(int(whole or "0"), frac, negative)


def say(number: Number, lang: Language) -> str:
    """A number read on its own: cardinal or decimal."""
    if number.frac:
        return lang.decimal(number.whole, number.frac, number.negative)
    words = lang.cardinal(number.whole)
    return f"{lang.minus} {words}" if number.negative else words


def alternation(keys: list[str] | tuple[str, ...], *, word_end: bool = True) -> str:
    """A regex matching any of `keys` (longest first); keys ending in a letter must end a word."""
    parts = []
    for key in sorted(set(keys), key=len, reverse=True):
        escaped = re.escape(key)
        if word_end and key[-1:].isalnum():
            escaped += r"(?![^\W_])"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"
