"""Italian readings (Accademia della Crusca and Treccani conventions).

- "uno" -> "un"/"una" before a noun; "euro" does not change in the plural.
- Ordinals "1º"/"1ª" and, before a word, "2°" -> "secondo"; kings, popes and centuries take ordinals
  ("Luigi XIV" -> "Luigi quattordicesimo", "XX secolo" -> "ventesimo secolo").
- Dates "il primo maggio", "il tre maggio duemilaventiquattro"; times "quattordici e trenta".
- Money "dodici euro e cinquanta centesimi"; scale words take "di" ("due milioni di euro").
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.wordlist import words

_EURO = Currency(Noun.of("euro"), Noun.of("centesimo|centesimi"))
_DOLLAR = Currency(Noun.of("dollaro|dollari"), Noun.of("centesimo|centesimi"))
_POUND = Currency(Noun.of("sterlina|sterline", "f"), Noun.of("penny|pence"))
_FRANC = Currency(Noun.of("franco|franchi"), Noun.of("centesimo|centesimi"))
_MILLION = Noun.of("milione|milioni")
_BILLION = Noun.of("miliardo|miliardi")
_FEMININE_NAMES = words("Elisabetta Maria Caterina Giovanna Anna Vittoria Margherita")
_DENOMINATORS = {2: "mezzo"}


def _plural(word: str) -> str:
    return word[:-1] + "i" if word.endswith("o") else word


_FEMININE_NOUNS = (
    Noun.of("persona|persone", "f"),
    Noun.of("donna|donne", "f"),
    Noun.of("ragazza|ragazze", "f"),
    Noun.of("settimana|settimane", "f"),
    Noun.of("volta|volte", "f"),
    Noun.of("pagina|pagine", "f"),
    Noun.of("casa|case", "f"),
    Noun.of("azienda|aziende", "f"),
    Noun.of("vittima|vittime", "f"),
    Noun.of("strada|strade", "f"),
    Noun.of("città", "f"),
    Noun.of("scuola|scuole", "f"),
    Noun.of("notte|notti", "f"),
)
"""Frequent feminine nouns a number agrees with."""


class Italian(Language):
    code = "it"
    n2w = "it"
    decimal_word = "virgola"
    minus = "meno"
    and_word = "e"
    range_word = "a"
    plus_word = "più"
    months = (
        "gennaio|genn.|gen.",
        "febbraio|febbr.|feb.",
        "marzo|mar.",
        "aprile|apr.",
        "maggio|magg.|mag.",
        "giugno|giu.",
        "luglio|lug.",
        "agosto|ago.",
        "settembre|sett.|set.",
        "ottobre|ott.",
        "novembre|nov.",
        "dicembre|dic.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "dollari": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
        "CHF": _FRANC,
        "franchi": _FRANC,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "milioni": (6, _MILLION),
        "milione": (6, _MILLION),
        "mln": (6, _MILLION),
        "mld": (9, _BILLION),
        "miliardi": (9, _BILLION),
        "miliardo": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("chilometro|chilometri"),
        "m": Noun.of("metro|metri"),
        "cm": Noun.of("centimetro|centimetri"),
        "mm": Noun.of("millimetro|millimetri"),
        "kg": Noun.of("chilo|chili"),
        "g": Noun.of("grammo|grammi"),
        "gr": Noun.of("grammo|grammi"),
        "mg": Noun.of("milligrammo|milligrammi"),
        "t": Noun.of("tonnellata|tonnellate", "f"),
        "l": Noun.of("litro|litri"),
        "ml": Noun.of("millilitro|millilitri"),
        "km/h": Noun.of("chilometro orario|chilometri orari"),
        "m²": Noun.of("metro quadrato|metri quadrati"),
        "mq": Noun.of("metro quadrato|metri quadrati"),
        "ha": Noun.of("ettaro|ettari"),
        "%": Noun.of("per cento", "x"),
        "°C": Noun.of("grado|gradi"),
        "°": Noun.of("grado|gradi"),
        "h": Noun.of("ora|ore", "f"),
        "min": Noun.of("minuto|minuti"),
        "s": Noun.of("secondo|secondi"),
        "kWh": Noun.of("chilowattora"),
        "GB": Noun.of("gigabyte"),
        "milioni": _MILLION,
        "mln": _MILLION,
        "miliardi": _BILLION,
        "mld": _BILLION,
    }
    nouns = _FEMININE_NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "Sig.": "signor",
        "Sig.ra": "signora",
        "Sigg.": "signori",
        "Dott.": "dottor",
        "Dott.ssa": "dottoressa",
        "Prof.": "professor",
        "Prof.ssa": "professoressa",
        "Ing.": "ingegner",
        "Avv.": "avvocato",
        "ecc.": "eccetera",
        "pag.#": "pagina",
        "pagg.#": "pagine",
        "n.#": "numero",
        "p.es.": "per esempio",
        "a.C.": "avanti Cristo",
        "d.C.": "dopo Cristo",
        "tel.": "telefono",
        "Tel.": "telefono",
        "S.p.A.": "società per azioni",
        "P.zza": "piazza",
        "C.so": "corso",
        "V.le": "viale",
        "ca.": "circa",
        "sec.": "secolo",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "e", "+": "più", "=": "uguale", "@": "chiocciola"}
    century_words = "secolo|secoli|sec"
    time_words = "(?!)"
    time_separators = ":."
    bare_time_separators = ":."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>[ºª]|°(?=[ \u00a0][a-zà-ù]))(?![\w])"

    def cardinal(self, n: int) -> str:
        # num2words elides the i of "diciotto" after "cento" ("centodicotto"); Italian keeps it
        return super().cardinal(n).replace("dicotto", "diciotto")

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if noun.gender == "x":
            return words
        if words == "uno":
            if noun.gender == "f":
                return "un'" if noun.forms[0][:1] in "aeiou" else "una"  # "un'ora", "una tonnellata"
            return "un"
        return words

    def ordinal(self, n: int, form: str = "") -> str:
        words = super().ordinal(n)
        return words[:-1] + "a" if "ª" in form else words

    def fraction(self, num: int, den: int) -> str:
        name = _DENOMINATORS.get(den) or super().ordinal(den)
        return f"{'un' if num == 1 else self.cardinal(num)} {name if num == 1 else _plural(name)}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} e mezzo"
        return f"{self.cardinal(whole)} e {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return "primo" if n == 1 else self.cardinal(n)  # "il primo maggio", "il due maggio"

    def time(self, h: int, m: int | None, word: str) -> str:
        hour = "una" if h == 1 else self.cardinal(h)
        return f"{hour} e {self.cardinal(m)}" if m else hour

    def of_link(self, noun_word: str) -> str:
        return "di "

    def regnal(self, n: int, name: str) -> str:
        words = self.ordinal(n)
        return words[:-1] + "a" if name in _FEMININE_NAMES else words

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n)


LANGUAGE = Italian()
