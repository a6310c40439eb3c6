"""German readings (Duden conventions; Swiss and Austrian forms where they differ in writing only).

- Ordinals inflect with the article before them (`am 3. Mai` -> "am dritten Mai", `der 2. Platz` ->
  "der zweite Platz"); without one a date's day is "dritter" and other ordinals "zweite".
- Years 1100-1999 in hundreds ("neunzehnhundertneunundneunzig"), from 2000 as cardinals.
- Decimals digit by digit after "Komma" ("drei Komma eins vier"); money as "zwölf Euro fünfzig".
- "eins" becomes "ein"/"eine" before a noun ("ein Kilometer", "eine Stunde", "eine Million").
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.wordlist import words

_EURO = Currency(Noun.of("Euro"), Noun.of("Cent"))
_DOLLAR = Currency(Noun.of("Dollar"), Noun.of("Cent"))
_POUND = Currency(Noun.of("Pfund", "n"), Noun.of("Pence"))
_FRANC = Currency(Noun.of("Franken"), Noun.of("Rappen"))
_MILLION = Noun.of("Million|Millionen", "f")
_BILLION = Noun.of("Milliarde|Milliarden", "f")

_WEAK = words("dem am im vom zum beim den des einem einen seinem seinen ihrem ihren jedem diesem diesen bis")
"""Words after which an ordinal takes "-en" (dative, genitive, accusative masculine)."""
_STRONG_E = words("der die das jeder jede jedes diese dieser dieses")
_NOT_AFTER_ORDINAL = (
    "Der|Die|Das|Den|Dem|Des|Ein|Eine|Er|Sie|Es|Ich|Wir|Ihr|Dann|Aber|Und|Oder|Im|In|Am|An|Auf|Als|Da|"
    "Doch|So|Wenn|Nach|Vor|Mit|Bei|Zum|Zur|Es|Man|Dies|Diese|Dieser"
)

_FEMININE_NOUNS = (
    Noun.of("Person|Personen", "f"),
    Noun.of("Frau|Frauen", "f"),
    Noun.of("Woche|Wochen", "f"),
    Noun.of("Seite|Seiten", "f"),
    Noun.of("Firma|Firmen", "f"),
    Noun.of("Stadt|Städte", "f"),
    Noun.of("Schule|Schulen", "f"),
    Noun.of("Nacht|Nächte", "f"),
    Noun.of("Straße|Straßen", "f"),
    Noun.of("Wohnung|Wohnungen", "f"),
)
"""Frequent feminine nouns a number agrees with."""


class German(Language):
    code = "de"
    n2w = "de"
    decimal_word = "Komma"
    minus = "minus"
    and_word = "und"
    range_word = "bis"
    months = (
        "Januar|Jan.|Jänner",
        "Februar|Feb.|Febr.",
        "März|Mär.|Mrz.",
        "April|Apr.",
        "Mai",
        "Juni|Jun.",
        "Juli|Jul.",
        "August|Aug.",
        "September|Sep.|Sept.",
        "Oktober|Okt.",
        "November|Nov.",
        "Dezember|Dez.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "Euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "Dollar": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
        "CHF": _FRANC,
        "Franken": _FRANC,
        "¥": Currency(Noun.of("Yen")),
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "Mio.": (6, _MILLION),
        "Million": (6, _MILLION),
        "Millionen": (6, _MILLION),
        "Mrd.": (9, _BILLION),
        "Milliarde": (9, _BILLION),
        "Milliarden": (9, _BILLION),
        "Tsd.": (3, Noun.of("tausend")),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("Kilometer"),
        "m": Noun.of("Meter"),
        "cm": Noun.of("Zentimeter"),
        "mm": Noun.of("Millimeter"),
        "kg": Noun.of("Kilogramm", "n"),
        "g": Noun.of("Gramm", "n"),
        "mg": Noun.of("Milligramm", "n"),
        "t": Noun.of("Tonne|Tonnen", "f"),
        "l": Noun.of("Liter"),
        "ml": Noun.of("Milliliter"),
        "km/h": Noun.of("Kilometer pro Stunde"),
        "m²": Noun.of("Quadratmeter"),
        "qm": Noun.of("Quadratmeter"),
        "m³": Noun.of("Kubikmeter"),
        "ha": Noun.of("Hektar", "n"),
        "%": Noun.of("Prozent", "n"),
        "°C": Noun.of("Grad Celsius", "n"),
        "°": Noun.of("Grad", "n"),
        "h": Noun.of("Stunde|Stunden", "f"),
        "Std.": Noun.of("Stunde|Stunden", "f"),
        "min": Noun.of("Minute|Minuten", "f"),
        "Min.": Noun.of("Minute|Minuten", "f"),
        "s": Noun.of("Sekunde|Sekunden", "f"),
        "Sek.": Noun.of("Sekunde|Sekunden", "f"),
        "kWh": Noun.of("Kilowattstunde|Kilowattstunden", "f"),
        "kW": Noun.of("Kilowatt", "n"),
        "W": Noun.of("Watt", "n"),
        "GB": Noun.of("Gigabyte", "n"),
        "MB": Noun.of("Megabyte", "n"),
        "EL": Noun.of("Esslöffel"),
        "TL": Noun.of("Teelöffel"),
        "Stk.": Noun.of("Stück", "n"),
        "Mio.": _MILLION,
        "Mrd.": _BILLION,
    }
    nouns = _FEMININE_NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "z.B.": "zum Beispiel",
        "d.h.": "das heißt",
        "u.a.": "unter anderem",
        "usw.": "und so weiter",
        "bzw.": "beziehungsweise",
        "ca.": "circa",
        "Dr.": "Doktor",
        "Prof.": "Professor",
        "Hr.": "Herr",
        "evtl.": "eventuell",
        "vgl.": "vergleiche",
        "inkl.": "inklusive",
        "zzgl.": "zuzüglich",
        "ggf.": "gegebenenfalls",
        "bspw.": "beispielsweise",
        "Str.": "Straße",
        "Jh.": "Jahrhundert",
        "Jhd.": "Jahrhundert",
        "v.Chr.": "vor Christus",
        "n.Chr.": "nach Christus",
        "St.": "Sankt",
        "Abs.": "Absatz",
        "etc.": "et cetera",
        "z.T.": "zum Teil",
        "o.Ä.": "oder Ähnliches",
        "u.U.": "unter Umständen",
        "i.d.R.": "in der Regel",
        "mind.": "mindestens",
        "max.": "maximal",
        "Nr.": "Nummer",
        "Tel.": "Telefon",
        "S.#": "Seite",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "und", "+": "plus", "=": "gleich", "§": "Paragraf"}
    century_words = r"Jh|Jhd|Jahrhundert|Jahrhunderts|Jahrhunderten"
    time_words = "Uhr"
    time_separators = ":."
    day_marker = r"\."
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4})(?P<mk>\.)(?=[ \u00a0]+(?!(?:" + _NOT_AFTER_ORDINAL + r")\b)[^\W\d_])"
    )

    # ------------------------------------------------------------------------------- numbers

    def decimal(self, whole: int, frac: str, negative: bool = False) -> str:
        words = f"{self.cardinal(whole)} Komma {self.digits(frac)}"  # Duden: digits after the comma singly
        return f"minus {words}" if negative else words

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if words.endswith("eins"):
            return words[:-1] + ("e" if noun.gender == "f" else "")
        return words

    def year(self, n: int) -> str:
        if 1100 <= n <= 1999:
            hi, lo = divmod(n, 100)
            return self.cardinal(hi) + "hundert" + (self.cardinal(lo) if lo else "")
        return self.cardinal(n)

    def four_digits(self, n: int, prev: str, next_word: str) -> str:
        if prev in ("jahr", "jahre", "jahres", "anno", "seit", "bis", "im", "um", "ab", "von", "vor", "nach"):
            return self.year(n)
        if next_word[:1].isupper():  # German nouns are capitalised: "1500 Menschen"
            return self.cardinal(n)
        return self.year(n)

    def ordinal(self, n: int, form: str = "e") -> str:
        stem = super().ordinal(n)[:-1]  # num2words: "dritte"
        return stem + form

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        return self.ordinal(n, self._ending(prev, default="e"))

    @staticmethod
    def _ending(prev: str, default: str) -> str:
        if prev in _WEAK:
            return "en"
        if prev in _STRONG_E:
            return "e"
        if prev in ("ein", "sein", "ihr", "kein", "mein", "unser"):
            return "er"
        return default

    def fraction(self, num: int, den: int) -> str:
        head = "ein" if num == 1 else self.cardinal(num)
        if den == 2:
            return f"{head} halb" if num == 1 else f"{head} Halbe"
        return f"{head} {super().ordinal(den)[:-1].capitalize()}el"  # "Viertel", "Drittel", "Achtel"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            head = "ein" if whole == 1 else self.cardinal(whole)
            return f"{head}einhalb"  # "zweieinhalb"
        return f"{self.cardinal(whole)} {self.fraction(num, den)}"

    # --------------------------------------------------------------------------- dates, times

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return self.ordinal(n, self._ending(prev, default="er"))

    def time(self, h: int, m: int | None, word: str) -> str:
        hour = "ein" if h == 1 else self.cardinal(h)
        return f"{hour} Uhr" if not m else f"{hour} Uhr {self.cardinal(m)}"

    def money(self, whole: int, cents: int | None, currency: Currency) -> str:
        if not cents:
            return self.count(whole, currency.major)
        if whole == 0 and currency.minor is not None:
            return self.count(cents, currency.minor)
        return f"{self.count(whole, currency.major)} {self.cardinal(cents)}"  # "zwölf Euro fünfzig"

    # ---------------------------------------------------------------------------------- roman

    def regnal(self, n: int, name: str) -> str:
        return "der " + self.ordinal(n, "e")  # "Ludwig der Vierzehnte"

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n, self._ending(prev, default="e"))


LANGUAGE = German()
