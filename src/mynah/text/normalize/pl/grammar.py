"""Polish inflection the readings need: which noun form a number selects, gender of "dwa"/"jeden",
the genitive of cardinals ("od pięciu do dziesięciu"), and the case endings of ordinals."""

from __future__ import annotations

from mynah.text.normalize.intl.slavic import Agreement, Counting, Declension, OrdinalEndings
from mynah.text.normalize.wordlist import word_list

_GENITIVE = dict(
    zip(
        word_list(
            "jeden dwa dwie trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście "
            "trzynaście czternaście piętnaście szesnaście siedemnaście osiemnaście dziewiętnaście "
            "dwadzieścia trzydzieści czterdzieści pięćdziesiąt sześćdziesiąt siedemdziesiąt "
            "osiemdziesiąt dziewięćdziesiąt sto dwieście trzysta czterysta pięćset sześćset siedemset "
            "osiemset dziewięćset tysiąc tysiące tysięcy milion miliony milionów"
        ),
        word_list(
            "jednego dwóch dwóch trzech czterech pięciu sześciu siedmiu ośmiu dziewięciu dziesięciu "
            "jedenastu dwunastu trzynastu czternastu piętnastu szesnastu siedemnastu osiemnastu "
            "dziewiętnastu dwudziestu trzydziestu czterdziestu pięćdziesięciu sześćdziesięciu "
            "siedemdziesięciu osiemdziesięciu dziewięćdziesięciu stu dwustu trzystu czterystu pięciuset "
            "sześciuset siedmiuset ośmiuset dziewięciuset tysiąca tysięcy tysięcy miliona milionów "
            "milionów"
        ),
        strict=True,
    )
)

ENDINGS = {
    # case -> (ending after a hard stem "pierwsz-y", ending after a soft or velar stem "trzec-i", "drug-i")
    "m_nom": ("y", "i"),
    "f_nom": ("a", "a"),
    "n_nom": ("e", "ie"),
    "m_gen": ("ego", "iego"),
    "f_gen": ("ej", "iej"),
    "m_loc": ("ym", "im"),
    "f_loc": ("ej", "iej"),
    "f_ins": ("ą", "ą"),
    "m_ins": ("ym", "im"),
    "pl_gen": ("ych", "ich"),
    "pl_nom": ("e", "ie"),
    "pl_loc": ("ych", "ich"),
    "pl_dat": ("ym", "im"),
    "pl_ins": ("ymi", "imi"),
}


ORDINALS = OrdinalEndings(
    (
        ("ci", {case: "c" + soft for case, (_, soft) in ENDINGS.items()} | {"f_nom": "cia", "f_ins": "cią"}),
        ("i", {case: soft for case, (_, soft) in ENDINGS.items()}),
        ("y", {case: hard for case, (hard, _) in ENDINGS.items()}),
    )
)
"""After c the i of the stem stays before a and ą ("trzecia", "trzecią"), after g it does not ("druga")."""
DECLENSION = Declension(_GENITIVE)
COUNTING = Counting(one_ends_in_one=False, few_repeat=True, fractional=3)
"""0 "jeden kilometr", 1 "dwa kilometry" (and "dwadzieścia dwa"), 2 "pięć kilometrów" (and
"dwadzieścia jeden"), 3 "dwa i pół kilometra" (decimals)."""
AGREEMENT = Agreement({"f": {"dwa": "dwie"}}, alone={"f": {"jeden": "jedna"}, "n": {"jeden": "jedno"}})

genitive = DECLENSION.genitive
noun_form = COUNTING.form
gendered = AGREEMENT.gendered


def inflect_ordinal(nominative: str, cardinal_words: str, case: str) -> str:
    """Each ordinal word of `nominative` (the words that are not also in `cardinal_words`: "dwa
    tysiące" stays in "dwa tysiące dwudziesty czwarty") takes the ending of `case`."""
    return ORDINALS.every(nominative, case, keep=frozenset(cardinal_words.split()))
