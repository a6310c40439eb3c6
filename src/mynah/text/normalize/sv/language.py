"""Swedish readings (Språkrådet's Svenska skrivregler; news, recipes, timetables).

- Thousands grouped by a space; "komma" before decimals, two digits as a number, more one by one.
- "en" before common-gender nouns ("en krona", "tjugoen kronor"), "ett" before neuter ("ett pund").
- Ordinals "1:a" -> "första", "3:e" -> "tredje"; a date's day is an ordinal ("den tredje maj").
- Times "fjorton trettio" ("kl. 14.30"); money "tolv kronor och femtio öre", "100:-", "5 mkr".
- Kings "Karl XII" -> "Karl den tolfte"; "1700-talet" -> "sjuttonhundratalet".
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Currency, Noun
from mynah.text.normalize.intl.scandinavian import Scandinavian
from mynah.text.normalize.model import DATE
from mynah.text.normalize.sv import numbers
from mynah.text.normalize.wordlist import words

_KRONA = Currency(Noun.of("krona|kronor", "c"), Noun.of("öre", "n"))
_EURO = Currency(Noun.of("euro", "c"), Noun.of("cent", "c"))
_DOLLAR = Currency(Noun.of("dollar", "c"), Noun.of("cent", "c"))
_POUND = Currency(Noun.of("pund", "n"), Noun.of("pence", "c"))
_MILLION = Noun.of("miljon|miljoner", "c")
_BILLION = Noun.of("miljard|miljarder", "c")
_QUEENS = ("Kristina", "Margareta", "Ulrika", "Eleonora", "Viktoria")


class Swedish(Scandinavian):
    code = "sv"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "komma"
    minus = "minus"
    and_word = "och"
    range_word = "till"
    plus_word = "plus"
    clock_zero = "noll"
    year_before = words("år i sedan till från före efter under våren hösten sommaren")
    months = (
        "januari|jan.",
        "februari|feb.",
        "mars|mar.",
        "april|apr.",
        "maj",
        "juni|jun.",
        "juli|jul.",
        "augusti|aug.",
        "september|sep.|sept.",
        "oktober|okt.",
        "november|nov.",
        "december|dec.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "kr": _KRONA,
        "kr.": _KRONA,
        "SEK": _KRONA,
        ":-": _KRONA,
        "kronor": _KRONA,
        "€": _EURO,
        "EUR": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "miljoner": (6, _MILLION),
        "miljon": (6, _MILLION),
        "milj.": (6, _MILLION),
        "miljarder": (9, _BILLION),
        "mdr": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometer", "c"),
        "m": Noun.of("meter", "c"),
        "cm": Noun.of("centimeter", "c"),
        "mm": Noun.of("millimeter", "c"),
        "mil": Noun.of("mil", "c"),
        "kg": Noun.of("kilo", "n"),
        "g": Noun.of("gram", "n"),
        "hg": Noun.of("hekto", "n"),
        "l": Noun.of("liter", "c"),
        "dl": Noun.of("deciliter", "c"),
        "ml": Noun.of("milliliter", "c"),
        "msk": Noun.of("matsked|matskedar", "c"),
        "tsk": Noun.of("tesked|teskedar", "c"),
        "krm": Noun.of("kryddmått", "n"),
        "km/h": Noun.of("kilometer i timmen", "c"),
        "m²": Noun.of("kvadratmeter", "c"),
        "kvm": Noun.of("kvadratmeter", "c"),
        "ha": Noun.of("hektar", "n"),
        "t": Noun.of("ton", "n"),
        "%": Noun.of("procent", "c"),
        "°C": Noun.of("grad Celsius|grader Celsius", "c"),
        "°": Noun.of("grad|grader", "c"),
        "h": Noun.of("timme|timmar", "c"),
        "tim": Noun.of("timme|timmar", "c"),
        "min": Noun.of("minut|minuter", "c"),
        "s": Noun.of("sekund|sekunder", "c"),
        "st.": Noun.of("stycke|stycken", "n"),
        "st": Noun.of("stycke|stycken", "n"),
        "kWh": Noun.of("kilowattimme|kilowattimmar", "c"),
        "mkr": Noun.of("miljon kronor|miljoner kronor", "c"),
        "Mkr": Noun.of("miljon kronor|miljoner kronor", "c"),
        "mdkr": Noun.of("miljard kronor|miljarder kronor", "c"),
        "tkr": Noun.of("tusen kronor", "c"),
        "miljoner": _MILLION,
        "milj.": _MILLION,
        "miljarder": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "t.ex.": "till exempel",
        "bl.a.": "bland annat",
        "osv.": "och så vidare",
        "o.s.v.": "och så vidare",
        "m.m.": "med mera",
        "ca": "cirka",
        "ca.": "cirka",
        "kl.": "klockan",
        "Kl.": "klockan",
        "nr#": "nummer",
        "nr.#": "nummer",
        "s.#": "sidan",
        "f.d.": "före detta",
        "dvs.": "det vill säga",
        "d.v.s.": "det vill säga",
        "fr.o.m.": "från och med",
        "t.o.m.": "till och med",
        "p.g.a.": "på grund av",
        "pga.": "på grund av",
        "ang.": "angående",
        "resp.": "respektive",
        "inkl.": "inklusive",
        "exkl.": "exklusive",
        "f.Kr.": "före Kristus",
        "e.Kr.": "efter Kristus",
        "tel.": "telefon",
        "Tel.": "telefon",
        "tfn": "telefon",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "och", "+": "plus", "=": "lika med"}
    time_separators = ":."
    bare_time_separators = ":."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,4}):(?P<mk>a|e)(?![\w])"

    def cardinal(self, n: int) -> str:
        return numbers.cardinal(n)

    def ordinal(self, n: int, form: str = "") -> str:
        return numbers.ordinal(n)

    def year(self, n: int) -> str:
        return numbers.year(n)

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return 0 if n == 1 and not fractional else 1

    def agree(self, words: str, n: int, noun: Noun) -> str:
        if noun.gender != "n" and words.endswith("ett"):
            return words[:-3] + "en"  # "en krona", "tjugoen kronor"
        return words

    def fraction(self, num: int, den: int) -> str:
        head = self.agree(self.cardinal(num), num, Noun.of("del", "c"))
        if den == 2:
            return f"{head} halv" if num == 1 else f"{head} halva"
        stem = self.ordinal(den)
        stem = stem[:-1] if stem.endswith("nde") else stem  # "tredjedel", "åttondel"
        return f"{head} {stem}{'del' if num == 1 else 'delar'}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        return f"{self.agree(self.cardinal(whole), whole, Noun.of('x', 'c'))} och {self.fraction(num, den)}"

    def regnal(self, n: int, name: str) -> str:
        words = self.ordinal(n)
        if name not in _QUEENS:
            words = {"första": "förste", "andra": "andre"}.get(words, words)
        return f"den {words}"

    def early_rules(self) -> list[Rule]:
        return [_decade_rule(self)]


def _decade_rule(lang: Swedish) -> Rule:
    """ "1700-talet" -> "sjuttonhundratalet", "90-talet" -> "nittiotalet"."""
    pattern = re.compile(r"(?<![\w.,])(?P<n>\d{2,4})-tal(?P<s>et|en|s)?(?![\w])")

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        n = int(m.group("n"))
        ctx.word(f"{lang.year(n)}tal{m.group('s') or ''}", m.start(), m.end(), DATE)

    return Rule("svdecade", frozenset({DATE}), pattern, handle)


LANGUAGE = Swedish()
