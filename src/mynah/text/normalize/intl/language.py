"""What a language tells the shared rules: its data, and the readings that depend on its grammar.

Subclasses set the class attributes (separators, month names, nouns for currencies and units,
abbreviations, the few function words) and override the methods whose reading inflects. The defaults
suit a language that reads numbers with num2words, counts nouns in singular and plural and writes
dates day-month-year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

from num2words import num2words

if TYPE_CHECKING:
    from mynah.text.normalize.context import Rule


@dataclass(frozen=True)
class Noun:
    """A countable noun: its forms (language-defined order, usually singular then plural) and gender."""

    forms: tuple[str, ...]
    gender: str = "m"

    @classmethod
    def of(cls, forms: str, gender: str = "m") -> Noun:
        """`Noun.of("Kilometer")`, `Noun.of("kilómetro|kilómetros")`: forms separated by `|`."""
        return cls(tuple(forms.split("|")), gender)

    def form(self, index: int) -> str:
        return self.forms[min(index, len(self.forms) - 1)]


@dataclass(frozen=True)
class Currency:
    """A currency: the noun for its major unit, and for its minor unit (None when cents are not named)."""

    major: Noun
    minor: Noun | None = None


@lru_cache(maxsize=8192)
def _n2w(n: int, lang: str, to: str) -> str:
    return str(num2words(n, lang=lang, to=to))


class Language:
    """The readings of one language. One instance serves every call (no per-call state)."""

    code: ClassVar[str] = ""
    n2w: ClassVar[str] = ""
    """The num2words language code."""
    group: ClassVar[str] = ".\u00a0\u202f\u2009 "
    """Characters that group thousands ("1.234", "1 234")."""
    decimal_mark: ClassVar[str] = ","
    decimal_word: ClassVar[str] = "coma"
    minus: ClassVar[str] = "menos"
    and_word: ClassVar[str] = "y"
    range_word: ClassVar[str] = "a"
    plus_word: ClassVar[str] = "plus"
    """How "+" before a country calling code is read."""
    fraction_as_number: ClassVar[int] = 3
    """Up to this many digits after the decimal mark (not starting with 0) are read as one number."""
    clock_zero: ClassVar[str] = ""
    """Said before minutes below ten ("14.05" -> "fjorten nul fem"); "" for nothing."""
    minor_joiner: ClassVar[str | None] = None
    """The word between money's major and minor amounts ("doce euros con cincuenta céntimos"); None:
    `and_word` ("tolv kroner og halvtreds øre"); "": side by side ("двенадцать рублей пятьдесят копеек")."""
    phone_numbers: ClassVar[range] = range(0)
    """The lengths of a telephone number's written groups read as one number (unless they start with
    0: "12 34" -> "tolv fireogtredive"); other groups go digit by digit."""
    roman_ordinals_to: ClassVar[int] = 10
    """A ruler's or a century's Roman numeral up to this is an ordinal, above it a cardinal ("Felipe
    VI" sexto, "Alfonso XIII" trece); 3999 for every one."""
    months: ClassVar[tuple[str, ...]] = ()
    """Month names, January first; each entry lists its written forms separated by `|`."""
    currencies: ClassVar[dict[str, Currency]] = {}
    """Symbols, codes and words -> currency. Symbols may stand before or after the amount."""
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {}
    """Written magnitudes ("Mio.", "millones", "млн") -> (power of ten, noun)."""
    units: ClassVar[dict[str, Noun]] = {}
    """Unit abbreviations and symbols (including "%" and "°C") -> noun."""
    nouns: ClassVar[tuple[Noun, ...]] = ()
    """Frequent ordinary nouns whose gender a number must agree with ("21 personas" -> "veintiuna")."""
    abbreviations: ClassVar[dict[str, str]] = {}
    """Written abbreviation -> spoken words. Dots may be followed by a space in the text ("z. B.")."""
    symbols: ClassVar[dict[str, str]] = {}
    """Single symbols read aloud between words ("&" -> "und")."""
    rulers: ClassVar[frozenset[str]] = frozenset()
    """Names after which even a one-letter Roman numeral other than I and V is regnal ("Frederik X")."""
    century_words: ClassVar[str] = ""
    """Regex of words next to which a Roman numeral is a century ("siglo", "Jh")."""
    time_words: ClassVar[str] = ""
    """Regex of the word that may follow a time ("Uhr", "h")."""
    time_separators: ClassVar[str] = ":"
    date_separators: ClassVar[str] = "./"
    bare_time_separators: ClassVar[str] = ":"
    year_words: ClassVar[str] = "(?!)"
    """Regex of a word for "year" that may follow the year of a date ("г.", "года"); read by `date`."""
    """Separators that make a time without a time word ("14:30"); others need one ("14.30 Uhr")."""
    date_of: ClassVar[str] = ""
    """Regex of the word between day, month and year ("de" in Spanish and Portuguese)."""
    day_marker: ClassVar[str] = "(?!)"
    day_range_words: ClassVar[str] = ""
    """Words between the two days of a range before a month ("по", "do"), as a regex; "" for none."""
    """Regex of what may follow the day of a date ("." in German, "er" in French)."""
    ordinal_pattern: ClassVar[str] = ""
    """Regex for written ordinals, with groups `n` (digits) and `mk` (the marker)."""

    def early_rules(self) -> list[Rule]:
        """Extra rules of this language tried before the shared ones (none by default)."""
        return []

    def late_rules(self) -> list[Rule]:
        """Extra rules tried just before plain numbers ("2024 г." in Russian)."""
        return []

    # --------------------------------------------------------------------------------- numbers

    def cardinal(self, n: int) -> str:
        if n < 0:
            return f"{self.minus} {self.cardinal(-n)}"
        return _n2w(n, self.n2w, "cardinal")

    def ordinal(self, n: int, form: str = "") -> str:
        """`n` as an ordinal; `form` is the language's own marker (a suffix such as "ª" or "-го")."""
        return _n2w(n, self.n2w, "ordinal")

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        """A written ordinal; `prev` is the lower-cased word before it, `next_word` the one after."""
        return self.ordinal(n, marker)

    def digits(self, s: str) -> str:
        return " ".join(self.cardinal(int(c)) for c in s if c.isdecimal())

    def fraction_digits(self, frac: str) -> str:
        """The part after the decimal mark: as a number when short, else digit by digit."""
        if len(frac) <= self.fraction_as_number and frac[0] != "0":
            return self.cardinal(int(frac))
        return self.digits(frac)

    def decimal(self, whole: int, frac: str, negative: bool = False) -> str:
        words = f"{self.cardinal(whole)} {self.decimal_word} {self.fraction_digits(frac)}"
        return f"{self.minus} {words}" if negative else words

    def year(self, n: int) -> str:
        return self.cardinal(n)

    def plural_index(self, n: int, fractional: bool = False) -> int:
        """Which of a noun's forms follows the number `n` (0 singular, 1 plural by default)."""
        return 0 if n == 1 and not fractional else 1

    def agree(self, words: str, n: int, noun: Noun) -> str:
        """Number words `words` for `n`, inflected to agree with `noun` (e.g. "uno" -> "una")."""
        return words

    def count(self, n: int, noun: Noun) -> str:
        """ "3 km" -> "three kilometres": the number agreeing with the noun, and the noun's form."""
        words = self.agree(self.cardinal(n), n, noun)
        return f"{words}{'' if words.endswith(chr(39)) else ' '}{noun.form(self.plural_index(n))}"

    def governed(self, spoken: str, n: int, noun: Noun, prev: str, fractional: bool = False) -> str:
        """A counted noun (`spoken`, as `count` reads it) in the case the word before it asks for."""
        return spoken

    def count_decimal(self, whole: int, frac: str, noun: Noun) -> str:
        return f"{self.decimal(whole, frac)} {noun.form(self.plural_index(whole, fractional=True))}"

    def of_link(self, noun_word: str) -> str:
        """What joins a scale noun to what it counts, with its trailing space: "millones de euros"."""
        return ""

    def four_digits(self, n: int, prev: str, next_word: str) -> str:
        """A plain four-digit number from 1000 to 2099 (often a year); `prev` is lower-cased."""
        return self.cardinal(n)

    # ------------------------------------------------------------------------------- fractions

    def fraction(self, num: int, den: int) -> str:
        return f"{self.cardinal(num)} {self.decimal_word} {self.cardinal(den)}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        """A whole number and a fraction ("2 1/2", "2½")."""
        return f"{self.cardinal(whole)} {self.and_word} {self.fraction(num, den)}"

    # ----------------------------------------------------------------------------- dates, times

    def day(self, n: int, prev: str, marker: str = "") -> str:
        """The day of a date; `prev` is the lower-cased word before the date."""
        return self.cardinal(n)

    def month(self, m: int, prev: str = "") -> str:
        return self.months[m - 1].split("|")[0]

    def date(self, day: int | None, month: int, year: int | None, prev: str, marker: str = "") -> str:
        parts = []
        if day is not None:
            parts.append(self.day(day, prev, marker))
        parts.append(self.month(month, prev))
        if year is not None:
            parts.append(self.date_year(year))
        return " ".join(parts)

    def date_year(self, year: int) -> str:
        """The year of a date ("15.06.2024"): as `year` reads one by default."""
        return self.year(year)

    def time(self, h: int, m: int | None, word: str) -> str:
        """A 24-hour time; `word` is the written time word that followed ("Uhr", "h") or ""."""
        if m is None or m == 0:
            return self.cardinal(h)
        zero = f"{self.clock_zero} " if self.clock_zero and m < 10 else ""
        return f"{self.cardinal(h)} {zero}{self.cardinal(m)}"

    # ------------------------------------------------------------------------------------ money

    def money(self, whole: int, cents: int | None, currency: Currency) -> str:
        major = self.count(whole, currency.major)
        if not cents:
            return major
        minor = currency.minor
        if minor is None:
            return f"{major} {self.and_word} {self.cardinal(cents)}"
        if whole == 0:
            return self.count(cents, minor)
        word = self.and_word if self.minor_joiner is None else self.minor_joiner
        joiner = f" {word} " if word else " "
        return f"{major}{joiner}{self.count(cents, minor)}"

    def scaled(self, amount: str, scale: Noun, value: int, fractional: bool) -> str:
        """ "2,3 millones": the amount agreeing with the scale noun."""
        form = scale.form(self.plural_index(value, fractional))
        if fractional:
            return f"{amount} {form}"
        return f"{self.agree(amount, value, scale)} {form}"

    # --------------------------------------------------------------------------- ranges, phones

    def range(self, a: str, b: str, a_value: int, b_value: int) -> str:
        return f"{a} {self.range_word} {b}"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        """The noun's form after a range ending in `b` ("10-20 km")."""
        return noun.form(self.plural_index(b, fractional))

    def phone_group(self, group: str) -> str:
        """One written group of a telephone number (see `phone_numbers`)."""
        if group.startswith("0") or len(group) not in self.phone_numbers:
            return self.digits(group)
        return self.cardinal(int(group))

    # ------------------------------------------------------------------------------------ roman

    def regnal(self, n: int, name: str) -> str:
        """ "Felipe VI" -> the reading of VI after a ruler's name."""
        return self.ordinal(n) if n <= self.roman_ordinals_to else self.cardinal(n)

    def regnal_in_context(self, n: int, name: str, before: Sequence[str], after: str) -> str:
        """The regnal numeral after `name`: `before` the lower-cased words before the name, nearest
        first (a preposition there puts name and numeral in its case: "при Петре I"), `after` the
        lower-cased word after the numeral (the verb the name may be the subject of)."""
        return self.regnal(n, name)

    def century(self, n: int, word: str, prev: str) -> str:
        """A Roman numeral naming a century, next to the century word `word`; `prev` the word before
        the numeral (both lower-cased)."""
        return self.ordinal(n) if n <= self.roman_ordinals_to else self.cardinal(n)
