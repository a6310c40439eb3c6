"""Finnish readings (Kielitoimiston ohjepankki; news, recipes, VR and HSL timetables, invoices).

- Thousands grouped by a (no-break) space, "pilkku" before decimals; one takes the nominative, other
  numbers the partitive ("yksi kilometri", "kaksi kilometriä", "kaksi pilkku viisi kilometriä");
  "miljoonaa" apart from its count (num2words 0.5 writes "kaksimiljoonaa").
- Ordinals "3." ("3. kerta" -> "kolmas kerta"); dates "3.5.2024", "3. toukokuuta 2024" -> "kolmas
  toukokuuta kaksituhatta kaksikymmentäneljä".
- Times "klo 14.30" -> "kello neljätoista kolmekymmentä"; money "kaksitoista euroa viisikymmentä
  senttiä"; ranges from one to the other ("kymmenestä kahteenkymmeneen kilometriä").
- Rulers "Kustaa III" -> "Kustaa kolmas".
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.fi import cases
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.model import TIME

_EURO = Currency(Noun.of("euro|euroa"), Noun.of("sentti|senttiä"))
_DOLLAR = Currency(Noun.of("dollari|dollaria"), Noun.of("sentti|senttiä"))
_POUND = Currency(Noun.of("punta|puntaa"), Noun.of("penny|pennyä"))
_KRONA = Currency(Noun.of("kruunu|kruunua"), Noun.of("äyri|äyriä"))
_MILLION = Noun.of("miljoona|miljoonaa")
_BILLION = Noun.of("miljardi|miljardia")
_NOMINATIVE_DAY = frozenset({"", "on", "oli", "päiväys", "pvm", "tänään", "huomenna", "eilen", "ja"})
_APART = re.compile(r"(?<=\w)(miljoona|miljardi)")


class Finnish(Language):
    code = "fi"
    n2w = "fi"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "pilkku"
    minus = "miinus"
    and_word = "ja"
    range_word = "–"
    plus_word = "plus"
    months = (
        "tammikuuta|tammik.",
        "helmikuuta|helmik.",
        "maaliskuuta|maalisk.",
        "huhtikuuta|huhtik.",
        "toukokuuta|toukok.",
        "kesäkuuta|kesäk.",
        "heinäkuuta|heinäk.",
        "elokuuta|elok.",
        "syyskuuta|syysk.",
        "lokakuuta|lokak.",
        "marraskuuta|marrask.",
        "joulukuuta|jouluk.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euroa": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
        "SEK": _KRONA,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "milj.": (6, _MILLION),
        "miljoonaa": (6, _MILLION),
        "mrd.": (9, _BILLION),
        "miljardia": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometri|kilometriä"),
        "m": Noun.of("metri|metriä"),
        "cm": Noun.of("senttimetri|senttimetriä"),
        "mm": Noun.of("millimetri|millimetriä"),
        "kg": Noun.of("kilo|kiloa"),
        "g": Noun.of("gramma|grammaa"),
        "l": Noun.of("litra|litraa"),
        "dl": Noun.of("desilitra|desilitraa"),
        "ml": Noun.of("millilitra|millilitraa"),
        "rkl": Noun.of("ruokalusikallinen|ruokalusikallista"),
        "tl": Noun.of("teelusikallinen|teelusikallista"),
        "km/h": Noun.of("kilometri tunnissa|kilometriä tunnissa"),
        "m²": Noun.of("neliömetri|neliömetriä"),
        "m2": Noun.of("neliömetri|neliömetriä"),
        "ha": Noun.of("hehtaari|hehtaaria"),
        "%": Noun.of("prosentti|prosenttia"),
        "°C": Noun.of("aste|astetta"),
        "°": Noun.of("aste|astetta"),
        "h": Noun.of("tunti|tuntia"),
        "min": Noun.of("minuutti|minuuttia"),
        "s": Noun.of("sekunti|sekuntia"),
        "kpl": Noun.of("kappale|kappaletta"),
        "kWh": Noun.of("kilowattitunti|kilowattituntia"),
        "milj.": _MILLION,
        "mrd.": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "esim.": "esimerkiksi",
        "Esim.": "esimerkiksi",
        "ns.": "niin sanottu",
        "mm.": "muun muassa",
        "jne.": "ja niin edelleen",
        "ym.": "ynnä muuta",
        "yms.": "ynnä muuta sellaista",
        "n.#": "noin",
        "ks.": "katso",
        "s.#": "sivu",
        "nro#": "numero",
        "klo": "kello",
        "puh.": "puhelin",
        "Puh.": "puhelin",
        "ts.": "toisin sanoen",
        "eKr.": "ennen Kristusta",
        "jKr.": "jälkeen Kristuksen",
        "alk.": "alkaen",
        "tri^": "tohtori",
        "prof.^": "professori",
        "os.": "osoite",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "ja", "+": "plus", "=": "on yhtä kuin"}
    century_words = r"vuosisata|vuosisadalla|vuosisadan"
    time_separators = ":."
    fraction_as_number = 2
    clock_zero = "nolla"
    minor_joiner = ""
    roman_ordinals_to = 3999
    bare_time_separators = ":"
    day_marker = r"\."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>\.)(?=[ \u00a0]+[a-zäöå])"

    def cardinal(self, n: int) -> str:
        return _APART.sub(r" \1", super().cardinal(n))

    def count_decimal(self, whole: int, frac: str, noun: Noun) -> str:
        return f"{self.decimal(whole, frac)} {noun.form(1)}"

    def fraction(self, num: int, den: int) -> str:
        if den == 2:
            return "puoli" if num == 1 else f"{self.cardinal(num)} puolikasta"
        part = f"{self.ordinal(den)}osa"  # "kolmasosa", "neljäsosa"
        return part if num == 1 else f"{self.cardinal(num)} {part}a"

    def mixed(self, whole: int, num: int, den: int) -> str:
        return f"{self.cardinal(whole)} ja {self.fraction(num, den)}"  # "kaksi ja puoli"

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        case = cases.noun_case(next_word)  # the ordinal takes the noun's case: "2. kerroksessa"
        return cases.ordinal_case(self.ordinal(n), case) if case else self.ordinal(n)

    def day(self, n: int, prev: str, marker: str = "") -> str:
        if prev.strip(":,") in _NOMINATIVE_DAY:  # "," also stands for a colon before the date
            return self.ordinal(n)  # "tänään on kolmas toukokuuta", "päiväys: viidestoista ..."
        return cases.essive_ordinal(self.ordinal(n))  # "sataa kolmantena toukokuuta"

    def range(self, a: str, b: str, a_value: int, b_value: int) -> str:
        return f"{cases.inflect(a, 0)} {cases.inflect(b, 1)}"  # "kymmenestä kahteenkymmeneen"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        return noun.form(1)

    def early_rules(self) -> list[Rule]:
        return [_clock_rule(self)]


def _clock_rule(lang: Finnish) -> Rule:
    """ "klo 14.30", "kello 9.05": after "klo" a point separates hours and minutes; elsewhere only where
    the minutes cannot be a month ("14.30"; "24.12." is a date)."""
    pattern = re.compile(
        r"(?:(?<=klo )|(?<=Klo )|(?<=kello )|(?<=Kello )|(?=\d{1,2}\.(?:1[3-9]|[2-5]\d)))"
        r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)(?![\w]|[.,:]\d)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(TIME):
            ctx.verbatim(m.start(), m.end())
            return
        ctx.word(lang.time(int(m.group("h")), int(m.group("m")), ""), m.start(), m.end(), TIME)

    return Rule("fiklo", frozenset({TIME}), pattern, handle)


LANGUAGE = Finnish()
