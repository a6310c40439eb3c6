"""Turkish number words, written here rather than taken from num2words: num2words 0.5 writes them in one
word ("binikiyüzotuzdört", "yirmibir", "birmilyon"), where TDK writes each part apart ("bin iki yüz otuz
dört"). Suffixes follow vowel harmony: the ordinal "-(ı)ncı" and the locative "-de/-da/-te/-ta"."""

from __future__ import annotations

from mynah.text.normalize.wordlist import word_list

ONES = word_list("sıfır bir iki üç dört beş altı yedi sekiz dokuz")
TENS = word_list("_ on yirmi otuz kırk elli altmış yetmiş seksen doksan")
_HARD = "fstkçşhp"
"""Consonants after which a suffix's d turns t ("dörtte", "üçte")."""


def below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds:
        words += ["yüz"] if hundreds == 1 else [ONES[hundreds], "yüz"]
    if tens:
        words.append(TENS[tens])
    if ones:
        words.append(ONES[ones])
    return words


def cardinal(n: int) -> str:
    if n < 0:
        return "eksi " + cardinal(-n)
    if n == 0:
        return ONES[0]
    words: list[str] = []
    for size, name in ((10**9, "milyar"), (10**6, "milyon"), (10**3, "bin")):
        count, n = divmod(n, size)
        if count >= 1000 and size == 10**9:
            return " ".join(ONES[int(d)] for d in str(count * size + n))
        if count:
            words += ([] if count == 1 and size == 1000 else below_thousand(count)) + [name]
    return " ".join(words + below_thousand(n))


def _last_vowel(word: str) -> str:
    for c in reversed(word):
        if c in "aıoueiöü":
            return c
    return "e"


def ordinal_suffix(word: str) -> str:
    """ "bir" -> "inci", "iki" -> "nci", "dokuz" -> "uncu", "üç" -> "üncü"."""
    vowel = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}[
        _last_vowel(word)
    ]
    core = f"nc{vowel}"
    return core if word[-1] in "aıoueiöü" else vowel + core


def attach(words: str, suffix: str) -> str:
    """A suffix written after a number ("1999'da", "4'üncü") joined to its last word; "dört" softens
    before a vowel ("dördüncü")."""
    if words.endswith("dört") and suffix[:1] in "aıoueiöü":
        words = words[:-1] + "d"
    return words + suffix


def ordinal(n: int) -> str:
    words = cardinal(n)
    return attach(words, ordinal_suffix(words.split()[-1]))


def locative(word: str) -> str:
    """ "dört" -> "dörtte", "iki" -> "ikide", "on" -> "onda": the denominator of a fraction."""
    vowel = "a" if _last_vowel(word) in "aıou" else "e"
    return word + ("t" if word[-1] in _HARD else "d") + vowel
