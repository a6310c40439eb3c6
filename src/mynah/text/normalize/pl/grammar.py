"""Polish inflection the readings need: which noun form a number selects, gender of "dwa"/"jeden",
the genitive of cardinals ("od pięciu do dziesięciu"), and the case endings of ordinals."""

from __future__ import annotations

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
    "pl_gen": ("ych", "ich"),
    "pl_nom": ("e", "ie"),
}


def noun_form(n: int, fractional: bool = False) -> int:
    """0 "jeden kilometr", 1 "dwa kilometry", 2 "pięć kilometrów", 3 "dwa i pół kilometra" (decimals)."""
    if fractional:
        return 3
    if n == 1:
        return 0
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return 1
    return 2


def gendered(words: str, n: int, gender: str) -> str:
    """ "dwa" -> "dwie" before a feminine noun; "jeden" -> "jedna"/"jedno" when the number is one."""
    parts = words.split()
    if gender == "f" and parts and parts[-1] == "dwa":
        parts[-1] = "dwie"
    if n == 1 and parts == ["jeden"]:
        parts = [{"f": "jedna", "n": "jedno"}.get(gender, "jeden")]
    return " ".join(parts)


def genitive(words: str) -> str:
    return " ".join(_GENITIVE.get(w, w) for w in words.split())


def inflect_ordinal(nominative: str, cardinal_words: str, case: str) -> str:
    """Each ordinal word of `nominative` (the words that are not also in `cardinal_words`: "dwa
    tysiące" stays in "dwa tysiące dwudziesty czwarty") takes the ending of `case`."""
    if case == "m_nom":
        return nominative
    keep = set(cardinal_words.split())
    out = []
    for word in nominative.split():
        if word in keep or word[-1] not in "yi":
            out.append(word)
        elif word.endswith("i"):
            stem = word[:-1]
            soft = stem.endswith("c")  # "trzeci" -> "trzecia", "trzeciego"
            hard, ending = ENDINGS[case]
            if case in ("f_nom", "f_ins"):  # "druga", "trzecia": the i of the stem only after c
                ending = ("i" if soft else "") + hard
            out.append(stem + ending)
        else:
            out.append(word[:-1] + ENDINGS[case][0])
    return " ".join(out)
