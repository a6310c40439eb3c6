"""Turkish readings (Türk Dil Kurumu's Yazım Kılavuzu; news, recipes, TCDD timetables, invoices).

- Thousands grouped by a point, "virgül" before decimals; nouns stay singular after numbers ("iki
  lira"); number words apart ("bin iki yüz otuz dört").
- Ordinals "3." and "3'üncü" -> "üçüncü"; a suffix after a number joins its last word ("1999'da" ->
  "bin dokuz yüz doksan dokuzda", "4'üncü" -> "dördüncü").
- Dates "3 Mayıs 2024" (the day a cardinal); times "saat 14.30" -> "saat on dört otuz"; money "on iki
  lira elli kuruş"; percentages before the number ("%25" -> "yüzde yirmi beş").
- Fractions "dörtte üç", "iki buçuk"; rulers and centuries written before the name ("III. Selim" ->
  "üçüncü Selim", "XIX. yüzyıl" -> "on dokuzuncu yüzyıl").
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.calendar import roman_value
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.intl.numbers import SPACE, number_pattern, parse, say
from mynah.text.normalize.model import CARDINAL, MEASURE, ORDINAL, PLAIN, ROMAN, Token
from mynah.text.normalize.tr import numbers

_LIRA = Currency(Noun.of("lira"), Noun.of("kuruş"))
_EURO = Currency(Noun.of("euro"), Noun.of("sent"))
_DOLLAR = Currency(Noun.of("dolar"), Noun.of("sent"))
_POUND = Currency(Noun.of("sterlin"), Noun.of("peni"))
_MILLION = Noun.of("milyon")
_BILLION = Noun.of("milyar")
_ORDINAL_SUFFIX = re.compile(r"(?:ı|i|u|ü)?nc(?:ı|i|u|ü)")


class Turkish(Language):
    code = "tr"
    decimal_word = "virgül"
    minus = "eksi"
    and_word = "ve"
    range_word = "ila"
    plus_word = "artı"
    months = (
        "Ocak|Oca.",
        "Şubat|Şub.",
        "Mart|Mar.",
        "Nisan|Nis.",
        "Mayıs|May.",
        "Haziran|Haz.",
        "Temmuz|Tem.",
        "Ağustos|Ağu.",
        "Eylül|Eyl.",
        "Ekim|Eki.",
        "Kasım|Kas.",
        "Aralık|Ara.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "TL": _LIRA,
        "₺": _LIRA,
        "TRY": _LIRA,
        "lira": _LIRA,
        "€": _EURO,
        "EUR": _EURO,
        "avro": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
        "£": _POUND,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "milyon": (6, _MILLION),
        "mn": (6, _MILLION),
        "milyar": (9, _BILLION),
        "mlr": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometre"),
        "m": Noun.of("metre"),
        "cm": Noun.of("santimetre"),
        "mm": Noun.of("milimetre"),
        "kg": Noun.of("kilogram"),
        "gr": Noun.of("gram"),
        "g": Noun.of("gram"),
        "lt": Noun.of("litre"),
        "l": Noun.of("litre"),
        "ml": Noun.of("mililitre"),
        "m²": Noun.of("metrekare"),
        "m2": Noun.of("metrekare"),
        "°C": Noun.of("derece"),
        "°": Noun.of("derece"),
        "sa": Noun.of("saat"),
        "dk": Noun.of("dakika"),
        "dk.": Noun.of("dakika"),
        "sn": Noun.of("saniye"),
        "kWh": Noun.of("kilovatsaat"),
        "adet": Noun.of("adet"),
        "milyon": _MILLION,
        "milyar": _BILLION,
    }
    abbreviations: ClassVar[dict[str, str]] = {
        "vb.": "ve benzeri",
        "vs.": "vesaire",
        "örn.": "örneğin",
        "Örn.": "örneğin",
        "bkz.": "bakınız",
        "Bkz.": "bakınız",
        "yak.": "yaklaşık",
        "yy.": "yüzyıl",
        "Dr.^": "doktor",
        "Prof.^": "profesör",
        "Doç.^": "doçent",
        "Sok.": "sokak",
        "Cad.": "caddesi",
        "Mah.": "mahallesi",
        "No:": "numara",
        "Tel.": "telefon",
        "Tel:": "telefon",
        "s.#": "sayfa",
        "MÖ": "milattan önce",
        "M.Ö.": "milattan önce",
        "MS": "milattan sonra",
        "M.S.": "milattan sonra",
        "T.C.": "Türkiye Cumhuriyeti",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "ve", "+": "artı", "=": "eşittir"}
    century_words = r"yüzyıl|yüzyılda|yüzyılın|yüzyıldan|yy"
    time_separators = ":."
    fraction_as_number = 2
    clock_zero = "sıfır"
    minor_joiner = ""
    roman_ordinals_to = 3999
    bare_time_separators = ":."
    ordinal_pattern = r"(?<![\w.,])(?P<n>\d{1,4})(?P<mk>\.)(?=[ \u00a0]+[a-zçğıöşü])"

    def cardinal(self, n: int) -> str:
        return numbers.cardinal(n)

    def ordinal(self, n: int, form: str = "") -> str:
        return numbers.ordinal(n)

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return 0

    def fraction(self, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "yarım"
        return f"{numbers.locative(self.cardinal(den))} {self.cardinal(num)}"  # "dörtte üç"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} buçuk"  # "iki buçuk"
        return f"{self.cardinal(whole)} tam {self.fraction(num, den)}"

    def phone_group(self, group: str) -> str:
        if group.startswith("0") and len(group) > 1:
            return f"sıfır {self.cardinal(int(group[1:]))}"  # "0532" -> "sıfır beş yüz otuz iki"
        return self.cardinal(int(group))

    def early_rules(self) -> list[Rule]:
        return [_percent_rule(self), _suffix_rule(self), _glued_suffix_rule(), _roman_before_rule(self)]


def _percent_rule(lang: Turkish) -> Rule:
    """ "%25", "% 2,5" -> "yüzde yirmi beş": the sign is read first, as it is written."""
    pattern = re.compile(rf"(?<![\w.,])%{SPACE}?(?P<a>{number_pattern(lang)})(?![\d])")

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(MEASURE):
            ctx.verbatim(m.start(), m.end())
            return
        ctx.word(f"yüzde {say(parse(m.group('a'), lang), lang)}", m.start(), m.end(), MEASURE)

    return Rule("trpercent", frozenset({MEASURE}), pattern, handle)


def _suffix_rule(lang: Turkish) -> Rule:
    """ "1999'da", "15'te", "3'üncü": a case or ordinal suffix after an apostrophe joins the number."""
    pattern = re.compile(rf"(?<![\w.,])(?P<a>{number_pattern(lang)})['’](?P<s>[a-zçğıöşü]+)")

    def handle(m: re.Match[str], ctx: Context) -> None:
        suffix = m.group("s")
        category = ORDINAL if _ORDINAL_SUFFIX.fullmatch(suffix) else CARDINAL
        if not ctx.on(category):
            ctx.verbatim(m.start(), m.end())
            return
        number = parse(m.group("a"), lang)
        ctx.word(numbers.attach(say(number, lang), suffix), m.start(), m.end(), category)

    return Rule("trsuffix", frozenset({ORDINAL, CARDINAL}), pattern, handle)


def _glued_suffix_rule() -> Rule:
    """ "14.30'da", "%33,1'ini", "2025'ten": a suffix after a time, percentage or date joins the reading
    just before it ("otuzda", "birini", "yirmi beşten"); its span grows to cover the suffix."""
    pattern = re.compile(r"(?<=\d)['’](?P<s>[a-zçğıöşü]+)")

    def handle(m: re.Match[str], ctx: Context) -> None:
        tokens = ctx.tokens
        if tokens and tokens[-1].end == m.start() and tokens[-1].category != PLAIN:
            last = tokens[-1]
            tokens[-1] = Token(numbers.attach(last.spoken, m.group("s")), last.start, m.end(), last.category)
            return
        ctx.verbatim(m.start(), m.end())

    return Rule("trglue", frozenset(), pattern, handle)


def _roman_before_rule(lang: Turkish) -> Rule:
    """ "III. Selim", "XIX. yüzyıl": a Roman numeral with a dot before a name or "yüzyıl" is an ordinal."""
    pattern = re.compile(
        r"(?<![\w'’-])(?=[IVXLC])(?P<r>C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\."
        rf"(?={SPACE}(?:[A-ZÇĞİÖŞÜ]|yüzyıl|yy))"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(ROMAN):
            ctx.verbatim(m.start(), m.end())
            return
        ctx.word(lang.ordinal(roman_value(m.group("r"))), m.start(), m.end(), ROMAN)

    return Rule("trroman", frozenset({ROMAN}), pattern, handle)


LANGUAGE = Turkish()
