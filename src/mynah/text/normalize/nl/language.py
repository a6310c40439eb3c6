"""Dutch readings (Taaladvies.net and the Woordenlijst; news, recipes, NS timetables, invoices).

- Thousands grouped by a point or a space, decimals after a comma read "komma"; "één" only stands
  alone ("honderdeen", "duizendeen": num2words 0.5 writes "honderdéén", "duizendéén").
- Ordinals "1e", "3de", "8ste"; a date's day is a cardinal ("drie mei"); years 1100-1999 in hundreds
  ("negentienhonderdnegenennegentig": num2words writes it in three words).
- Times "om 14.30 uur" -> "veertien uur dertig"; money "twaalf euro vijftig", "€ 12,-".
- Units stay singular after a number ("drie kilometer", "twee uur") except those that count
  ("vijf minuten", "twee eetlepels"); kings "Willem III" -> "Willem de Derde".
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.wordlist import words

_EURO = Currency(Noun.of("euro"), Noun.of("cent"))
_DOLLAR = Currency(Noun.of("dollar"), Noun.of("cent"))
_POUND = Currency(Noun.of("pond"), Noun.of("pence"))
_MILLION = Noun.of("miljoen")
_BILLION = Noun.of("miljard")
_YEAR_BEFORE = words(
    "in sinds jaar tot van vanaf na voor rond eind begin medio zomer winter lente herfst anno uit"
)
_INNER_ONE = re.compile(r"(?<=\w)één|één(?=\w)")


class Dutch(Language):
    code = "nl"
    n2w = "nl"
    decimal_word = "komma"
    minus = "min"
    and_word = "en"
    range_word = "tot"
    plus_word = "plus"
    months = (
        "januari|jan.",
        "februari|feb.|febr.",
        "maart|mrt.",
        "april|apr.",
        "mei",
        "juni|jun.",
        "juli|jul.",
        "augustus|aug.",
        "september|sep.|sept.",
        "oktober|okt.",
        "november|nov.",
        "december|dec.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "dollar": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "mln.": (6, _MILLION),
        "mln": (6, _MILLION),
        "miljoen": (6, _MILLION),
        "mld.": (9, _BILLION),
        "mld": (9, _BILLION),
        "miljard": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometer"),
        "m": Noun.of("meter"),
        "cm": Noun.of("centimeter"),
        "mm": Noun.of("millimeter"),
        "kg": Noun.of("kilo"),
        "g": Noun.of("gram"),
        "gr": Noun.of("gram"),
        "mg": Noun.of("milligram"),
        "l": Noun.of("liter"),
        "dl": Noun.of("deciliter"),
        "cl": Noun.of("centiliter"),
        "ml": Noun.of("milliliter"),
        "el": Noun.of("eetlepel|eetlepels"),
        "tl": Noun.of("theelepel|theelepels"),
        "km/u": Noun.of("kilometer per uur"),
        "km/h": Noun.of("kilometer per uur"),
        "m²": Noun.of("vierkante meter"),
        "m2": Noun.of("vierkante meter"),
        "m³": Noun.of("kubieke meter"),
        "ha": Noun.of("hectare"),
        "t": Noun.of("ton"),
        "%": Noun.of("procent"),
        "°C": Noun.of("graad Celsius|graden Celsius"),
        "°": Noun.of("graad|graden"),
        "u": Noun.of("uur"),
        "min": Noun.of("minuut|minuten"),
        "min.": Noun.of("minuut|minuten"),
        "sec": Noun.of("seconde|seconden"),
        "s": Noun.of("seconde|seconden"),
        "kWh": Noun.of("kilowattuur"),
        "kW": Noun.of("kilowatt"),
        "GB": Noun.of("gigabyte"),
        "MB": Noun.of("megabyte"),
        "mln.": _MILLION,
        "mln": _MILLION,
        "mld.": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "bijv.": "bijvoorbeeld",
        "bv.": "bijvoorbeeld",
        "d.w.z.": "dat wil zeggen",
        "o.a.": "onder andere",
        "enz.": "enzovoort",
        "e.d.": "en dergelijke",
        "etc.": "et cetera",
        "ca.": "circa",
        "blz.#": "bladzijde",
        "nr.#": "nummer",
        "t/m": "tot en met",
        "m.b.t.": "met betrekking tot",
        "i.p.v.": "in plaats van",
        "incl.": "inclusief",
        "excl.": "exclusief",
        "dhr.": "de heer",
        "Dhr.": "de heer",
        "mevr.": "mevrouw",
        "Mevr.": "mevrouw",
        "dr.^": "doctor",
        "Dr.^": "doctor",
        "prof.^": "professor",
        "Prof.^": "professor",
        "St.^": "Sint",
        "v.Chr.": "voor Christus",
        "n.Chr.": "na Christus",
        "a.s.": "aanstaande",
        "jl.": "jongstleden",
        "tel.": "telefoon",
        "Tel.": "telefoon",
        "z.o.z.": "zie ommezijde",
        "vs.": "versus",
        "mr.^": "meester",
        "Mr.^": "meester",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "en", "+": "plus", "=": "is"}
    century_words = "eeuw"
    time_words = "uur"
    time_separators = ":."
    fraction_as_number = 2
    date_separators = "-./"
    bare_time_separators = ":"
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,4})(?P<mk>ste|de|e)(?![\w])"

    def cardinal(self, n: int) -> str:
        words = super().cardinal(n)
        return words if words == "één" else _INNER_ONE.sub("een", words)

    def ordinal(self, n: int, form: str = "") -> str:
        return _INNER_ONE.sub("een", super().ordinal(n))

    def year(self, n: int) -> str:
        if 1100 <= n <= 1999 and n % 1000:
            hi, lo = divmod(n, 100)
            return f"{self.cardinal(hi)}honderd{self.cardinal(lo).replace('één', 'een') if lo else ''}"
        return self.cardinal(n)

    def four_digits(self, n: int, prev: str, next_word: str) -> str:
        return self.year(n) if prev in _YEAR_BEFORE else self.cardinal(n)

    def fraction(self, num: int, den: int) -> str:
        head = "een" if num == 1 else self.cardinal(num)
        if den == 2:
            return "een half" if num == 1 else f"{head} halve"
        if den == 4:
            return "een kwart" if num == 1 else f"{head}kwart"
        return f"{head} {self.ordinal(den)}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        head = self.cardinal(whole).replace("één", "een")
        if (num, den) == (1, 2):
            return f"{head}{'ën' if head.endswith('e') else 'en'}half"  # "tweeënhalf", "vijfenhalf"
        return f"{head} en {self.fraction(num, den)}"

    def time(self, h: int, m: int | None, word: str) -> str:
        if not m:
            return f"{self.cardinal(h)} uur"
        return f"{self.cardinal(h)} uur {self.cardinal(m)}"

    def money(self, whole: int, cents: int | None, currency: Currency) -> str:
        if not cents or whole == 0:
            return super().money(whole, cents, currency)
        return f"{self.count(whole, currency.major)} {self.cardinal(cents)}"  # "twaalf euro vijftig"

    def regnal(self, n: int, name: str) -> str:
        return f"de {self.ordinal(n)}"

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n)


LANGUAGE = Dutch()
