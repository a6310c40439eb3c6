"""Czech number words num2words does not give or gets wrong: ordinals (num2words 0.5 has none for
Czech), hundreds apart ("dvě stě", "pět set": num2words writes "dvěstě", "pětset"), the noun form a
number selects, "dvě"/"jedna"/"jedno" before feminine and neuter nouns, and the case endings of
ordinals."""

from __future__ import annotations

import re

from mynah.text.normalize.intl.slavic import Agreement, Counting, OrdinalEndings
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
    "m_dat": ("ému", "ímu"),
    "f_dat": ("é", "í"),
    "m_ins": ("ým", "ím"),
    "f_ins": ("ou", "í"),
}


def apart(words: str) -> str:
    """ "dvěstě" -> "dvě stě", "pětset" -> "pět set"."""
    return _HUNDREDS.sub(r"\1 \2", words)


COUNTING = Counting(one_ends_in_one=False, few_repeat=False, fractional=3)
"""0 "jeden kilometr", 1 "dva kilometry", 2 "pět kilometrů" (and "dvacet dva"), 3 "dvě celé pět
kilometru"."""
AGREEMENT = Agreement(
    {"f": {"dva": "dvě"}, "n": {"dva": "dvě"}}, alone={"m": {"jedna": "jeden"}, "n": {"jedna": "jedno"}}
)
ORDINALS = OrdinalEndings(
    (
        ("ý", {case: hard for case, (hard, _) in ENDINGS.items()}),
        ("í", {case: soft for case, (_, soft) in ENDINGS.items()}),
    )
)
"""Every ordinal word inflects: "dvacátého prvního"."""

noun_form = COUNTING.form
gendered = AGREEMENT.gendered


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
    return ORDINALS.every(nominative, case)
