"""French readings (Académie française and Imprimerie nationale conventions).

- Thousands grouped by a space, no-break or narrow no-break space; "virgule" before decimals.
- Singular below two ("1,5 kilomètre", "zéro degré"), "un" -> "une" before a feminine noun.
- Ordinals "1er"/"1re" -> "premier"/"première", "2e" -> "deuxième"; Roman centuries ("XIXe siècle").
- Kings and popes take cardinals except the first ("Louis XIV" -> "Louis quatorze", "François Ier").
- Dates "le premier mai", "le trois mai deux mille vingt-quatre"; times "quatorze heures trente".
- Phone numbers in pairs ("01 23 45 67 89" -> "zéro un vingt-trois ...").
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun

_EURO = Currency(Noun.of("euro|euros"), Noun.of("centime|centimes"))
_DOLLAR = Currency(Noun.of("dollar|dollars"), Noun.of("cent|cents"))
_POUND = Currency(Noun.of("livre|livres", "f"), Noun.of("penny|pence"))
_FRANC = Currency(Noun.of("franc|francs"), Noun.of("centime|centimes"))
_MILLION = Noun.of("million|millions")
_BILLION = Noun.of("milliard|milliards")
_HOUR = Noun.of("heure|heures", "f")
_DENOMINATORS = {2: "demi", 3: "tiers", 4: "quart"}

_FEMININE_NOUNS = (
    Noun.of("personne|personnes", "f"),
    Noun.of("femme|femmes", "f"),
    Noun.of("fille|filles", "f"),
    Noun.of("semaine|semaines", "f"),
    Noun.of("fois", "f"),
    Noun.of("page|pages", "f"),
    Noun.of("maison|maisons", "f"),
    Noun.of("entreprise|entreprises", "f"),
    Noun.of("place|places", "f"),
    Noun.of("victime|victimes", "f"),
    Noun.of("rue|rues", "f"),
    Noun.of("ville|villes", "f"),
    Noun.of("école|écoles", "f"),
    Noun.of("nuit|nuits", "f"),
    Noun.of("année|années", "f"),
    Noun.of("voiture|voitures", "f"),
)
"""Frequent feminine nouns a number agrees with."""


class French(Language):
    code = "fr"
    n2w = "fr"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "virgule"
    minus = "moins"
    and_word = "et"
    range_word = "à"
    plus_word = "plus"
    months = (
        "janvier|janv.",
        "février|févr.|fév.",
        "mars",
        "avril|avr.",
        "mai",
        "juin",
        "juillet|juil.",
        "août",
        "septembre|sept.",
        "octobre|oct.",
        "novembre|nov.",
        "décembre|déc.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euros": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "dollars": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
        "CHF": _FRANC,
        "francs": _FRANC,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "millions": (6, _MILLION),
        "million": (6, _MILLION),
        "M": (6, _MILLION),
        "Md": (9, _BILLION),
        "Mds": (9, _BILLION),
        "milliards": (9, _BILLION),
        "milliard": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilomètre|kilomètres"),
        "m": Noun.of("mètre|mètres"),
        "cm": Noun.of("centimètre|centimètres"),
        "mm": Noun.of("millimètre|millimètres"),
        "kg": Noun.of("kilo|kilos"),
        "g": Noun.of("gramme|grammes"),
        "mg": Noun.of("milligramme|milligrammes"),
        "t": Noun.of("tonne|tonnes", "f"),
        "l": Noun.of("litre|litres"),
        "L": Noun.of("litre|litres"),
        "cl": Noun.of("centilitre|centilitres"),
        "ml": Noun.of("millilitre|millilitres"),
        "km/h": Noun.of("kilomètre-heure|kilomètres-heure"),
        "m²": Noun.of("mètre carré|mètres carrés"),
        "m2": Noun.of("mètre carré|mètres carrés"),
        "ha": Noun.of("hectare|hectares"),
        "%": Noun.of("pour cent", "x"),
        "°C": Noun.of("degré Celsius|degrés Celsius"),
        "°": Noun.of("degré|degrés"),
        "h": _HOUR,
        "min": Noun.of("minute|minutes", "f"),
        "s": Noun.of("seconde|secondes", "f"),
        "kWh": Noun.of("kilowattheure|kilowattheures"),
        "Go": Noun.of("gigaoctet|gigaoctets"),
        "millions": _MILLION,
        "milliards": _BILLION,
    }
    nouns = _FEMININE_NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "M.^": "monsieur",
        "MM.^": "messieurs",
        "Mme": "madame",
        "Mmes": "mesdames",
        "Mlle": "mademoiselle",
        "Dr": "docteur",
        "Dr.": "docteur",
        "Pr": "professeur",
        "Me^": "maître",
        "St^": "saint",
        "Ste^": "sainte",
        "etc.": "et cetera",
        "p.#": "page",
        "n°#": "numéro",
        "no#": "numéro",
        "av.^": "avenue",
        "bd^": "boulevard",
        "env.": "environ",
        "c.-à-d.": "c'est-à-dire",
        "av. J.-C.": "avant Jésus-Christ",
        "apr. J.-C.": "après Jésus-Christ",
        "tél.": "téléphone",
        "Tél.": "téléphone",
        "cf.": "confer",
        "svp": "s'il vous plaît",
        "RDV": "rendez-vous",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "et", "+": "plus", "=": "égal", "@": "arobase"}
    century_words = "siècle|siècles"
    time_words = "h|heures"
    time_separators = ":"
    bare_time_separators = ":h"
    day_marker = "er"
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4}|[IVXLC]{2,}|[IVX])(?P<mk>ers?|ères?|res?|èmes?|es|e|nde?s?|de?)(?![\w])"
    )

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return 0 if n < 2 else 1  # "1,5 kilomètre", "zéro degré"

    def agree(self, words: str, n: int, noun: Noun) -> str:
        last = words.replace("-", " ").split()[-1:]
        return words + "e" if noun.gender == "f" and last == ["un"] else words

    def ordinal(self, n: int, form: str = "") -> str:
        if n == 1:
            return "première" if form.startswith(("r", "è")) else "premier"
        if form.startswith(("nd", "d")):
            return "seconde" if form.endswith(("e", "es")) and form not in ("d", "nd") else "second"
        return super().ordinal(n)

    def fraction(self, num: int, den: int) -> str:
        name = _DENOMINATORS.get(den) or super().ordinal(den)
        if num > 1 and not name.endswith("s"):
            name += "s"
        return f"{self.cardinal(num)} {name}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} et demi"
        return f"{self.cardinal(whole)} et {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return "premier" if n == 1 else self.cardinal(n)

    def time(self, h: int, m: int | None, word: str) -> str:
        hours = f"{self.agree(self.cardinal(h), h, _HOUR)} {_HOUR.form(self.plural_index(h))}"
        return f"{hours} {self.cardinal(m)}" if m else hours

    def money(self, whole: int, cents: int | None, currency: Currency) -> str:
        if not cents:
            return self.count(whole, currency.major)
        if whole == 0 and currency.minor is not None:
            return self.count(cents, currency.minor)
        return f"{self.count(whole, currency.major)} {self.cardinal(cents)}"  # "douze euros cinquante"

    def of_link(self, noun_word: str) -> str:
        return "d'" if noun_word[:1] in "aeiouéèêh" else "de "

    def phone_group(self, group: str) -> str:
        if group.startswith("0"):
            return " ".join(["zéro", *([self.digits(group[1:])] if len(group) > 1 else [])])
        return self.cardinal(int(group)) if len(group) <= 3 else self.digits(group)

    def regnal(self, n: int, name: str) -> str:
        return "premier" if n == 1 else self.cardinal(n)

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n)


LANGUAGE = French()
