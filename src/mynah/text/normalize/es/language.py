"""Spanish readings (RAE/Fundéu conventions for Spain; Latin American forms accepted where written alike).

- Numbers agree with the noun they count: "un kilómetro", "una hora", "veintiún euros", "doscientas
  libras"; "uno por ciento" keeps "uno" (no noun to agree with).
- Ordinals in "º"/"ª" ("1.º" -> "primero", "1.ª" -> "primera"), shortened before a masculine noun
  ("1.er piso", "3.º piso" -> "primer piso", "tercer piso"); ordinals up to ten after a king's name
  ("Felipe VI" -> "Felipe sexto"), cardinals above ("Alfonso XIII" -> "Alfonso trece") and for centuries.
- Dates with "de" ("tres de mayo de dos mil veinticuatro"), decimals with "coma".
- Money as "doce euros con cincuenta céntimos"; scale words take "de" ("dos millones de euros").
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.wordlist import words

_EURO = Currency(Noun.of("euro|euros"), Noun.of("céntimo|céntimos"))
_DOLLAR = Currency(Noun.of("dólar|dólares"), Noun.of("centavo|centavos"))
_POUND = Currency(Noun.of("libra|libras", "f"), Noun.of("penique|peniques"))
_PESO = Currency(Noun.of("peso|pesos"), Noun.of("centavo|centavos"))
_MILLION = Noun.of("millón|millones")
_BILLION = Noun.of("mil millones")
_HOUR = Noun.of("hora|horas", "f")
_FEMININE_NAMES = words("Isabel Juana María Catalina Cristina Leonor Urraca Berenguela Sofía")
_UNO_BEFORE_SCALE = re.compile(r"\b(veint)?iuno (?=mil\b|millón|millones)|\buno (?=mil\b|millón|millones)")
_DENOMINATORS = (
    "",
    "",
    "medio",
    "tercio",
    "cuarto",
    "quinto",
    "sexto",
    "séptimo",
    "octavo",
    "noveno",
    "décimo",
)


def _fix_uno(m: re.Match[str]) -> str:
    return "veintiún " if m.group(1) else "un "


def feminine(words: str) -> str:
    """Cardinal words before a feminine noun: "doscientos uno" -> "doscientas una"."""
    out = []
    for w in words.split():
        if w.endswith("ientos"):
            w = w[:-2] + "as"
        elif w in ("uno", "un"):
            w = "una"
        elif w in ("veintiuno", "veintiún"):
            w = "veintiuna"
        out.append(w)
    return " ".join(out)


def feminine_ordinal(words: str) -> str:
    """ "vigésimo primero" -> "vigésima primera"."""
    return " ".join(w[:-1] + "a" if w.endswith("o") else w for w in words.split())


_FEMININE_NOUNS = (
    Noun.of("persona|personas", "f"),
    Noun.of("mujer|mujeres", "f"),
    Noun.of("niña|niñas", "f"),
    Noun.of("hora|horas", "f"),
    Noun.of("semana|semanas", "f"),
    Noun.of("vez|veces", "f"),
    Noun.of("página|páginas", "f"),
    Noun.of("casa|casas", "f"),
    Noun.of("vivienda|viviendas", "f"),
    Noun.of("empresa|empresas", "f"),
    Noun.of("plaza|plazas", "f"),
    Noun.of("víctima|víctimas", "f"),
    Noun.of("calle|calles", "f"),
    Noun.of("ciudad|ciudades", "f"),
    Noun.of("escuela|escuelas", "f"),
    Noun.of("noche|noches", "f"),
)
"""Frequent feminine nouns a number agrees with."""


class Spanish(Language):
    code = "es"
    n2w = "es"
    decimal_word = "coma"
    minus = "menos"
    and_word = "y"
    minor_joiner = "con"
    range_word = "a"
    plus_word = "más"
    date_of = "de"
    months = (
        "enero|ene.",
        "febrero|feb.",
        "marzo|mar.",
        "abril|abr.",
        "mayo|may.",
        "junio|jun.",
        "julio|jul.",
        "agosto|ago.",
        "septiembre|setiembre|sept.|sep.",
        "octubre|oct.",
        "noviembre|nov.",
        "diciembre|dic.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euros": _EURO,
        "$": _DOLLAR,
        "US$": _DOLLAR,
        "USD": _DOLLAR,
        "dólares": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
        "MXN": _PESO,
        "pesos": _PESO,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "millones": (6, _MILLION),
        "millón": (6, _MILLION),
        "mill.": (6, _MILLION),
        "M": (6, _MILLION),
        "mil millones": (9, _BILLION),
        "mil": (3, Noun.of("mil")),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilómetro|kilómetros"),
        "m": Noun.of("metro|metros"),
        "cm": Noun.of("centímetro|centímetros"),
        "mm": Noun.of("milímetro|milímetros"),
        "kg": Noun.of("kilo|kilos"),
        "g": Noun.of("gramo|gramos"),
        "gr": Noun.of("gramo|gramos"),
        "mg": Noun.of("miligramo|miligramos"),
        "t": Noun.of("tonelada|toneladas", "f"),
        "l": Noun.of("litro|litros"),
        "ml": Noun.of("mililitro|mililitros"),
        "km/h": Noun.of("kilómetro por hora|kilómetros por hora"),
        "m²": Noun.of("metro cuadrado|metros cuadrados"),
        "m2": Noun.of("metro cuadrado|metros cuadrados"),
        "ha": Noun.of("hectárea|hectáreas", "f"),
        "%": Noun.of("por ciento", "x"),
        "°C": Noun.of("grado centígrado|grados centígrados"),
        "ºC": Noun.of("grado centígrado|grados centígrados"),
        "°": Noun.of("grado|grados"),
        "h": _HOUR,
        "min": Noun.of("minuto|minutos"),
        "s": Noun.of("segundo|segundos"),
        "kWh": Noun.of("kilovatio hora|kilovatios hora"),
        "GB": Noun.of("gigabyte|gigabytes"),
        "millones": _MILLION,
        "mill.": _MILLION,
    }
    nouns = _FEMININE_NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "Sr.": "señor",
        "Sra.": "señora",
        "Srta.": "señorita",
        "Dr.": "doctor",
        "Dra.": "doctora",
        "Dña.": "doña",
        "etc.": "etcétera",
        "p.ej.": "por ejemplo",
        "núm.#": "número",
        "n.º#": "número",
        "nº#": "número",
        "Avda.": "avenida",
        "Av.": "avenida",
        "c/": "calle",
        "pág.#": "página",
        "págs.#": "páginas",
        "aprox.": "aproximadamente",
        "EE.UU.": "Estados Unidos",
        "Ud.": "usted",
        "Uds.": "ustedes",
        "a.C.": "antes de Cristo",
        "d.C.": "después de Cristo",
        "tel.": "teléfono",
        "Tel.": "teléfono",
        "S.A.": "sociedad anónima",
        "Dpto.": "departamento",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "y", "+": "más", "=": "igual a", "@": "arroba"}
    century_words = "siglo|siglos"
    time_words = "h|horas|hrs"
    time_separators = ":."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>\.?[ºª°]|\.er)(?![\w])"

    def cardinal(self, n: int) -> str:
        return _UNO_BEFORE_SCALE.sub(_fix_uno, super().cardinal(n))

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if noun.gender == "x":
            return words
        if noun.gender == "f":
            return feminine(words) if n % 1000 != 0 or n < 1000 else words
        if words.endswith("veintiuno"):
            return words[:-3] + "ún"
        if words.endswith("uno"):
            return words[:-1]
        return words

    def ordinal(self, n: int, form: str = "") -> str:
        words = super().ordinal(n).replace("décimoprimero", "undécimo").replace("décimosegundo", "duodécimo")
        if "ª" in form:
            return feminine_ordinal(words)
        if "er" in form:
            return re.sub(r"(primer|tercer)o$", r"\1", words)
        return words

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        words = self.ordinal(n, marker)
        if next_word[:1].isalpha() and next_word not in ("de", "del", "y", "o"):
            words = re.sub(r"(primer|tercer)o$", r"\1", words)  # apocope before a noun: "primer piso"
        return words

    def fraction(self, num: int, den: int) -> str:
        name = _DENOMINATORS[den]
        head = self.agree(self.cardinal(num), num, Noun.of(name))
        return f"{head} {name}" if num == 1 else f"{head} {name}s"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} y medio"
        return f"{self.cardinal(whole)} y {self.fraction(num, den)}"

    def phone_group(self, group: str) -> str:
        return self.digits(group) if group.startswith("0") else self.cardinal(int(group))

    def date(self, day: int | None, month: int, year: int | None, prev: str, marker: str = "") -> str:
        parts = []
        if day is not None:
            parts.append(self.ordinal(1) if day == 1 and marker else self.cardinal(day))
            parts.append("de")
        parts.append(self.month(month))
        if year is not None:
            parts += ["de", self.year(year)]
        return " ".join(parts)

    def time(self, h: int, m: int | None, word: str) -> str:
        hour = self.agree(self.cardinal(h), h, _HOUR)
        if not m:
            return f"{hour} {'hora' if h == 1 else 'horas'}" if word else hour
        minutes = f"cero {self.cardinal(m)}" if m < 10 else self.cardinal(m)
        return f"{hour} {minutes}"

    def of_link(self, noun_word: str) -> str:
        return "de "

    def regnal(self, n: int, name: str) -> str:
        words = self.ordinal(n) if n <= 10 else self.cardinal(n)
        return feminine_ordinal(words) if name in _FEMININE_NAMES and n <= 10 else words

    def century(self, n: int, word: str, prev: str) -> str:
        return self.cardinal(n)


LANGUAGE = Spanish()
