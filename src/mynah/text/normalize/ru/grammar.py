"""Russian inflection of number words: ordinal endings by case and gender, cardinals in the genitive,
and the three noun forms a number selects (один километр, два километра, пять километров).

Cases are keyed `<gender>_<case>`: m (masculine), f (feminine), n (neuter), pl (plural); nom, gen,
dat, acc, ins, pre. Only the last word of an ordinal inflects ("две тысячи двадцать четвёртого").
"""

from __future__ import annotations

from mynah.text.normalize.intl.slavic import Agreement, Counting, Declension, OrdinalEndings

_HARD = {
    "m_nom": "ый",
    "m_gen": "ого",
    "m_dat": "ому",
    "m_acc": "ый",
    "m_ins": "ым",
    "m_pre": "ом",
    "f_nom": "ая",
    "f_gen": "ой",
    "f_dat": "ой",
    "f_acc": "ую",
    "f_ins": "ой",
    "f_pre": "ой",
    "n_nom": "ое",
    "n_gen": "ого",
    "n_dat": "ому",
    "n_acc": "ое",
    "n_ins": "ым",
    "n_pre": "ом",
    "pl_nom": "ые",
    "pl_gen": "ых",
    "pl_dat": "ым",
    "pl_acc": "ые",
    "pl_ins": "ыми",
    "pl_pre": "ых",
}
_THIRD = {
    key: "ь" + ending.replace("ы", "и").replace("ого", "его").replace("ому", "ему").replace("ом", "ем")
    for key, ending in _HARD.items()
}
_THIRD.update(
    {
        "m_nom": "ий",
        "m_acc": "ий",
        "f_nom": "ья",
        "f_acc": "ью",
        "f_gen": "ьей",
        "f_dat": "ьей",
        "f_ins": "ьей",
        "f_pre": "ьей",
        "n_nom": "ье",
        "n_acc": "ье",
        "pl_nom": "ьи",
        "pl_acc": "ьи",
    }
)

MARKERS = {
    "й": "m_nom",
    "ый": "m_nom",
    "ий": "m_nom",
    "ой": "f_gen",
    "я": "f_nom",
    "ая": "f_nom",
    "е": "n_nom",
    "ое": "n_nom",
    "ые": "pl_nom",
    "го": "m_gen",
    "ого": "m_gen",
    "его": "m_gen",
    "му": "m_dat",
    "ому": "m_dat",
    "ему": "m_dat",
    "м": "m_pre",
    "ом": "m_pre",
    "ем": "m_pre",
    "ым": "m_ins",
    "ю": "f_acc",
    "ую": "f_acc",
    "х": "pl_gen",
    "ых": "pl_gen",
    "ми": "pl_ins",
    "ыми": "pl_ins",
}
"""Written ordinal endings ("5-го", "3-я", "1990-х") -> the form they stand for."""


_GENITIVE = {
    "ноль": "ноля",
    "один": "одного",
    "одна": "одной",
    "одно": "одного",
    "два": "двух",
    "две": "двух",
    "три": "трёх",
    "четыре": "четырёх",
    "сорок": "сорока",
    "девяносто": "девяноста",
    "сто": "ста",
    "тысяча": "тысячи",
    "тысячи": "тысяч",
    "миллион": "миллиона",
    "миллиона": "миллионов",
    "миллиард": "миллиарда",
    "миллиарда": "миллиардов",
}
_GENITIVE.update({"двести": "двухсот", "триста": "трёхсот", "четыреста": "четырёхсот"})
_GENITIVE.update({"восемь": "восьми", "восемьдесят": "восьмидесяти", "восемьсот": "восьмисот"})  # fleeting e

ORDINALS = OrdinalEndings((("ий", _THIRD), ("ой", {**_HARD, "m_nom": "ой"}), ("ый", _HARD)))
"""Only "третий" is soft; "второй", "шестой", "сороковой" keep "-ой" in the nominative."""
DECLENSION = Declension(_GENITIVE, (("ьсот", "исот"), ("ьдесят", "идесяти"), ("ь", "и")))
"""пятьсот -> пятисот, пятьдесят -> пятидесяти, пять -> пяти, двадцать -> двадцати."""
COUNTING = Counting(one_ends_in_one=True, few_repeat=True, fractional=1)
"""один километр, два километра, пять километров; a decimal: две целых пять десятых километра."""
AGREEMENT = Agreement({"f": {"один": "одна", "два": "две"}, "n": {"один": "одно"}})

inflect_ordinal = ORDINALS.last
genitive = DECLENSION.genitive
noun_form = COUNTING.form
gendered = AGREEMENT.gendered
