"""Czech number words num2words does not give or gets wrong: ordinals (num2words 0.5 has none for
Czech), hundreds apart ("dvě stě", "pět set": num2words writes "dvěstě", "pětset"), the noun form a
number selects, "dvě"/"jedna"/"jedno" before feminine and neuter nouns, and the case endings of
ordinals."""

from __future__ import annotations

import re

from mynah.text.normalize.wordlist import word_list

_HUNDREDS = re.compile(r"(dvě|tři|čtyři|pět|šest|sedm|osm|devět)(stě|sta|set)")
SMALL_ORDINALS = word_list(
    "_ první druhý třetí čtvrtý pátý šestý sedmý osmý devátý desátý jedenáctý dvanáctý třináctý "
    "čtrnáctý patnáctý šestnáctý sedmnáctý osmnáctý devatenáctý"
)
TENS_ORDINALS = word_list("_ _ dvacátý třicátý čtyřicátý padesátý šedesátý sedmdesátý osmdesátý devadesátý")
HUNDREDS_ORDINALS = word_list("_ stý dvoustý třístý čtyřstý pětistý šestistý sedmistý osmistý devítistý")
FRACTION_NOUNS = word_list("_ _ polovin třetin čtvrtin pětin šestin sedmin osmin devítin desetin")

ENDINGS = {
    # case -> (ending of a hard ordinal "druh-ý", ending of a soft one "tř-etí" after its stem)
    "m_nom": ("ý", "í"),
    "f_nom": ("á", "í"),
    "n_nom": ("é", "í"),
    "m_gen": ("ého", "ího"),
    "f_gen": ("é", "í"),
    "m_loc": ("ém", "ím"),
    "f_loc": ("é", "í"),
}


def apart(words: str) -> str:
    """ "dvěstě" -> "dvě stě", "pětset" -> "pět set"."""
    return _HUNDREDS.sub(r"\1 \2", words)


def noun_form(n: int, fractional: bool = False) -> int:
    """0 "jeden kilometr", 1 "dva kilometry", 2 "pět kilometrů", 3 "dvě celé pět kilometru"."""
    if fractional:
        return 3
    if n == 1:
        return 0
    return 1 if n in (2, 3, 4) else 2


def gendered(words: str, n: int, gender: str) -> str:
    parts = words.split()
    if gender in ("f", "n") and parts and parts[-1] == "dva":
        parts[-1] = "dvě"
    if n == 1 and parts == ["jedna"]:
        parts = [{"m": "jeden", "n": "jedno"}.get(gender, "jedna")]
    return " ".join(parts)


def ordinal(n: int, head: str) -> str:
    """Nominative masculine ordinal; above a hundred the last two places only ("sto dvacátý první"),
    `head` being the cardinal words of the hundreds and thousands."""
    rest = n % 100
    if rest == 0:
        if n < 1000:
            return HUNDREDS_ORDINALS[n // 100]
        return "tisící" if n == 1000 else head
    if rest < 20:
        last = SMALL_ORDINALS[rest]
    else:
        tens, ones = divmod(rest, 10)
        last = TENS_ORDINALS[tens] + (f" {SMALL_ORDINALS[ones]}" if ones else "")
    return f"{head} {last}".strip()


def inflect(nominative: str, case: str) -> str:
    if case == "m_nom":
        return nominative
    out = []
    for word in nominative.split():
        if word.endswith("ý"):
            out.append(word[:-1] + ENDINGS[case][0])
        elif word.endswith("í"):
            out.append(word[:-1] + ENDINGS[case][1])
        else:
            out.append(word)
    return " ".join(out)
