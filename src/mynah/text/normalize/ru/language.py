"""Russian readings (Розенталь; the conventions of news and official text).

- Numbers select one of three noun forms ("один километр", "два километра", "пять километров"; any
  decimal takes the second) and agree in gender ("одна тысяча", "две минуты").
- Decimals as fractions: "три целых четырнадцать сотых".
- Written ordinals keep their case ending: "5-го" -> "пятого", "3-я" -> "третья", "1990-х" ->
  "девяностых"; dates read the day as a neuter ordinal in the genitive ("родился 3 мая" ->
  "третьего мая"), nominative after "сегодня"; years before "год"/"г." take its case ("в 2024 году" ->
  "в две тысячи двадцать четвёртом году").
- Ranges "от пяти до десяти километров"; two years before one "год" each in its own case ("с 2010 по
  2020 год" -> "с две тысячи десятого по две тысячи двадцатый год"; `years.py`).
- Roman rulers and centuries as ordinals ("Пётр I" -> "Пётр первый", "в XIX веке" -> "в девятнадцатом
  веке"), the ruler's in the case and gender of the name ("при Петре I" -> "при Петре первом"; `names.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from mynah.text.normalize.context import Rule
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.ru.grammar import MARKERS, gendered, genitive, inflect_ordinal, noun_form
from mynah.text.normalize.ru.names import regnal_form
from mynah.text.normalize.ru.years import GENITIVE_PREPOSITIONS, year_rules

_RUBLE = Currency(Noun.of("рубль|рубля|рублей"), Noun.of("копейка|копейки|копеек", "f"))
_DOLLAR = Currency(Noun.of("доллар|доллара|долларов"), Noun.of("цент|цента|центов"))
_EURO = Currency(Noun.of("евро"), Noun.of("цент|цента|центов"))
_POUND = Currency(Noun.of("фунт|фунта|фунтов"), Noun.of("пенс|пенса|пенсов"))
_THOUSAND = Noun.of("тысяча|тысячи|тысяч", "f")
_MILLION = Noun.of("миллион|миллиона|миллионов")
_BILLION = Noun.of("миллиард|миллиарда|миллиардов")
_DENOMINATOR = ("", "десят", "сот", "тысячн")
_NOMINATIVE_DAY = frozenset({"сегодня", "завтра", "вчера", "было", "наступило", "дата", "по"})


_GOVERN_GENITIVE = GENITIVE_PREPOSITIONS | frozenset(
    {"более", "менее", "свыше", "у", "вместо", "среди", "против", "вокруг", "ниже", "выше", "порядка"}
)
"""Words after which a counted quantity is in the genitive ("около пяти километров")."""


_NOUNS = (
    Noun.of("женщина|женщины|женщин", "f"),
    Noun.of("девушка|девушки|девушек", "f"),
    Noun.of("неделя|недели|недель", "f"),
    Noun.of("страница|страницы|страниц", "f"),
    Noun.of("книга|книги|книг", "f"),
    Noun.of("школа|школы|школ", "f"),
    Noun.of("квартира|квартиры|квартир", "f"),
    Noun.of("компания|компании|компаний", "f"),
    Noun.of("ночь|ночи|ночей", "f"),
    Noun.of("место|места|мест", "n"),
    Noun.of("окно|окна|окон", "n"),
    Noun.of("слово|слова|слов", "n"),
    Noun.of("письмо|письма|писем", "n"),
    Noun.of("человек|человека|человек", "m"),
    Noun.of("год|года|лет", "m"),
    Noun.of("день|дня|дней", "m"),
    Noun.of("раз|раза|раз", "m"),
)
"""Frequent nouns: the number agrees in gender and selects the form."""


class Russian(Language):
    code = "ru"
    n2w = "ru"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "запятая"
    minus = "минус"
    and_word = "и"
    minor_joiner = ""
    phone_numbers = range(1, 4)
    range_word = "до"
    plus_word = "плюс"
    year_words = r"г\.|года|году"
    months = (
        "января|янв.",
        "февраля|февр.|фев.",
        "марта|мар.",
        "апреля|апр.",
        "мая",
        "июня|июн.",
        "июля|июл.",
        "августа|авг.",
        "сентября|сент.|сен.",
        "октября|окт.",
        "ноября|нояб.|ноя.",
        "декабря|дек.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "₽": _RUBLE,
        "руб.": _RUBLE,
        "р.": _RUBLE,
        "RUB": _RUBLE,
        "рублей": _RUBLE,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "долларов": _DOLLAR,
        "€": _EURO,
        "EUR": _EURO,
        "евро": _EURO,
        "£": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "тыс.": (3, _THOUSAND),
        "млн": (6, _MILLION),
        "млн.": (6, _MILLION),
        "млрд": (9, _BILLION),
        "млрд.": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "км": Noun.of("километр|километра|километров"),
        "м": Noun.of("метр|метра|метров"),
        "см": Noun.of("сантиметр|сантиметра|сантиметров"),
        "мм": Noun.of("миллиметр|миллиметра|миллиметров"),
        "кг": Noun.of("килограмм|килограмма|килограммов"),
        "г": Noun.of("грамм|грамма|граммов"),
        "т": Noun.of("тонна|тонны|тонн", "f"),
        "л": Noun.of("литр|литра|литров"),
        "мл": Noun.of("миллилитр|миллилитра|миллилитров"),
        "км/ч": Noun.of("километр в час|километра в час|километров в час"),
        "м²": Noun.of("квадратный метр|квадратных метра|квадратных метров"),
        "га": Noun.of("гектар|гектара|гектаров"),
        "%": Noun.of("процент|процента|процентов"),
        "°C": Noun.of("градус Цельсия|градуса Цельсия|градусов Цельсия"),
        "°С": Noun.of("градус Цельсия|градуса Цельсия|градусов Цельсия"),
        "°": Noun.of("градус|градуса|градусов"),
        "ч": Noun.of("час|часа|часов"),
        "мин": Noun.of("минута|минуты|минут", "f"),
        "сек": Noun.of("секунда|секунды|секунд", "f"),
        "шт.": Noun.of("штука|штуки|штук", "f"),
        "тыс.": _THOUSAND,
        "млн": _MILLION,
        "млрд": _BILLION,
    }
    nouns = _NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "т.е.": "то есть",
        "т.д.": "так далее",
        "т.п.": "тому подобное",
        "т.к.": "так как",
        "т.н.": "так называемый",
        "др.": "другие",
        "см.": "смотри",
        "ул.^": "улица",
        "пр.^": "проспект",
        "г.^": "город",
        "д.#": "дом",
        "кв.#": "квартира",
        "стр.#": "страница",
        "№#": "номер",
        "проф.": "профессор",
        "им.^": "имени",
        "г-н": "господин",
        "г-жа": "госпожа",
        "до н.э.": "до нашей эры",
        "н.э.": "нашей эры",
        "вв.": "века",
        "тел.": "телефон",
        "Тел.": "телефон",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "и", "+": "плюс", "=": "равно"}
    century_words = r"век|века|веке|веку|веком|веков|столетие"
    day_range_words = "по|до"
    time_separators = ":."
    bare_time_separators = ":"
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4})-(?P<mk>" + "|".join(sorted(MARKERS, key=len, reverse=True)) + r")(?![\w])"
    )

    def cardinal(self, n: int) -> str:
        words = super().cardinal(n)
        return words[5:] if words.startswith("одна тысяча") else words  # "тысяча девятьсот"

    def ordinal(self, n: int, form: str = "m_nom") -> str:
        return inflect_ordinal(super().ordinal(n), form)

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        decade = (n >= 1000 and n % 10 == 0) or next_word.lower().startswith(("годы", "гг"))
        if marker in ("е", "ые") and decade:  # "1990-е годы" -> "девяностые"; "20-е место" -> "двадцатое"
            return self.ordinal(n, "pl_nom")
        return self.ordinal(n, MARKERS[marker])

    def decimal(self, whole: int, frac: str, negative: bool = False) -> str:
        if len(frac) > 3:
            words = f"{self.cardinal(whole)} запятая {self.digits(frac)}"
        else:
            numerator = int(frac)
            whole_words = gendered(self.cardinal(whole), "f")
            whole_noun = "целая" if noun_form(whole) == 0 else "целых"
            stem = _DENOMINATOR[len(frac)]
            denominator = stem + ("ая" if noun_form(numerator) == 0 else "ых")
            words = f"{whole_words} {whole_noun} {gendered(self.cardinal(numerator), 'f')} {denominator}"
        return f"минус {words}" if negative else words

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return noun_form(n, fractional)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        return gendered(words, noun.gender)

    def governed(self, spoken: str, n: int, noun: Noun, prev: str, fractional: bool = False) -> str:
        if prev not in _GOVERN_GENITIVE:
            return spoken
        if fractional:
            return genitive(spoken)  # "до двух целых пяти десятых процента"
        form = noun.form(1 if noun_form(n) == 0 else 2)  # "от одного километра", "до пяти километров"
        return f"{genitive(gendered(self.cardinal(n), noun.gender))} {form}"

    def fraction(self, num: int, den: int) -> str:
        ending = "f_nom" if noun_form(num) == 0 else "pl_gen"
        return f"{gendered(self.cardinal(num), 'f')} {self.ordinal(den, ending)}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "полтора" if whole == 1 else f"{self.cardinal(whole)} с половиной"
        return f"{gendered(self.cardinal(whole), 'f')} {'целая' if noun_form(whole) == 0 else 'целых'} {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        if prev in _NOMINATIVE_DAY:
            return self.ordinal(n, "n_nom")
        if prev in ("к", "ко"):
            return self.ordinal(n, "n_dat")
        return self.ordinal(n, "n_gen")

    def date_year(self, year: int) -> str:
        return f"{self.ordinal(year, 'm_gen')} года"  # "две тысячи двадцать четвёртого года"

    def time(self, h: int, m: int | None, word: str) -> str:
        if m is None:
            return self.cardinal(h)
        minutes = "ноль ноль" if m == 0 else (f"ноль {self.cardinal(m)}" if m < 10 else self.cardinal(m))
        return f"{self.cardinal(h)} {minutes}"

    def range(self, a: str, b: str, a_value: int, b_value: int) -> str:
        return f"от {genitive(a)} до {genitive(b)}"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        return noun.form(1 if fractional else 2)  # "от пяти до десяти километров"

    def regnal(self, n: int, name: str) -> str:
        return self.regnal_in_context(n, name, (), "")

    def regnal_in_context(self, n: int, name: str, before: Sequence[str], after: str) -> str:
        return self.ordinal(n, regnal_form(name, before, after))  # "при Петре Первом", "у Екатерины Второй"

    def century(self, n: int, word: str, prev: str) -> str:
        case = {"века": "m_gen", "веке": "m_pre", "веку": "m_dat", "веком": "m_ins", "веков": "pl_gen"}.get(
            word, "m_nom"
        )
        return self.ordinal(n, case)

    def early_rules(self) -> list[Rule]:
        return year_rules(self)


LANGUAGE = Russian()
