"""Ukrainian readings (Український правопис 2019, Антоненко-Давидович "Як ми говоримо"; news, recipes,
Укрзалізниця timetables, invoices).

- Thousands grouped by a (no-break) space; decimals as fractions ("три цілих чотирнадцять сотих");
  three noun forms ("один кілометр", "два кілометри", "п'ять кілометрів"), a decimal the genitive
  singular; "одна гривня", "дві гривні"; "тисяча" without "одна" (num2words 0.5 writes "одна тисяча").
- Written ordinals keep their ending ("5-й", "3-го", "2-га"); dates read the day in the genitive and the
  year as an ordinal with "року" ("3 травня 2024 р." -> "третього травня дві тисячі двадцять четвертого
  року"); "у 2024 році" -> "у дві тисячі двадцять четвертому році".
- Hours after "о" as feminine ordinals ("о чотирнадцятій тридцять"); money "дванадцять гривень
  п'ятдесят копійок"; ranges "від п'яти до десяти кілометрів".
- Rulers "Петро I" -> "Петро перший", in the case and gender of the name ("за Петра I" -> "за Петра
  першого"; `names.py`); centuries "у XIX столітті" -> "у дев'ятнадцятому столітті".
- Two years before one "рік" each in its own case ("з 2010 по 2020 рік" -> "з дві тисячі десятого по
  дві тисячі двадцятий рік").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.intl.slavic import year_rule
from mynah.text.normalize.model import DATE, TIME
from mynah.text.normalize.uk.grammar import MARKERS, gendered, genitive, inflect_ordinal, noun_form
from mynah.text.normalize.uk.names import regnal_form
from mynah.text.normalize.wordlist import words

_HRYVNIA = Currency(
    Noun.of("гривня|гривні|гривень|гривні", "f"), Noun.of("копійка|копійки|копійок|копійки", "f")
)
_DOLLAR = Currency(Noun.of("долар|долари|доларів|долара"), Noun.of("цент|центи|центів|цента"))
_EURO = Currency(Noun.of("євро"), Noun.of("цент|центи|центів|цента"))
_THOUSAND = Noun.of("тисяча|тисячі|тисяч|тисячі", "f")
_MILLION = Noun.of("мільйон|мільйони|мільйонів|мільйона")
_BILLION = Noun.of("мільярд|мільярди|мільярдів|мільярда")
_HOUR = Noun.of("година|години|годин|години", "f")
_MINUTE = Noun.of("хвилина|хвилини|хвилин|хвилини", "f")
_DENOMINATOR = ("", "десят", "сот", "тисячн")
_LOCATIVE = words("у в на о об при")
_GENITIVE_PREPOSITIONS = words("з із від до після біля близько понад більше менше кінця початку середини")
_NOMINATIVE_DAY = words("сьогодні завтра вчора було настало дата по")
_YEAR_WORDS = {
    "році": "m_loc",
    "року": "m_gen",
    "рік": "m_nom",
    "роках": "m_loc",
    "років": "m_gen",
    "роки": "m_nom",
    "роками": "m_ins",
}
"""The year's case before each written form of "рік" (singular, as one year is: "у 1990 і 2000 роках"
-> "у тисяча дев'ятсот дев'яностому і двохтисячному роках")."""
_WRITTEN_YEAR = r"рр\.|р\.|роками|роках|років|роки|році|року|рік"
_ABBREVIATED_YEAR = {
    "р.": {"m_loc": "році", "m_gen": "року", "m_nom": "рік", "m_ins": "роком"},
    "рр.": {"m_loc": "роках", "m_gen": "років", "m_nom": "роки", "m_ins": "роками"},
}
""""р." and "рр." spoken in the case their year is in."""
_CASE_OF_ABBREVIATED = {"по": "m_nom", "за": "m_nom", "між": "m_ins", "перед": "m_ins", "над": "m_ins"}
"""Besides the locative prepositions, the words that put "р."/"рр." in a case other than the genitive
("з 2010 по 2020 р." -> "по ... двадцятий рік", "звіт за 2023 р." -> "за ... третій рік")."""
_YEAR_JOINERS = frozenset({"і", "й", "та", "або"})

_NOUNS = (
    Noun.of("жінка|жінки|жінок|жінки", "f"),
    Noun.of("людина|людини|людей|людини", "f"),
    Noun.of("сторінка|сторінки|сторінок|сторінки", "f"),
    Noun.of("станція|станції|станцій|станції", "f"),
    Noun.of("книжка|книжки|книжок|книжки", "f"),
    Noun.of("ложка|ложки|ложок|ложки", "f"),
    Noun.of("година|години|годин|години", "f"),
    Noun.of("хвилина|хвилини|хвилин|хвилини", "f"),
    Noun.of("особа|особи|осіб|особи", "f"),
    Noun.of("місце|місця|місць|місця", "n"),
    Noun.of("яйце|яйця|яєць|яйця", "n"),
)
"""Frequent feminine and neuter nouns: the number agrees ("дві особи", "двадцять одна станція")."""


class Ukrainian(Language):
    code = "uk"
    n2w = "uk"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "кома"
    minus = "мінус"
    and_word = "і"
    minor_joiner = ""
    phone_numbers = range(1, 4)
    range_word = "до"
    plus_word = "плюс"
    year_words = r"р\.|року"
    months = (
        "січня|січ.",
        "лютого|лют.",
        "березня|бер.",
        "квітня|квіт.",
        "травня|трав.",
        "червня|черв.",
        "липня|лип.",
        "серпня|серп.",
        "вересня|вер.",
        "жовтня|жовт.",
        "листопада|лист.",
        "грудня|груд.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "₴": _HRYVNIA,
        "грн": _HRYVNIA,
        "UAH": _HRYVNIA,
        "гривень": _HRYVNIA,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "доларів": _DOLLAR,
        "€": _EURO,
        "EUR": _EURO,
        "євро": _EURO,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "тис.": (3, _THOUSAND),
        "млн": (6, _MILLION),
        "млн.": (6, _MILLION),
        "млрд": (9, _BILLION),
        "млрд.": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "км": Noun.of("кілометр|кілометри|кілометрів|кілометра"),
        "м": Noun.of("метр|метри|метрів|метра"),
        "см": Noun.of("сантиметр|сантиметри|сантиметрів|сантиметра"),
        "мм": Noun.of("міліметр|міліметри|міліметрів|міліметра"),
        "кг": Noun.of("кілограм|кілограми|кілограмів|кілограма"),
        "г": Noun.of("грам|грами|грамів|грама"),
        "т": Noun.of("тонна|тонни|тонн|тонни", "f"),
        "л": Noun.of("літр|літри|літрів|літра"),
        "мл": Noun.of("мілілітр|мілілітри|мілілітрів|мілілітра"),
        "км/год": Noun.of("кілометр на годину|кілометри на годину|кілометрів на годину|кілометра на годину"),
        "м²": Noun.of("квадратний метр|квадратні метри|квадратних метрів|квадратного метра"),
        "га": Noun.of("гектар|гектари|гектарів|гектара"),
        "%": Noun.of("відсоток|відсотки|відсотків|відсотка"),
        "°C": Noun.of("градус Цельсія|градуси Цельсія|градусів Цельсія|градуса Цельсія"),
        "°С": Noun.of("градус Цельсія|градуси Цельсія|градусів Цельсія|градуса Цельсія"),
        "°": Noun.of("градус|градуси|градусів|градуса"),
        "год": _HOUR,
        "год.": _HOUR,
        "хв": _MINUTE,
        "хв.": _MINUTE,
        "с": Noun.of("секунда|секунди|секунд|секунди", "f"),
        "шт.": Noun.of("штука|штуки|штук|штуки", "f"),
        "тис.": _THOUSAND,
        "млн": _MILLION,
        "млрд": _BILLION,
    }
    nouns = _NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "т.д.": "так далі",
        "т.п.": "таке інше",
        "т.зв.": "так званий",
        "напр.": "наприклад",
        "див.": "дивіться",
        "Див.": "дивіться",
        "вул.^": "вулиця",
        "просп.^": "проспект",
        "пров.^": "провулок",
        "м.^": "місто",
        "обл.": "область",
        "с.#": "сторінка",
        "№#": "номер",
        "тел.": "телефон",
        "Тел.": "телефон",
        "проф.": "професор",
        "д-р": "доктор",
        "ім.^": "імені",
        "до н.е.": "до нашої ери",
        "н.е.": "нашої ери",
        "ст.#": "стаття",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "і", "+": "плюс", "=": "дорівнює"}
    century_words = r"століття|столітті|столітть|ст"
    day_range_words = "по|до"
    time_separators = ":."
    bare_time_separators = ":"
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4})-(?P<mk>" + "|".join(sorted(MARKERS, key=len, reverse=True)) + r")(?![\w])"
    )

    def cardinal(self, n: int) -> str:
        words = super().cardinal(n)
        return words[5:] if words.startswith("одна тисяча") else words  # "тисяча дев'ятсот"

    def ordinal(self, n: int, form: str = "m_nom") -> str:
        words = super().ordinal(n)
        words = words[5:] if words.startswith("одна тисяча") else words
        return inflect_ordinal(words, form)

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        return self.ordinal(n, MARKERS[marker])

    def decimal(self, whole: int, frac: str, negative: bool = False) -> str:
        if len(frac) > 3:
            words = f"{self.cardinal(whole)} кома {self.digits(frac)}"
        else:
            numerator = int(frac)
            whole_noun = "ціла" if noun_form(whole) == 0 else "цілих"
            stem = _DENOMINATOR[len(frac)]
            part = stem + ("а" if noun_form(numerator) == 0 else "их")
            words = (
                f"{gendered(self.cardinal(whole), 'f')} {whole_noun} "
                f"{gendered(self.cardinal(numerator), 'f')} {part}"
            )
        return f"мінус {words}" if negative else words

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return noun_form(n, fractional)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        return gendered(words, noun.gender)

    def governed(self, spoken: str, n: int, noun: Noun, prev: str, fractional: bool = False) -> str:
        if prev not in _GENITIVE_PREPOSITIONS:
            return spoken
        if fractional:
            return genitive(spoken)  # "до двох цілих п'яти десятих відсотка"
        form = noun.form(3 if noun_form(n) == 0 else 2)  # "від одного кілометра", "до п'яти кілометрів"
        return f"{genitive(gendered(self.cardinal(n), noun.gender))} {form}"

    def fraction(self, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "пів"  # "пів склянки", "пів години"
        if den == 4 and num in (1, 3):
            return "чверть" if num == 1 else "три чверті"
        ending = "f_nom" if noun_form(num) == 0 else "pl_gen"
        return f"{gendered(self.cardinal(num), 'f')} {self.ordinal(den, ending)}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "півтора" if whole == 1 else f"{self.cardinal(whole)} з половиною"
        return f"{self.cardinal(whole)} і {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return self.ordinal(n, "n_nom" if prev in _NOMINATIVE_DAY else "m_gen")

    def date_year(self, year: int) -> str:
        return f"{self.ordinal(year, 'm_gen')} року"  # "дві тисячі двадцять четвертого року"

    def time(self, h: int, m: int | None, word: str) -> str:
        if m is None:
            return self.cardinal(h)
        minutes = "нуль нуль" if m == 0 else (f"нуль {self.cardinal(m)}" if m < 10 else self.cardinal(m))
        return f"{self.cardinal(h)} {minutes}"

    def range(self, a: str, b: str, a_value: int, b_value: int) -> str:
        return f"від {genitive(a)} до {genitive(b)}"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        return noun.form(3 if fractional else 2)

    def regnal(self, n: int, name: str) -> str:
        return self.regnal_in_context(n, name, (), "")

    def regnal_in_context(self, n: int, name: str, before: Sequence[str], after: str) -> str:
        return self.ordinal(n, regnal_form(name, before, after))  # "при Петрові Першому", "Катерина Друга"

    def century(self, n: int, word: str, prev: str) -> str:
        if word == "столітті" or prev in _LOCATIVE:
            return self.ordinal(n, "m_loc")
        return self.ordinal(n, "m_gen" if prev in _GENITIVE_PREPOSITIONS else "n_nom")

    def early_rules(self) -> list[Rule]:
        return [_first_year_rule(self), year_rule("ukyear", self, _WRITTEN_YEAR, _year), _clock_rule(self)]


def _governing_word(ctx: Context) -> str:
    """The word whose case "р."/"рр." takes: the one before the year, or before the first of two
    years joined by "і" or a dash ("у 1941–1945 рр." -> "у", so "роках")."""
    for word in ctx.prev_words(4):
        word = word.lower()
        if word.isalpha() and word not in _YEAR_JOINERS:
            return word
        if not (word.isdecimal() or word in _YEAR_JOINERS or word == ","):
            return ""
    return ""


def _year(written: str, ctx: Context) -> tuple[str, str]:
    """ "у 2024 році", "з 2020 року", "2024 р.": the case of "рік", or of the word governing "р."."""
    if written in _ABBREVIATED_YEAR:
        governing = _governing_word(ctx)
        case = "m_loc" if governing in _LOCATIVE else _CASE_OF_ABBREVIATED.get(governing, "m_gen")
        return case, _ABBREVIATED_YEAR[written][case]
    return _YEAR_WORDS[written], written


def _first_year_rule(lang: Ukrainian) -> Rule:
    """ "з 2010 по 2020 рік" -> "з дві тисячі десятого по ...", "у 1990–2000 роках": the first of two
    years before one "рік" in the case of its own preposition, else in the case of "рік"; the second
    is read by `_year` ("по 2020 рік")."""
    pattern = re.compile(
        rf"(?<![\w.,])(?P<y>\d{{3,4}})(?=(?:{SPACE}+(?:по|до|і|й|та|або){SPACE}+|{SPACE}?[–—-]{SPACE}?)"
        rf"\d{{3,4}}{SPACE}(?P<w>{_WRITTEN_YEAR})(?![\w]))"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        prev = ctx.prev_word().lower()
        if prev in _LOCATIVE:
            case = "m_loc"
        elif prev in _GENITIVE_PREPOSITIONS:
            case = "m_gen"
        elif prev in ("між", "перед", "над"):
            case = "m_ins"
        else:
            case = _YEAR_WORDS.get(m.group("w"), "m_gen")
        ctx.word(lang.ordinal(int(m.group("y")), case), m.start(), m.end(), DATE)

    return Rule("ukfirstyear", frozenset({DATE}), pattern, handle)


def _clock_rule(lang: Ukrainian) -> Rule:
    """ "о 14:30" -> "о чотирнадцятій тридцять", "до 18:00" -> "до вісімнадцятої": after these
    prepositions the hour is a feminine ordinal (the "година" it counts); elsewhere the shared reading."""
    pattern = re.compile(
        r"(?:(?<=о )|(?<=об )|(?<=до )|(?<=з )|(?<=після )|(?<=від )|(?<=О ))"
        r"(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?![\w]|[.,:]\d)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(TIME):
            ctx.verbatim(m.start(), m.end())
            return
        prev = ctx.prev_word().lower()
        hour = lang.ordinal(int(m.group("h")), "f_loc" if prev in ("о", "об") else "f_gen")
        minutes = int(m.group("m"))
        tail = "" if minutes == 0 else f" {'нуль ' if minutes < 10 else ''}{lang.cardinal(minutes)}"
        ctx.word(hour + tail, m.start(), m.end(), TIME)

    return Rule("ukclock", frozenset({TIME}), pattern, handle)


LANGUAGE = Ukrainian()
