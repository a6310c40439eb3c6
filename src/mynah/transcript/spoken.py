"""Numbers spoken as words, read back into values: the inverse of `mynah.text.normalize.en.numwords`.

    parse_number(tokens, i)  -> SpokenNumber | None   "two hundred and five thousand" -> 205000
    parse_digits(tokens, i)  -> (digits, consumed)    "four one oh double five"      -> "41055"
    parse_year(tokens, i)    -> (year, consumed)      "nineteen ninety nine"         -> 1999

The word tables are built from the normaliser's own words (`cardinal`, `ordinal`), so what mynah says
when it reads "21st" aloud is exactly what is read back here. Tokens are lower-case words without
punctuation (`plain`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mynah.text.normalize.en.numwords import DIGITS, cardinal, ordinal

__all__ = ["DIGIT_WORDS", "SpokenNumber", "parse_digits", "parse_number", "parse_year", "plain"]

_UNITS = {cardinal(n): n for n in range(10)}
_TEENS = {cardinal(n): n for n in range(10, 20)}
_TENS = {cardinal(n): n for n in range(20, 100, 10)}
_ORDINAL_SMALL = {ordinal(n): n for n in range(1, 20)}
_ORDINAL_TENS = {ordinal(n): n for n in range(20, 100, 10)}
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
DIGIT_WORDS = {word: str(n) for n, word in enumerate(DIGITS)} | {"oh": "0", "o": "0"}
_REPEAT = {"double": 2, "triple": 3}
_PUNCTUATION = re.compile(r"^[^\w']+|[^\w']+$")


def plain(text: str) -> str:
    """A word as the tables know it: lower case, no surrounding punctuation."""
    return _PUNCTUATION.sub("", text.lower())


@dataclass(frozen=True)
class SpokenNumber:
    value: float
    consumed: int
    ordinal: bool = False
    decimals: str | None = None
    """With "point": the digits after the point as spoken ("three point zero five" -> "05")."""
    scale: str | None = None
    """The scale word a whole number ended on ("two million" -> "million"), for "2 million"."""

    @property
    def whole(self) -> int:
        return int(self.value)

    def digits(self) -> str:
        """The number written with digits, commas between thousands: "1,500", "3.05", "2 million"."""
        if self.scale is not None and self.scale != "thousand" and self.decimals is None:
            unit = _SCALES[self.scale]
            if self.whole % unit == 0:
                return f"{self.whole // unit:,} {self.scale}"
        if self.decimals is not None:
            text = f"{self.whole:,}.{self.decimals}"
            return f"{text} {self.scale}" if self.scale else text
        return f"{self.whole:,}" if self.whole >= 10000 else str(self.whole)


def parse_number(tokens: list[str], i: int) -> SpokenNumber | None:
    """The number spoken at tokens[i:], the longest reading ("twenty five" is 25, not 20 then 5), or
    None. "a hundred", "a thousand" count; two single digits in a row end the number ("five five")."""
    j = i
    total = group = 0
    last: str | None = None  # unit, teen, tens, hundred, scale
    last_scale = 10**15
    scale_word: str | None = None
    is_ordinal = False
    if j + 1 < len(tokens) and tokens[j] == "a" and tokens[j + 1] in ("hundred", *_SCALES):
        group, last, j = 1, "unit", j + 1
    while j < len(tokens):
        word = tokens[j]
        if word in _UNITS or (word in _ORDINAL_SMALL and _ORDINAL_SMALL[word] < 10):
            if last in ("unit", "teen"):
                break
            value = _UNITS.get(word, _ORDINAL_SMALL.get(word, 0))
            if value == 0 and last is not None:
                break
            group += value
            last, is_ordinal = "unit", word not in _UNITS
        elif word in _TEENS or word in _ORDINAL_SMALL:
            if last in ("unit", "teen", "tens"):
                break
            group += _TEENS.get(word, _ORDINAL_SMALL.get(word, 0))
            last, is_ordinal = "teen", word not in _TEENS
        elif word in _TENS or word in _ORDINAL_TENS:
            if last in ("unit", "teen", "tens"):
                break
            group += _TENS.get(word, _ORDINAL_TENS.get(word, 0))
            last, is_ordinal = "tens", word not in _TENS
        elif word in ("hundred", "hundredth"):
            if last not in ("unit", "teen", "tens") or group >= 100 or group == 0:
                break
            group *= 100
            last, is_ordinal = "hundred", word == "hundredth"
        elif word in _SCALES or word.removesuffix("th") in _SCALES:
            scale = _SCALES[word.removesuffix("th")]
            if last is None or last == "scale" or scale >= last_scale or group == 0:
                break
            total += group * scale
            group, last_scale, scale_word = 0, scale, word.removesuffix("th")
            last, is_ordinal = "scale", word.endswith("th")
        elif word == "and" and last in ("hundred", "scale") and _starts_small(tokens, j + 1):
            j += 1
            continue
        else:
            break
        j += 1
        if is_ordinal:
            break
    if last is None:
        return None
    value = total + group
    if last != "scale":
        scale_word = None
    if not is_ordinal and j + 1 < len(tokens) and tokens[j] == "point":
        decimals, used = parse_digits(tokens, j + 1, minimum=1)
        if decimals:
            j += 1 + used
            tail = tokens[j] if j < len(tokens) else ""
            named = tail if tail in _SCALES and tail != "thousand" else None
            return SpokenNumber(
                value + float("0." + decimals), j - i + (1 if named else 0), decimals=decimals, scale=named
            )
    return SpokenNumber(value, j - i, ordinal=is_ordinal, scale=scale_word)


def _starts_small(tokens: list[str], j: int) -> bool:
    return j < len(tokens) and (tokens[j] in _UNITS or tokens[j] in _TEENS or tokens[j] in _TENS)


def parse_digits(tokens: list[str], i: int, *, minimum: int = 3) -> tuple[str, int]:
    """Digits spoken one by one at tokens[i:] ("four one oh double five" -> "41055"), with how many
    tokens they took; ("", 0) when fewer than `minimum` digits are there."""
    out: list[str] = []
    j = i
    while j < len(tokens):
        word = tokens[j]
        if word in _REPEAT and j + 1 < len(tokens) and tokens[j + 1] in DIGIT_WORDS:
            out.append(DIGIT_WORDS[tokens[j + 1]] * _REPEAT[word])
            j += 2
        elif word in DIGIT_WORDS and (word not in ("o", "oh") or out):
            out.append(DIGIT_WORDS[word])
            j += 1
        else:
            break
    text = "".join(out)
    return (text, j - i) if len(text) >= minimum else ("", 0)


def parse_year(tokens: list[str], i: int) -> tuple[int, int] | None:
    """A year read in pairs ("nineteen ninety nine", "fourteen fifty five", "twenty twenty four",
    "nineteen oh five", "nineteen hundred") or whole ("two thousand and five"): (year, consumed)."""
    first = parse_number(tokens, i)
    if first is None or first.ordinal:
        return None
    if 1000 <= first.whole <= 2099 and first.decimals is None and first.consumed > 1:
        return first.whole, first.consumed  # "two thousand five", "nineteen hundred"
    if not (11 <= first.whole <= 29) or first.consumed > 2:
        return None
    j = i + first.consumed
    if j + 1 < len(tokens) and tokens[j] in ("oh", "o") and tokens[j + 1] in _UNITS:
        return first.whole * 100 + _UNITS[tokens[j + 1]], first.consumed + 2
    second = parse_number(tokens, j)
    if second is None or second.ordinal or not (10 <= second.whole <= 99) or second.decimals:
        return None
    return first.whole * 100 + second.whole, first.consumed + second.consumed
