"""Roman numerals, read only where context says they are numbers.

- After a counting word ("Chapter IV", "World War II", "Part I", "Super Bowl LVII") -> cardinal:
  "chapter four", "world war two".
- After a regnal name or a royal title and a name ("Henry VIII", "King George III", "Louis XIV",
  "Pope John Paul II") -> "the" + ordinal: "henry the eighth".
- After two capitalised words ("Thurston Howell III") -> "the third"; after one ("Rocky II") -> "two".
  (So "Final Fantasy VII" is wrongly "the seventh": a known weak spot.)
- Anywhere else the letters are a word: "I" stays the pronoun, "MIX", "DC", "CIVIL" are left to the
  acronym rules. Single letters other than I, V and X ("C", "D", "L", "M") are never numerals.
"""

from __future__ import annotations

import re

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.en import numwords
from mynah.text.normalize.en.plain import WORD
from mynah.text.normalize.model import ABBREVIATION, ACRONYM, ROMAN, SYMBOL
from mynah.text.normalize.wordlist import words

COUNTING_WORDS = words(
    """chapter chapters part parts book books volume vol act scene section article appendix war phase
    stage round season episode series title psalm canto unit schedule annex amendment bowl apollo
    council olympiad mark mk level tier class grade type"""
)
REGNAL_NAMES = words(
    """henry george edward elizabeth louis charles james william richard john paul benedict pius leo
    gregory innocent clement alexander nicholas peter catherine frederick philip ferdinand mary victor
    emmanuel ramesses ramses napoleon alfonso carlos juan gustav christian olaf haakon harald
    constantine ivan boniface urban sixtus felix stephen david malcolm robert mehmed suleiman selim
    murad amenhotep thutmose ptolemy antiochus cleopatra seleucus darius xerxes artaxerxes otto
    wilhelm friedrich ludwig rudolf karl franz leopold maximilian sigismund casimir sobieski vladislav
    wenceslaus ottokar béla ladislaus matthias margrethe umberto vittorio willem beatrix juliana
    rama bhumibol hussein abdullah faisal
    sam samuel tom thomas bill bob joe joseph jim tim mike michael dan daniel steve steven tony
    frank fred jack harry ben benjamin andrew matthew mark luke chris christopher ted ed"""
)
TITLES = words(
    "king queen pope emperor empress tsar czar tsarina prince princess duke duchess sultan pharaoh "
    "kaiser shah lord lady saint st st. grand"
)

_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(s: str) -> int:
    total = 0
    for i, c in enumerate(s):
        v = _VALUES[c]
        if i + 1 < len(s) and _VALUES[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def _reading(ctx: Context, text: str, end: int) -> str | None:
    prev = ctx.prev_words(3)
    if not prev:
        return None
    if len(text) == 1 and text not in "IVX":
        return None
    p1 = prev[0].rstrip(".").lower()
    if p1 in COUNTING_WORDS:
        if len(text) == 1 and not prev[0][:1].isupper() and ctx.next_word(end)[:1].islower():
            return None  # "in part I explain": the pronoun
        return numwords.cardinal(roman_value(text))
    if not prev[0][:1].isupper():
        return None
    value = roman_value(text)
    ordinal = "the " + numwords.ordinal(value)
    if p1 in REGNAL_NAMES:
        return ordinal
    p2 = prev[1].rstrip(".").lower() if len(prev) > 1 else ""
    if p2 in TITLES:
        return ordinal
    if len(text) < 2 or set(text) - set("IVX"):
        return None
    if len(prev) > 1 and prev[1][:1].isupper() and prev[1].isalpha():
        return ordinal
    return numwords.cardinal(value)


def _roman(m: re.Match[str], ctx: Context) -> None:
    text = m.group()
    spoken = _reading(ctx, text, m.end()) if ctx.on(ROMAN) else None
    if spoken is None:
        WORD.handle(m, ctx)
        return
    ctx.word(spoken, m.start(), m.end(), ROMAN)


ROMAN_RULE = Rule(
    "roman",
    frozenset({ROMAN, ACRONYM, ABBREVIATION, SYMBOL}),
    re.compile(
        r"(?<![\w'’-])(?=[IVXLCDM])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w'’-])"
    ),
    _roman,
    needs_groups=False,
)
