"""Russian inflection of number words: ordinal endings by case and gender, cardinals in the genitive,
and the three noun forms a number selects (один километр, два километра, пять километров).

Cases are keyed `<gender>_<case>`: m (masculine), f (feminine), n (neuter), pl (plural); nom, gen,
dat, acc, ins, pre. Only the last word of an ordinal inflects ("две тысячи двадцать четвёртого").
"""

from __future__ import annotations

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


def inflect_ordinal(words: str, form: str) -> str:
    """ "двадцать первый" in `form` ("m_gen" -> "двадцать первого")."""
    head, _, last = words.rpartition(" ")
    if last.startswith("трет"):
        last = "трет" + _THIRD[form]
    elif last.endswith("ой") and form == "m_nom":
        pass  # "второй", "шестой", "сороковой"
    else:
        last = last[:-2] + _HARD[form]
    return f"{head} {last}" if head else last


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
_HUNDREDS = {"двести": "двухсот", "триста": "трёхсот", "четыреста": "четырёхсот"}


def genitive(words: str) -> str:
    """Cardinal words in the genitive: "двадцать пять" -> "двадцати пяти"."""
    out = []
    for w in words.split():
        if w in _GENITIVE:
            w = _GENITIVE[w]
        elif w in _HUNDREDS:
            w = _HUNDREDS[w]
        elif w.endswith("ьсот"):  # пятьсот -> пятисот
            w = w[:-4] + "исот"
        elif w.endswith("ьдесят"):  # пятьдесят -> пятидесяти
            w = w[:-6] + "идесяти"
        elif w.endswith("ь"):  # пять -> пяти, двадцать -> двадцати
            w = w[:-1] + "и"
        out.append(w.replace("восеми", "восьми"))  # the fleeting e of "восемь"
    return " ".join(out)


def noun_form(n: int, fractional: bool = False) -> int:
    """0: один километр; 1: два километра (and any decimal); 2: пять километров."""
    if fractional:
        return 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def gendered(words: str, gender: str) -> str:
    """Cardinal words before a noun of `gender`: "один" -> "одна"/"одно", "два" -> "две"."""
    head, _, last = words.rpartition(" ")
    if gender == "f":
        last = {"один": "одна", "два": "две"}.get(last, last)
    elif gender == "n":
        last = {"один": "одно"}.get(last, last)
    return f"{head} {last}" if head else last
