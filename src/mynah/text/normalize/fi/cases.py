"""Finnish number words in the elative and illative ("kymmenestä kahteenkymmeneen"): a range is read
from one to the other. num2words writes compounds in one word ("kaksikymmentäviisi"), so the words are
cut into their parts and each part takes the case."""

from __future__ import annotations

import re

_PARTS = {
    # nominative -> (elative, illative)
    "yksi": ("yhdestä", "yhteen"),
    "kaksi": ("kahdesta", "kahteen"),
    "kolme": ("kolmesta", "kolmeen"),
    "neljä": ("neljästä", "neljään"),
    "viisi": ("viidestä", "viiteen"),
    "kuusi": ("kuudesta", "kuuteen"),
    "seitsemän": ("seitsemästä", "seitsemään"),
    "kahdeksan": ("kahdeksasta", "kahdeksaan"),
    "yhdeksän": ("yhdeksästä", "yhdeksään"),
    "kymmenen": ("kymmenestä", "kymmeneen"),
    "kymmentä": ("kymmenestä", "kymmeneen"),
    "toista": ("toista", "toista"),
    "sata": ("sadasta", "sataan"),
    "sataa": ("sadasta", "sataan"),
    "tuhat": ("tuhannesta", "tuhanteen"),
    "tuhatta": ("tuhannesta", "tuhanteen"),
    "nolla": ("nollasta", "nollaan"),
}
_PART = re.compile("|".join(sorted(_PARTS, key=len, reverse=True)))


def inflect(words: str, case: int) -> str:
    """`case` 0 elative ("-sta"), 1 illative ("-Vn"); words that are not number parts stay."""
    out = []
    for word in words.split():
        pieces = _PART.findall(word)
        if "".join(pieces) != word:
            out.append(word)
            continue
        out.append("".join(_PARTS[p][case] for p in pieces))
    return " ".join(out)


def _essive_part(part: str) -> str:
    if part == "toista":
        return part
    if part.endswith("inen"):
        stem = part[:-4] + "ise"  # "ensimmäisenä", "toisena"
    else:
        stem = part[:-1] + "nte"  # "kolmantena", "neljäntenä", "kymmenentenä"
    return stem + ("na" if any(v in stem for v in "aou") else "nä")


def essive_ordinal(words: str) -> str:
    """ "kolmas" -> "kolmantena", "kahdeskymmenesneljäs" -> "kahdentenakymmenentenäneljäntenä": the
    day of a date said as when something happens."""
    out = []
    for word in words.split():
        pieces = _split_ordinal(word)
        out.append("".join(_essive_part(p) for p in pieces) if pieces else word)
    return " ".join(out)


_ORDINAL_WORDS = (
    "ensimmäinen",
    "toinen",
    "yhdes",
    "kahdes",
    "kolmas",
    "neljäs",
    "viides",
    "kuudes",
    "seitsemäs",
    "kahdeksas",
    "yhdeksäs",
    "kymmenes",
    "toista",
    "sadas",
)
_ORDINAL_SPLIT = re.compile("|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)))


def _split_ordinal(word: str) -> list[str]:
    pieces = _ORDINAL_SPLIT.findall(word)
    return pieces if "".join(pieces) == word else []
