"""Polish readings (Wielki słownik ortograficzny PWN, Poradnia językowa PWN; news, recipes, PKP
timetables, invoices).

- Thousands grouped by a (no-break) space, "przecinek" before decimals; a number selects one of three
  noun forms ("jeden kilometr", "dwa kilometry", "pięć kilometrów"), a decimal the genitive singular
  ("dwa przecinek pięć kilometra"); "dwie" and "jedna" before feminine nouns.
- Dates read the day as an ordinal in the genitive ("3 maja 2024 r." -> "trzeciego maja dwa tysiące
  dwudziestego czwartego roku"); years before "roku"/"r." take its case ("w 2024 r." -> "w dwa tysiące
  dwudziestym czwartym roku").
- Hours as feminine ordinals ("o 14:30" -> "o czternastej trzydzieści"); money "dwanaście złotych
  pięćdziesiąt groszy"; ranges "od pięciu do dziesięciu kilometrów".
- Written ordinals "3." and "3-ci" agree with the noun after them; rulers "Jan Paweł II" -> "Jan Paweł
  drugi"; centuries "w XIX wieku" -> "w dziewiętnastym wieku"; decades "w latach 90." -> "w latach
  dziewięćdziesiątych" (`decades.py`).
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.intl.slavic import year_rule
from mynah.text.normalize.model import TIME
from mynah.text.normalize.pl.decades import decade_rule
from mynah.text.normalize.pl.grammar import gendered, genitive, inflect_ordinal, noun_form
from mynah.text.normalize.wordlist import words

_ZLOTY = Currency(Noun.of("złoty|złote|złotych|złotego"), Noun.of("grosz|grosze|groszy|grosza"))
_EURO = Currency(Noun.of("euro"), Noun.of("cent|centy|centów|centa"))
_DOLLAR = Currency(Noun.of("dolar|dolary|dolarów|dolara"), Noun.of("cent|centy|centów|centa"))
_POUND = Currency(Noun.of("funt|funty|funtów|funta"), Noun.of("pens|pensy|pensów|pensa"))
_THOUSAND = Noun.of("tysiąc|tysiące|tysięcy|tysiąca")
_MILLION = Noun.of("milion|miliony|milionów|miliona")
_BILLION = Noun.of("miliard|miliardy|miliardów|miliarda")
_HOUR = Noun.of("godzina|godziny|godzin|godziny", "f")
_MINUTE = Noun.of("minuta|minuty|minut|minuty", "f")

_GOVERN_GENITIVE = words("od do około ok. ponad z ze koło blisko powyżej poniżej spośród dla bez wokół")
"""Words after which a counted quantity is in the genitive ("około pięciu kilometrów")."""
_LOCATIVE = words("w we o na po przy")
_GENITIVE_CASE = words("od do z ze około ok. sprzed")
_NOMINATIVE_DAY = words("dziś dzisiaj jutro wczoraj jest był była będzie to")
_INSTRUMENTAL = words("przed za między nad pod")
_YEAR_CASE = {"roku": "m_gen", "rok": "m_nom", "rokiem": "m_ins"}

_NOUNS = (
    Noun.of("osoba|osoby|osób|osoby", "f"),
    Noun.of("kobieta|kobiety|kobiet|kobiety", "f"),
    Noun.of("strona|strony|stron|strony", "f"),
    Noun.of("noc|noce|nocy|nocy", "f"),
    Noun.of("łyżka|łyżki|łyżek|łyżki", "f"),
    Noun.of("łyżeczka|łyżeczki|łyżeczek|łyżeczki", "f"),
    Noun.of("szklanka|szklanki|szklanek|szklanki", "f"),
    Noun.of("sztuka|sztuki|sztuk|sztuki", "f"),
    Noun.of("stacja|stacje|stacji|stacji", "f"),
    Noun.of("książka|książki|książek|książki", "f"),
    Noun.of("godzina|godziny|godzin|godziny", "f"),
    Noun.of("minuta|minuty|minut|minuty", "f"),
    Noun.of("sekunda|sekundy|sekund|sekundy", "f"),
    Noun.of("złotówka|złotówki|złotówek|złotówki", "f"),
)
"""Frequent feminine nouns: the number agrees ("dwie osoby", "dwadzieścia dwie minuty")."""


class Polish(Language):
    code = "pl"
    n2w = "pl"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "przecinek"
    minus = "minus"
    and_word = "i"
    minor_joiner = ""
    phone_numbers = range(1, 4)
    range_word = "do"
    plus_word = "plus"
    year_words = r"r\.|roku"
    months = (
        "stycznia|sty.",
        "lutego|lut.",
        "marca|mar.",
        "kwietnia|kwi.",
        "maja",
        "czerwca|cze.",
        "lipca|lip.",
        "sierpnia|sie.",
        "września|wrz.",
        "października|paź.",
        "listopada|lis.",
        "grudnia|gru.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "zł": _ZLOTY,
        "PLN": _ZLOTY,
        "złotych": _ZLOTY,
        "€": _EURO,
        "EUR": _EURO,
        "euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "tys.": (3, _THOUSAND),
        "mln": (6, _MILLION),
        "mln.": (6, _MILLION),
        "mld": (9, _BILLION),
        "mld.": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometr|kilometry|kilometrów|kilometra"),
        "m": Noun.of("metr|metry|metrów|metra"),
        "cm": Noun.of("centymetr|centymetry|centymetrów|centymetra"),
        "mm": Noun.of("milimetr|milimetry|milimetrów|milimetra"),
        "kg": Noun.of("kilogram|kilogramy|kilogramów|kilograma"),
        "dag": Noun.of("dekagram|dekagramy|dekagramów|dekagrama"),
        "g": Noun.of("gram|gramy|gramów|grama"),
        "t": Noun.of("tona|tony|ton|tony", "f"),
        "l": Noun.of("litr|litry|litrów|litra"),
        "ml": Noun.of("mililitr|mililitry|mililitrów|mililitra"),
        "km/h": Noun.of(
            "kilometr na godzinę|kilometry na godzinę|kilometrów na godzinę|kilometra na godzinę"
        ),
        "m²": Noun.of("metr kwadratowy|metry kwadratowe|metrów kwadratowych|metra kwadratowego"),
        "m2": Noun.of("metr kwadratowy|metry kwadratowe|metrów kwadratowych|metra kwadratowego"),
        "ha": Noun.of("hektar|hektary|hektarów|hektara"),
        "%": Noun.of("procent|procent|procent|procent"),
        "°C": Noun.of("stopień Celsjusza|stopnie Celsjusza|stopni Celsjusza|stopnia Celsjusza"),
        "°": Noun.of("stopień|stopnie|stopni|stopnia"),
        "h": _HOUR,
        "godz.": _HOUR,
        "min": _MINUTE,
        "min.": _MINUTE,
        "s": Noun.of("sekunda|sekundy|sekund|sekundy", "f"),
        "szt.": Noun.of("sztuka|sztuki|sztuk|sztuki", "f"),
        "kWh": Noun.of("kilowatogodzina|kilowatogodziny|kilowatogodzin|kilowatogodziny", "f"),
        "GB": Noun.of("gigabajt|gigabajty|gigabajtów|gigabajta"),
        "tys.": _THOUSAND,
        "mln": _MILLION,
        "mld": _BILLION,
    }
    nouns = _NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "np.": "na przykład",
        "tj.": "to jest",
        "tzn.": "to znaczy",
        "itd.": "i tak dalej",
        "itp.": "i tym podobne",
        "m.in.": "między innymi",
        "ok.": "około",
        "tzw.": "tak zwany",
        "wg": "według",
        "zob.": "zobacz",
        "Zob.": "zobacz",
        "Np.": "na przykład",
        "ul.^": "ulica",
        "al.^": "aleja",
        "pl.^": "plac",
        "nr#": "numer",
        "s.#": "strona",
        "str.#": "strona",
        "tel.": "telefon",
        "Tel.": "telefon",
        "dr^": "doktor",
        "prof.": "profesor",
        "mgr^": "magister",
        "inż.": "inżynier",
        "p.n.e.": "przed naszą erą",
        "n.e.": "naszej ery",
        "br.": "bieżącego roku",
        "godz.": "godzina",
        "ds.": "do spraw",
        "pt.": "pod tytułem",
        "św.^": "święty",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "i", "+": "plus", "=": "równa się"}
    century_words = r"wiek|wieku|wiekiem|wieki|wieków"
    day_range_words = "do"
    time_separators = ":."
    bare_time_separators = ":"
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4})(?P<mk>\.|-(?:szy|gi|ci|ty|my|sty|y))"
        r"(?=" + SPACE + r"[a-ząćęłńóśźż])"
    )

    def ordinal(self, n: int, form: str = "m_nom") -> str:
        return inflect_ordinal(super().ordinal(n), self.cardinal(n), form)

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        noun = next_word.lower().rstrip(".,;:!?")
        gender = "f" if noun.endswith("a") else "n" if noun.endswith(("o", "e", "ę")) else "m"
        if noun.endswith("y"):
            gender = "pl"  # "urodziny", "drzwi": plural-only nouns, "21. urodziny" -> "dwudzieste pierwsze"
        if prev in _LOCATIVE:
            return self.ordinal(n, "f_loc" if gender == "f" else "m_loc")
        if prev in _GENITIVE_CASE:  # "od 2. klasy", "do 3. piętra"
            return self.ordinal(n, "f_gen" if noun.endswith(("y", "i")) else "m_gen")
        if prev in _INSTRUMENTAL:  # "przed 2. wojną", "za 3. razem"
            return self.ordinal(n, "f_ins" if noun.endswith("ą") else "m_ins")
        return self.ordinal(n, f"{gender}_nom")

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return noun_form(n, fractional)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        return gendered(words, noun.gender, n)

    def governed(self, spoken: str, n: int, noun: Noun, prev: str, fractional: bool = False) -> str:
        if prev not in _GOVERN_GENITIVE:
            return spoken
        if fractional:
            return genitive(spoken)  # "do dwóch przecinek pięciu procent"
        form = noun.form(3 if n == 1 else 2)  # "od jednego kilometra", "około pięciu kilometrów"
        return f"{genitive(self.cardinal(n))} {form}"

    def four_digits(self, n: int, prev: str, next_word: str) -> str:
        if prev in _LOCATIVE:
            return self.ordinal(
                n, "m_loc"
            )  # "w 1999" -> "w tysiąc dziewięćset dziewięćdziesiątym dziewiątym"
        if prev in _GENITIVE_CASE:
            return self.ordinal(n, "m_gen")
        return self.cardinal(n)

    def fraction(self, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "pół"
        head = gendered(self.cardinal(num), "f", num)
        form = noun_form(num)
        return f"{head} {self.ordinal(den, ('f_nom', 'pl_nom', 'pl_gen')[form])}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        return f"{self.cardinal(whole)} i {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return self.ordinal(n, "m_nom" if prev in _NOMINATIVE_DAY else "m_gen")

    def date_year(self, year: int) -> str:
        return f"{self.ordinal(year, 'm_gen')} roku"  # "dwa tysiące dwudziestego czwartego roku"

    def time(self, h: int, m: int | None, word: str) -> str:
        return _clock(self, h, m, "f_nom")

    def range(self, a: str, b: str, a_value: int, b_value: int) -> str:
        return f"od {genitive(a)} do {genitive(b)}"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        return noun.form(3 if fractional else 2)  # "od pięciu do dziesięciu kilometrów"

    def regnal(self, n: int, name: str) -> str:
        return self.ordinal(n, "f_nom" if name.endswith("a") else "m_nom")  # "Jadwiga pierwsza"

    def century(self, n: int, word: str, prev: str) -> str:
        if word == "wieku":
            return self.ordinal(n, "m_loc" if prev in _LOCATIVE else "m_gen")
        return self.ordinal(n, {"wiekiem": "m_ins"}.get(word, "m_nom"))

    def early_rules(self) -> list[Rule]:
        return [
            year_rule("plyear", self, r"r\.|roku|rokiem|rok", _year),
            _clock_rule(self),
            decade_rule(self),
        ]


def _clock(lang: Polish, h: int, m: int | None, case: str) -> str:
    hour = lang.ordinal(h, case) if h else "zero"
    if m is None or m == 0:
        return hour
    return f"{hour} {'zero ' if m < 10 else ''}{lang.cardinal(m)}"


def _year(written: str, ctx: Context) -> tuple[str, str]:
    """ "w 2024 r.", "od 2020 roku", "rok 1999": the case of "rok", "r." spoken "roku" (or "rokiem")."""
    prev = ctx.prev_word().lower()
    case = "m_loc" if prev in _LOCATIVE and written in ("r.", "roku") else _YEAR_CASE.get(written, "m_gen")
    if prev in _INSTRUMENTAL and written == "r.":  # "przed 2020 r." -> "przed ... dwudziestym rokiem"
        return "m_ins", "rokiem"
    return case, "roku" if written == "r." else written


def _clock_rule(lang: Polish) -> Rule:
    """ "o 14:30" -> "o czternastej trzydzieści", "przed 8:00" -> "przed ósmą": the hour as a feminine
    ordinal in the case the word before asks for. A point separates too ("14.30": Polish decimals take a
    comma)."""
    pattern = re.compile(r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?![\w]|[.,:]\d)")

    def handle(m: re.Match[str], ctx: Context) -> None:
        prev = ctx.prev_word().lower()
        if not ctx.on(TIME):
            ctx.verbatim(m.start(), m.end())
            return
        case = (
            "f_loc" if prev in _LOCATIVE | _GENITIVE_CASE else "f_ins" if prev in _INSTRUMENTAL else "f_nom"
        )
        ctx.word(_clock(lang, int(m.group("h")), int(m.group("m")), case), m.start(), m.end(), TIME)

    return Rule("plclock", frozenset({TIME}), pattern, handle)


LANGUAGE = Polish()
