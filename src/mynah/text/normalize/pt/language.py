"""Portuguese readings (European Portuguese forms, as num2words "pt"; Brazilian spellings accepted in
writing where they differ only in the accent).

- Numbers agree with feminine nouns ("uma hora", "duas libras", "duzentas gramas" is wrong: "grama"
  is masculine); "e" joins hundreds, tens and units ("dois mil e vinte e quatro").
- Ordinals "1.º"/"1.ª"; kings and centuries take ordinals up to ten, cardinals above ("D. João VI" ->
  "Dom João sexto", "século XXI" -> "século vinte e um").
- Dates "três de maio de dois mil e vinte e quatro", the first day "primeiro"; times "catorze horas e
  trinta"; money "doze euros e cinquenta cêntimos", "dez reais".
"""

from __future__ import annotations

from typing import ClassVar

from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.wordlist import words

_EURO = Currency(Noun.of("euro|euros"), Noun.of("cêntimo|cêntimos"))
_DOLLAR = Currency(Noun.of("dólar|dólares"), Noun.of("cêntimo|cêntimos"))
_REAL = Currency(Noun.of("real|reais"), Noun.of("centavo|centavos"))
_POUND = Currency(Noun.of("libra|libras", "f"), Noun.of("pêni|pence"))
_MILLION = Noun.of("milhão|milhões")
_BILLION = Noun.of("mil milhões")
_HOUR = Noun.of("hora|horas", "f")
_FEMININE_NAMES = words("Maria Isabel Leonor Beatriz Teresa Urraca")
_DENOMINATORS = {2: "meio", 3: "terço"}


def feminine(words: str) -> str:
    out = []
    for w in words.split():
        if w == "um":
            w = "uma"
        elif w == "dois":
            w = "duas"
        elif w.endswith("entos"):
            w = w[:-2] + "as"
        out.append(w)
    return " ".join(out)


_FEMININE_NOUNS = (
    Noun.of("pessoa|pessoas", "f"),
    Noun.of("mulher|mulheres", "f"),
    Noun.of("menina|meninas", "f"),
    Noun.of("semana|semanas", "f"),
    Noun.of("vez|vezes", "f"),
    Noun.of("página|páginas", "f"),
    Noun.of("casa|casas", "f"),
    Noun.of("empresa|empresas", "f"),
    Noun.of("vítima|vítimas", "f"),
    Noun.of("rua|ruas", "f"),
    Noun.of("cidade|cidades", "f"),
    Noun.of("escola|escolas", "f"),
    Noun.of("noite|noites", "f"),
)
"""Frequent feminine nouns a number agrees with."""


class Portuguese(Language):
    code = "pt"
    n2w = "pt"
    decimal_word = "vírgula"
    minus = "menos"
    and_word = "e"
    phone_numbers = range(1, 4)
    range_word = "a"
    plus_word = "mais"
    date_of = "de"
    months = (
        "janeiro|jan.",
        "fevereiro|fev.",
        "março|mar.",
        "abril|abr.",
        "maio|mai.",
        "junho|jun.",
        "julho|jul.",
        "agosto|ago.",
        "setembro|set.",
        "outubro|out.",
        "novembro|nov.",
        "dezembro|dez.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "€": _EURO,
        "EUR": _EURO,
        "euros": _EURO,
        "R$": _REAL,
        "BRL": _REAL,
        "reais": _REAL,
        "US$": _DOLLAR,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "dólares": _DOLLAR,
        "£": _POUND,
        "GBP": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "milhões": (6, _MILLION),
        "milhão": (6, _MILLION),
        "M": (6, _MILLION),
        "mil milhões": (9, _BILLION),
        "mil": (3, Noun.of("mil")),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("quilómetro|quilómetros"),
        "m": Noun.of("metro|metros"),
        "cm": Noun.of("centímetro|centímetros"),
        "mm": Noun.of("milímetro|milímetros"),
        "kg": Noun.of("quilo|quilos"),
        "g": Noun.of("grama|gramas"),
        "mg": Noun.of("miligrama|miligramas"),
        "t": Noun.of("tonelada|toneladas", "f"),
        "l": Noun.of("litro|litros"),
        "ml": Noun.of("mililitro|mililitros"),
        "km/h": Noun.of("quilómetro por hora|quilómetros por hora"),
        "m²": Noun.of("metro quadrado|metros quadrados"),
        "ha": Noun.of("hectare|hectares"),
        "%": Noun.of("por cento", "x"),
        "°C": Noun.of("grau Celsius|graus Celsius"),
        "ºC": Noun.of("grau Celsius|graus Celsius"),
        "°": Noun.of("grau|graus"),
        "h": _HOUR,
        "min": Noun.of("minuto|minutos"),
        "s": Noun.of("segundo|segundos"),
        "kWh": Noun.of("quilowatt-hora|quilowatts-hora"),
        "GB": Noun.of("gigabyte|gigabytes"),
        "milhões": _MILLION,
    }
    nouns = _FEMININE_NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "Sr.": "senhor",
        "Sra.": "senhora",
        "Dr.": "doutor",
        "Dra.": "doutora",
        "D.^": "Dom",
        "Prof.": "professor",
        "etc.": "etcétera",
        "p.ex.": "por exemplo",
        "n.º#": "número",
        "nº#": "número",
        "pág.#": "página",
        "Av.^": "avenida",
        "R.^": "rua",
        "a.C.": "antes de Cristo",
        "d.C.": "depois de Cristo",
        "tel.": "telefone",
        "Tel.": "telefone",
        "Lda.": "limitada",
        "S.A.": "sociedade anónima",
        "aprox.": "aproximadamente",
        "séc.": "século",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "e", "+": "mais", "=": "igual a", "@": "arroba"}
    century_words = "século|séculos|séc"
    time_words = "h|horas"
    time_separators = ":"
    bare_time_separators = ":h"
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,3})(?P<mk>\.?[ºª°])(?![\w])"

    def agree(self, words: str, n: int, noun: Noun) -> str:
        return feminine(words) if noun.gender == "f" else words

    def ordinal(self, n: int, form: str = "") -> str:
        words = super().ordinal(n)
        if "ª" in form:
            return " ".join(w[:-1] + "a" if w.endswith("o") else w for w in words.split())
        return words

    def fraction(self, num: int, den: int) -> str:
        name = _DENOMINATORS.get(den) or super().ordinal(den)
        return f"{self.cardinal(num)} {name if num == 1 else name + 's'}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} e meio"
        return f"{self.cardinal(whole)} e {self.fraction(num, den)}"

    def date(self, day: int | None, month: int, year: int | None, prev: str, marker: str = "") -> str:
        parts = []
        if day is not None:
            parts += ["primeiro" if day == 1 else self.cardinal(day), "de"]
        parts.append(self.month(month))
        if year is not None:
            parts += ["de", self.year(year)]
        return " ".join(parts)

    def time(self, h: int, m: int | None, word: str) -> str:
        hours = self.count(h, _HOUR)
        return f"{hours} e {self.cardinal(m)}" if m else hours

    def of_link(self, noun_word: str) -> str:
        return "de "

    def regnal(self, n: int, name: str) -> str:
        if n > 10:
            return self.cardinal(n)
        return self.ordinal(n, "ª" if name in _FEMININE_NAMES else "")

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n) if n <= 10 else self.cardinal(n)


LANGUAGE = Portuguese()
