"""Ukrainian inflection of number words: ordinal endings by case and gender (only the last word
inflects: "дві тисячі двадцять четвертого"), cardinals in the genitive, and the noun form a number
selects (один кілометр, два кілометри, п'ять кілометрів, два цілих п'ять десятих кілометра)."""

from __future__ import annotations

_HARD = {
    "m_nom": "ий",
    "m_gen": "ого",
    "m_loc": "ому",
    "f_nom": "а",
    "f_gen": "ої",
    "f_loc": "ій",
    "f_acc": "у",
    "n_nom": "е",
    "pl_nom": "і",
    "pl_gen": "их",
}
_SOFT = {
    "m_nom": "ій",
    "m_gen": "ього",
    "m_loc": "ьому",
    "f_nom": "я",
    "f_gen": "ьої",
    "f_loc": "ій",
    "f_acc": "ю",
    "n_nom": "є",
    "pl_nom": "і",
    "pl_gen": "іх",
}
MARKERS = {
    "й": "m_nom",
    "ий": "m_nom",
    "ій": "m_nom",
    "го": "m_gen",
    "ого": "m_gen",
    "му": "m_loc",
    "ому": "m_loc",
    "а": "f_nom",
    "га": "f_nom",
    "тя": "f_nom",
    "та": "f_nom",
    "ша": "f_nom",
    "ту": "f_acc",
    "шу": "f_acc",
    "тю": "f_acc",
    "те": "n_nom",
    "ше": "n_nom",
    "ї": "f_gen",
    "ої": "f_gen",
    "е": "n_nom",
    "ге": "n_nom",
    "тє": "n_nom",
    "і": "pl_nom",
    "х": "pl_gen",
    "их": "pl_gen",
}
"""Written ordinal endings ("5-й", "3-го", "2-га", "1990-х") -> the form they stand for."""

_GENITIVE = {
    "нуль": "нуля",
    "один": "одного",
    "одна": "однієї",
    "одне": "одного",
    "два": "двох",
    "дві": "двох",
    "три": "трьох",
    "чотири": "чотирьох",
    "шість": "шести",
    "сім": "семи",
    "вісім": "восьми",
    "сорок": "сорока",
    "дев'яносто": "дев'яноста",
    "сто": "ста",
    "двісті": "двохсот",
    "триста": "трьохсот",
    "чотириста": "чотирьохсот",
    "шістсот": "шестисот",
    "сімсот": "семисот",
    "вісімсот": "восьмисот",
    "тисяча": "тисячі",
    "тисячі": "тисяч",
    "мільйон": "мільйона",
    "мільйони": "мільйонів",
}


def inflect_ordinal(words: str, form: str) -> str:
    head, _, last = words.rpartition(" ")
    if last.endswith("ій"):
        last = last[:-2] + _SOFT[form]  # "третій" -> "третього"
    elif last.endswith("ий"):
        last = last[:-2] + _HARD[form]
    return f"{head} {last}" if head else last


def genitive(words: str) -> str:
    """ "двадцять п'ять" -> "двадцяти п'яти"."""
    out = []
    for w in words.split():
        if w in _GENITIVE:
            w = _GENITIVE[w]
        elif w.endswith("сот"):  # п'ятсот -> п'ятисот
            w = w[:-3] + "исот"
        elif w.endswith("ь"):  # п'ять -> п'яти, двадцять -> двадцяти, п'ятдесят... below
            w = w[:-1] + "и"
        elif w.endswith("десят"):  # п'ятдесят -> п'ятдесяти
            w += "и"
        out.append(w)
    return " ".join(out)


def noun_form(n: int, fractional: bool = False) -> int:
    if fractional:
        return 3
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def gendered(words: str, gender: str) -> str:
    head, _, last = words.rpartition(" ")
    if gender == "f":
        last = {"один": "одна", "два": "дві"}.get(last, last)
    elif gender == "n":
        last = {"один": "одне"}.get(last, last)
    return f"{head} {last}" if head else last
