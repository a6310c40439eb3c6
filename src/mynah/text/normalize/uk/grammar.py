"""Ukrainian inflection of number words: ordinal endings by case and gender (only the last word
inflects: "дві тисячі двадцять четвертого"), cardinals in the genitive, and the noun form a number
selects (один кілометр, два кілометри, п'ять кілометрів, два цілих п'ять десятих кілометра)."""

from __future__ import annotations

from mynah.text.normalize.intl.slavic import Agreement, Counting, Declension, OrdinalEndings

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
    "m_ins": "им",
    "f_ins": "ою",
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
    "m_ins": "ім",
    "f_ins": "ьою",
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


ORDINALS = OrdinalEndings((("ій", _SOFT), ("ий", _HARD)))
"""Only the last word inflects; "третій" is soft ("третього")."""
DECLENSION = Declension(_GENITIVE, (("сот", "исот"), ("ь", "и"), ("десят", "десяти")))
"""п'ятсот -> п'ятисот, п'ять -> п'яти, двадцять -> двадцяти, п'ятдесят -> п'ятдесяти."""
COUNTING = Counting(one_ends_in_one=True, few_repeat=True, fractional=3)
"""один кілометр, два кілометри, п'ять кілометрів; a decimal: два цілих п'ять десятих кілометра."""
AGREEMENT = Agreement({"f": {"один": "одна", "два": "дві"}, "n": {"один": "одне"}})

inflect_ordinal = ORDINALS.last
genitive = DECLENSION.genitive
noun_form = COUNTING.form
gendered = AGREEMENT.gendered
