"""Danish readings (Dansk Sprognævn, Retskrivningsordbogen; news, recipes, DSB timetables, invoices).

- Thousands grouped by a point or a space, "komma" before decimals; "en krone", "et pund" (neuter).
- Ordinals "3." ("den 3. maj" -> "den tredje maj"); years in hundreds ("nitten hundrede og halvfems").
- Times "kl. 14.30" -> "klokken fjorten tredive"; money "tolv kroner og halvtreds øre".
- Telephone numbers in pairs ("12 34 56 78" -> "tolv fireogtredive ..."); kings "Christian IV" ->
  "Christian den Fjerde".
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.da import numbers
from mynah.text.normalize.intl.language import Currency, Noun
from mynah.text.normalize.intl.scandinavian import Scandinavian
from mynah.text.normalize.wordlist import words

_KRONE = Currency(Noun.of("krone|kroner", "c"), Noun.of("øre", "n"))
_EURO = Currency(Noun.of("euro", "c"), Noun.of("cent", "c"))
_DOLLAR = Currency(Noun.of("dollar", "c"), Noun.of("cent", "c"))
_POUND = Currency(Noun.of("pund", "n"), Noun.of("pence", "c"))
_MILLION = Noun.of("million|millioner", "c")
_BILLION = Noun.of("milliard|milliarder", "c")


class Danish(Scandinavian):
    code = "da"
    decimal_word = "komma"
    minus = "minus"
    and_word = "og"
    range_word = "til"
    plus_word = "plus"
    clock_zero = "nul"
    year_before = words("i år siden fra til før efter indtil omkring sommeren vinteren foråret efteråret")
    months = (
        "januar|jan.",
        "februar|feb.",
        "marts|mar.",
        "april|apr.",
        "maj",
        "juni|jun.",
        "juli|jul.",
        "august|aug.",
        "september|sep.|sept.",
        "oktober|okt.",
        "november|nov.",
        "december|dec.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "kr.": _KRONE,
        "kr": _KRONE,
        "DKK": _KRONE,
        "kroner": _KRONE,
        "€": _EURO,
        "EUR": _EURO,
        "euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "mio.": (6, _MILLION),
        "mio": (6, _MILLION),
        "millioner": (6, _MILLION),
        "mia.": (9, _BILLION),
        "mia": (9, _BILLION),
        "milliarder": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometer", "c"),
        "m": Noun.of("meter", "c"),
        "cm": Noun.of("centimeter", "c"),
        "mm": Noun.of("millimeter", "c"),
        "kg": Noun.of("kilo", "n"),
        "g": Noun.of("gram", "n"),
        "l": Noun.of("liter", "c"),
        "dl": Noun.of("deciliter", "c"),
        "ml": Noun.of("milliliter", "c"),
        "spsk.": Noun.of("spiseskefuld|spiseskefulde", "c"),
        "spsk": Noun.of("spiseskefuld|spiseskefulde", "c"),
        "tsk.": Noun.of("teskefuld|teskefulde", "c"),
        "tsk": Noun.of("teskefuld|teskefulde", "c"),
        "km/t": Noun.of("kilometer i timen", "c"),
        "km/h": Noun.of("kilometer i timen", "c"),
        "m²": Noun.of("kvadratmeter", "c"),
        "m2": Noun.of("kvadratmeter", "c"),
        "kvm": Noun.of("kvadratmeter", "c"),
        "ha": Noun.of("hektar", "c"),
        "%": Noun.of("procent", "c"),
        "°C": Noun.of("grad celsius|grader celsius", "c"),
        "°": Noun.of("grad|grader", "c"),
        "t": Noun.of("time|timer", "c"),
        "min": Noun.of("minut|minutter", "n"),
        "min.": Noun.of("minut|minutter", "n"),
        "sek": Noun.of("sekund|sekunder", "n"),
        "stk.": Noun.of("stk", "n"),
        "kWh": Noun.of("kilowatttime|kilowatttimer", "c"),
        "mio.": _MILLION,
        "mia.": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "f.eks.": "for eksempel",
        "F.eks.": "for eksempel",
        "bl.a.": "blandt andet",
        "osv.": "og så videre",
        "ca.": "cirka",
        "kl.": "klokken",
        "Kl.": "klokken",
        "nr.#": "nummer",
        "s.#": "side",
        "dvs.": "det vil sige",
        "jf.": "jævnfør",
        "evt.": "eventuelt",
        "inkl.": "inklusive",
        "ekskl.": "eksklusive",
        "hhv.": "henholdsvis",
        "mht.": "med hensyn til",
        "pga.": "på grund af",
        "vha.": "ved hjælp af",
        "m.m.": "med mere",
        "etc.": "et cetera",
        "f.Kr.": "før Kristus",
        "e.Kr.": "efter Kristus",
        "tlf.": "telefon",
        "Tlf.": "telefon",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "og", "+": "plus", "=": "lig med"}
    rulers = frozenset({"Frederik", "Christian", "Valdemar", "Erik", "Knud", "Christoffer", "Hans"})
    century_words = "århundrede"
    time_separators = ":."
    bare_time_separators = ":."
    day_marker = r"\."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>\.)(?=[ \u00a0]+[a-zæøå])"

    def cardinal(self, n: int) -> str:
        return numbers.cardinal(n)

    def ordinal(self, n: int, form: str = "") -> str:
        return numbers.ordinal(n)

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        words = self.ordinal(n)
        if prev in ("det", "et", "dette") and words.endswith("anden"):
            return words[:-5] + "andet"  # neuter: "det andet år"
        return words

    def year(self, n: int) -> str:
        return numbers.year(n)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if noun.gender == "n" and (words == "en" or words.endswith(" og en")):
            return words[:-2] + "et"  # "et pund", "hundrede og et år"
        return words

    def fraction(self, num: int, den: int) -> str:
        head = self.cardinal(num)
        if den == 2:
            return "en halv" if num == 1 else f"{head} halve"
        stem = self.ordinal(den)
        return f"{head} {stem}{'del' if num == 1 else 'dele'}"  # "en tredjedel", "tre fjerdedele"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2) and whole == 1:
            return "halvanden"
        return f"{self.cardinal(whole)} {self.fraction(num, den)}"  # "to en halv"


LANGUAGE = Danish()
