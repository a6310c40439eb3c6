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


_ENDINGS = {
    # case -> (ending after a back-vowel part, after a front-vowel part, on the strong stem)
    "gen": ("n", "n", False),
    "ine": ("ssa", "ssä", False),
    "ela": ("sta", "stä", False),
    "ade": ("lla", "llä", False),
    "abl": ("lta", "ltä", False),
    "all": ("lle", "lle", False),
    "tra": ("ksi", "ksi", False),
    "ess": ("na", "nä", True),
    "ill": ("en", "en", True),
}
_ESSIVE_NOUNS = frozenset({"päivänä", "kertana", "viikkona", "iltana", "aamuna", "yönä"})
_ILLATIVE = re.compile(r"(?:aa|ee|ii|oo|uu|yy|ää|öö|h[aeiouyäö])n$")


def noun_case(word: str) -> str | None:
    """The case of the noun after an ordinal, which the ordinal takes too ("2. kerroksessa" ->
    "toisessa kerroksessa"); None for a nominative or a word whose case cannot be told."""
    word = word.lower().rstrip(".,;:!?")
    if word in _ESSIVE_NOUNS:
        return "ess"
    for case, (back, front, _) in _ENDINGS.items():
        if case not in ("gen", "ess", "ill") and word.endswith((back, front)) and len(word) > len(back) + 2:
            return case
    if _ILLATIVE.search(word):
        return "ill"
    if word.endswith(("aa", "ää", "tta", "ttä")) and len(word) > 4:
        return "par"  # "sadatta syntymäpäivää", "viidettä kertaa"
    if re.search(r"[aeiouyäö]n$", word) and not word.endswith(("in", "nen")) and len(word) > 3:
        return "gen"  # "viidennen kerran", "toisen maailmansodan"; not "puhelin", "nainen"
    return None


def _case_part(part: str, case: str) -> str:
    if part == "toista":
        return part
    if case == "par":
        stem = part[:-4] + "ist" if part.endswith("inen") else part[:-1] + "tt"  # "toista", "kolmatta"
        return stem + ("a" if any(v in stem for v in "aou") else "ä")
    back, front, strong = _ENDINGS[case]
    if part.endswith("inen"):
        stem = part[:-4] + "ise"  # "ensimmäisenä", "toisessa"
    else:
        stem = part[:-1] + ("nte" if strong else "nne")  # "kolmantena", "kolmannessa"
    return stem + (back if any(v in stem for v in "aou") else front)


def ordinal_case(words: str, case: str) -> str:
    """ "kolmas" in `case` ("ine" -> "kolmannessa"); each part of a compound inflects:
    "kahdeskymmenesneljäs" -> "kahdennessakymmenennessäneljännessä"."""
    out = []
    for word in words.split():
        pieces = _split_ordinal(word)
        out.append("".join(_case_part(p, case) for p in pieces) if pieces else word)
    return " ".join(out)


def essive_ordinal(words: str) -> str:
    """ "kolmas" -> "kolmantena": the day of a date said as when something happens."""
    return ordinal_case(words, "ess")


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
