"""Norwegian Bokmål readings (Språkrådet; news, recipes, Vy and Ruter timetables, invoices).

- Thousands grouped by a space, "komma" before decimals; "en krone", "ett pund" (neuter).
- Ordinals "3." ("3. mai" -> "tredje mai"); years in hundreds ("nitten hundre og nitti").
- Times "kl. 14.30" -> "klokka fjorten tretti"; money "tolv kroner og femti øre", "kr 125,-".
- Telephone numbers in their written groups ("22 12 34 56" -> "tjueto tolv trettifire femtiseks");
  kings "Harald V" -> "Harald den femte".
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Noun
from mynah.text.normalize.intl.scandinavian import Scandinavian
from mynah.text.normalize.nb import numbers
from mynah.text.normalize.wordlist import words

_KRONE = Currency(Noun.of("krone|kroner", "c"), Noun.of("øre", "n"))
_EURO = Currency(Noun.of("euro", "c"), Noun.of("cent", "c"))
_DOLLAR = Currency(Noun.of("dollar", "c"), Noun.of("cent", "c"))
_POUND = Currency(Noun.of("pund", "n"), Noun.of("pence", "c"))
_MILLION = Noun.of("million|millioner", "c")
_BILLION = Noun.of("milliard|milliarder", "c")


class Norwegian(Scandinavian):
    code = "nb"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "komma"
    minus = "minus"
    and_word = "og"
    phone_numbers = range(1, 4)
    range_word = "til"
    plus_word = "pluss"
    clock_zero = "null"
    year_before = words("i år siden fra til før etter innen rundt sommeren vinteren våren høsten")
    months = (
        "januar|jan.",
        "februar|feb.",
        "mars|mar.",
        "april|apr.",
        "mai",
        "juni|jun.",
        "juli|jul.",
        "august|aug.",
        "september|sep.|sept.",
        "oktober|okt.",
        "november|nov.",
        "desember|des.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "kr": _KRONE,
        "kr.": _KRONE,
        "NOK": _KRONE,
        "kroner": _KRONE,
        "€": _EURO,
        "EUR": _EURO,
        "euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "mill.": (6, _MILLION),
        "mill": (6, _MILLION),
        "millioner": (6, _MILLION),
        "mrd.": (9, _BILLION),
        "mrd": (9, _BILLION),
        "milliarder": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometer", "c"),
        "m": Noun.of("meter", "c"),
        "cm": Noun.of("centimeter", "c"),
        "mm": Noun.of("millimeter", "c"),
        "mil": Noun.of("mil", "c"),
        "kg": Noun.of("kilo", "n"),
        "g": Noun.of("gram", "n"),
        "l": Noun.of("liter", "c"),
        "dl": Noun.of("desiliter", "c"),
        "ml": Noun.of("milliliter", "c"),
        "ss": Noun.of("spiseskje|spiseskjeer", "c"),
        "ts": Noun.of("teskje|teskjeer", "c"),
        "km/t": Noun.of("kilometer i timen", "c"),
        "km/h": Noun.of("kilometer i timen", "c"),
        "m²": Noun.of("kvadratmeter", "c"),
        "m2": Noun.of("kvadratmeter", "c"),
        "kvm": Noun.of("kvadratmeter", "c"),
        "%": Noun.of("prosent", "c"),
        "°C": Noun.of("grad celsius|grader celsius", "c"),
        "°": Noun.of("grad|grader", "c"),
        "t": Noun.of("time|timer", "c"),
        "min": Noun.of("minutt|minutter", "n"),
        "min.": Noun.of("minutt|minutter", "n"),
        "sek": Noun.of("sekund|sekunder", "n"),
        "stk.": Noun.of("stykk|stykker", "n"),
        "kWh": Noun.of("kilowattime|kilowattimer", "c"),
        "mill.": _MILLION,
        "mrd.": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "f.eks.": "for eksempel",
        "F.eks.": "for eksempel",
        "bl.a.": "blant annet",
        "osv.": "og så videre",
        "ca.": "cirka",
        "kl.": "klokka",
        "Kl.": "klokka",
        "nr.#": "nummer",
        "s.#": "side",
        "dvs.": "det vil si",
        "mht.": "med hensyn til",
        "pga.": "på grunn av",
        "iflg.": "ifølge",
        "inkl.": "inkludert",
        "ekskl.": "eksklusive",
        "evt.": "eventuelt",
        "hhv.": "henholdsvis",
        "vha.": "ved hjelp av",
        "m.m.": "med mer",
        "etc.": "et cetera",
        "f.Kr.": "før Kristus",
        "e.Kr.": "etter Kristus",
        "tlf.": "telefon",
        "Tlf.": "telefon",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "og", "+": "pluss", "=": "er lik"}
    rulers = frozenset({"Harald", "Olav", "Haakon", "Håkon", "Magnus", "Sverre", "Christian"})
    century_words = "århundre"
    time_separators = ":."
    bare_time_separators = ":."
    day_marker = r"\."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>\.)(?=[ \u00a0]+[a-zæøå])"

    def cardinal(self, n: int) -> str:
        return numbers.cardinal(n)

    def ordinal(self, n: int, form: str = "") -> str:
        return numbers.ordinal(n)

    def year(self, n: int) -> str:
        return numbers.year(n)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if noun.gender == "n" and (words == "en" or words.endswith(" og en")):
            return words[:-2] + "ett"  # "ett pund", "hundre og ett år"
        return words

    def fraction(self, num: int, den: int) -> str:
        head = self.cardinal(num)
        if den == 2:
            return "en halv" if num == 1 else f"{head} halve"
        stem = self.ordinal(den)
        return f"{head} {stem}{'del' if num == 1 else 'deler'}"  # "en tredjedel", "tre fjerdedeler"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2) and whole == 1:
            return "halvannen"
        return f"{self.cardinal(whole)} og {self.fraction(num, den)}"  # "to og en halv"


LANGUAGE = Norwegian()
