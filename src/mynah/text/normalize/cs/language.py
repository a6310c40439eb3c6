"""Czech readings (Internetová jazyková příručka ÚJČ AV ČR; news, recipes, ČD timetables, invoices).

- Thousands grouped by a (no-break) space; decimals as "celá"/"celé"/"celých" ("tři celé čtrnáct");
  a number selects one of three noun forms ("jeden kilometr", "dva kilometry", "pět kilometrů"), a
  decimal the genitive singular; "jedna koruna", "dvě koruny", "jedno procento".
- Ordinals "3." agree with the noun after them and take the case of the preposition before ("ve 3.
  patře" -> "ve třetím patře"); dates read the day in the genitive ("3. května 2024" -> "třetího května
  dva tisíce dvacet čtyři"), also written "3. 5. 2024".
- Times "čtrnáct třicet"; money "dvanáct korun padesát haléřů"; ranges "deset až dvacet".
- Rulers "Karel IV" -> "Karel čtvrtý"; centuries "v 19. století" -> "v devatenáctém století".
"""

from __future__ import annotations

import re
from typing import ClassVar

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.cs import grammar
from mynah.text.normalize.cs.grammar import gendered, inflect, noun_form
from mynah.text.normalize.intl.language import Currency, Language, Noun
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.model import DATE
from mynah.text.normalize.wordlist import words

_KORUNA = Currency(Noun.of("koruna|koruny|korun|koruny", "f"), Noun.of("haléř|haléře|haléřů|haléře"))
_EURO = Currency(Noun.of("euro|eura|eur|eura", "n"), Noun.of("cent|centy|centů|centu"))
_DOLLAR = Currency(Noun.of("dolar|dolary|dolarů|dolaru"), Noun.of("cent|centy|centů|centu"))
_THOUSAND = Noun.of("tisíc|tisíce|tisíc|tisíce")
_MILLION = Noun.of("milion|miliony|milionů|milionu")
_BILLION = Noun.of("miliarda|miliardy|miliard|miliardy", "f")
_HOUR = Noun.of("hodina|hodiny|hodin|hodiny", "f")
_MINUTE = Noun.of("minuta|minuty|minut|minuty", "f")
_MONTHS = "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince"
"""After an ordinal's dot a month name makes it a date ("3. května"), read by the date rules."""
_LOCATIVE = words("v ve na o po při")
_GENITIVE = words("z ze od do u bez kolem během")
_DATIVE = words("k ke kvůli díky proti")
_INSTRUMENTAL = words("před za nad pod mezi s se")
_FEMININE_LOCATIVE = words("straně ulici třídě řadě koleji stanici lavici židli")
_NOUNS = (
    Noun.of("osoba|osoby|osob|osoby", "f"),
    Noun.of("žena|ženy|žen|ženy", "f"),
    Noun.of("strana|strany|stran|strany", "f"),
    Noun.of("stanice|stanice|stanic|stanice", "f"),
    Noun.of("noc|noci|nocí|noci", "f"),
    Noun.of("lžíce|lžíce|lžic|lžíce", "f"),
    Noun.of("lžička|lžičky|lžiček|lžičky", "f"),
    Noun.of("hodina|hodiny|hodin|hodiny", "f"),
    Noun.of("minuta|minuty|minut|minuty", "f"),
    Noun.of("město|města|měst|města", "n"),
    Noun.of("místo|místa|míst|místa", "n"),
    Noun.of("vejce|vejce|vajec|vejce", "n"),
)
"""Frequent feminine and neuter nouns: the number agrees ("dvě osoby", "dvě vejce")."""


class Czech(Language):
    code = "cs"
    n2w = "cs"
    group = "\u00a0\u202f\u2009 "
    decimal_word = "celá"
    minus = "mínus"
    and_word = "a"
    minor_joiner = ""
    phone_numbers = range(1, 4)
    range_word = "až"
    plus_word = "plus"
    months = (
        "ledna|led.",
        "února|ún.",
        "března|bř.",
        "dubna|dub.",
        "května|kvě.",
        "června|čer.",
        "července|čvc.",
        "srpna|srp.",
        "září|zář.",
        "října|říj.",
        "listopadu|lis.",
        "prosince|pro.",
    )
    currencies: ClassVar[dict[str, Currency]] = {
        "Kč": _KORUNA,
        "CZK": _KORUNA,
        ",- Kč": _KORUNA,
        "korun": _KORUNA,
        "€": _EURO,
        "EUR": _EURO,
        "eur": _EURO,
        "$": _DOLLAR,
        "USD": _DOLLAR,
    }
    scales: ClassVar[dict[str, tuple[int, Noun]]] = {
        "tis.": (3, _THOUSAND),
        "mil.": (6, _MILLION),
        "milionů": (6, _MILLION),
        "mld.": (9, _BILLION),
        "miliard": (9, _BILLION),
    }
    units: ClassVar[dict[str, Noun]] = {
        "km": Noun.of("kilometr|kilometry|kilometrů|kilometru"),
        "m": Noun.of("metr|metry|metrů|metru"),
        "cm": Noun.of("centimetr|centimetry|centimetrů|centimetru"),
        "mm": Noun.of("milimetr|milimetry|milimetrů|milimetru"),
        "kg": Noun.of("kilogram|kilogramy|kilogramů|kilogramu"),
        "dkg": Noun.of("dekagram|dekagramy|dekagramů|dekagramu"),
        "g": Noun.of("gram|gramy|gramů|gramu"),
        "t": Noun.of("tuna|tuny|tun|tuny", "f"),
        "l": Noun.of("litr|litry|litrů|litru"),
        "dl": Noun.of("decilitr|decilitry|decilitrů|decilitru"),
        "ml": Noun.of("mililitr|mililitry|mililitrů|mililitru"),
        "km/h": Noun.of("kilometr za hodinu|kilometry za hodinu|kilometrů za hodinu|kilometru za hodinu"),
        "m²": Noun.of("metr čtvereční|metry čtvereční|metrů čtverečních|metru čtverečního"),
        "m2": Noun.of("metr čtvereční|metry čtvereční|metrů čtverečních|metru čtverečního"),
        "ha": Noun.of("hektar|hektary|hektarů|hektaru"),
        "%": Noun.of("procento|procenta|procent|procenta", "n"),
        "°C": Noun.of("stupeň Celsia|stupně Celsia|stupňů Celsia|stupně Celsia"),
        "°": Noun.of("stupeň|stupně|stupňů|stupně"),
        "h": _HOUR,
        "hod.": _HOUR,
        "min": _MINUTE,
        "min.": _MINUTE,
        "s": Noun.of("sekunda|sekundy|sekund|sekundy", "f"),
        "ks": Noun.of("kus|kusy|kusů|kusu"),
        "kWh": Noun.of("kilowatthodina|kilowatthodiny|kilowatthodin|kilowatthodiny", "f"),
        "tis.": _THOUSAND,
        "mil.": _MILLION,
        "mld.": _BILLION,
    }
    nouns = _NOUNS
    abbreviations: ClassVar[dict[str, str]] = {
        "např.": "například",
        "Např.": "například",
        "tj.": "to jest",
        "tzn.": "to znamená",
        "atd.": "a tak dále",
        "apod.": "a podobně",
        "mj.": "mimo jiné",
        "cca": "cirka",
        "tzv.": "takzvaný",
        "resp.": "respektive",
        "popř.": "popřípadě",
        "č.#": "číslo",
        "r.#": "roku",
        "str.#": "strana",
        "s.#": "strana",
        "tel.": "telefon",
        "Tel.": "telefon",
        "ul.^": "ulice",
        "nám.^": "náměstí",
        "př.n.l.": "před naším letopočtem",
        "n.l.": "našeho letopočtu",
        "Ing.^": "inženýr",
        "MUDr.^": "doktor",
        "prof.^": "profesor",
        "doc.^": "docent",
        "sv.^": "svatý",
    }
    symbols: ClassVar[dict[str, str]] = {"&": "a", "+": "plus", "=": "rovná se"}
    century_words = r"století"
    day_range_words = "do"
    time_words = r"h|hod\."
    time_separators = ":."
    bare_time_separators = ":"
    day_marker = r"\."
    ordinal_pattern = (
        r"(?<![\w.,])(?P<n>\d{1,4})(?P<mk>\.)(?=" + SPACE + r"(?!(?:" + _MONTHS + r")\b)[a-zěščřžýáíéůúňťď])"
    )

    def cardinal(self, n: int) -> str:
        if n < 0:
            return f"mínus {self.cardinal(-n)}"
        return grammar.apart(super().cardinal(n))

    def ordinal(self, n: int, form: str = "m_nom") -> str:
        head = self.cardinal(n - n % 100) if n >= 100 else ""
        return inflect(grammar.ordinal(n, head), form)

    def ordinal_in_context(self, n: int, marker: str, prev: str, next_word: str) -> str:
        noun = next_word.lower().rstrip(".,;:!?")
        if prev in _LOCATIVE:  # the noun is in the locative too: "ve 4. patře", "na 2. straně"
            return self.ordinal(n, "f_loc" if noun in _FEMININE_LOCATIVE else "m_loc")
        if prev in _GENITIVE:  # "z 5. koleje", "od 3. ročníku", "od 19. století"
            return self.ordinal(n, "m_gen" if noun.endswith(("a", "u", "í")) else "f_gen")
        if prev in _DATIVE:  # "k 1. lednu", "ke 2. straně"
            return self.ordinal(n, "f_dat" if noun.endswith(("e", "ě", "i")) else "m_dat")
        if prev in _INSTRUMENTAL:  # "před 2. světovou válkou", "za 3. rokem"
            return self.ordinal(n, "f_ins" if noun.endswith("ou") else "m_ins")
        gender = "f" if noun.endswith(("a", "e")) else "n" if noun.endswith(("o", "í", "ě", "y")) else "m"
        return self.ordinal(n, f"{gender}_nom")  # "-y": a plural-only noun ("21. narozeniny")

    def decimal(self, whole: int, frac: str, negative: bool = False) -> str:
        last = whole if whole < 20 or whole % 10 == 0 else whole % 10
        form = 0 if whole == 0 else noun_form(last)  # "nula celá", "tři celé", "třicet tři celé"
        whole_words = gendered(self.cardinal(whole), "f", whole)
        part = ("celá", "celé", "celých")[form]
        tail = self.cardinal(int(frac)) if len(frac) <= 3 and frac[0] != "0" else self.digits(frac)
        words = f"{whole_words} {part} {tail}"
        return f"mínus {words}" if negative else words

    def plural_index(self, n: int, fractional: bool = False) -> int:
        return noun_form(n, fractional)

    def agree(self, words: str, n: int, noun: Noun) -> str:
        return gendered(words, noun.gender, n)

    def fraction(self, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return "polovina"
        stem = grammar.FRACTION_NOUNS[den]
        form = noun_form(num)
        return f"{gendered(self.cardinal(num), 'f', num)} {stem}{('a', 'y', '')[form]}"

    def mixed(self, whole: int, num: int, den: int) -> str:
        if (num, den) == (1, 2):
            return f"{self.cardinal(whole)} a půl"  # "dva a půl"
        return f"{self.cardinal(whole)} a {self.fraction(num, den)}"

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return self.ordinal(n, "m_gen")

    def time(self, h: int, m: int | None, word: str) -> str:
        hour = self.cardinal(h)
        if not m:
            return self.count(h, _HOUR) if word else hour
        return f"{hour} {'nula ' if m < 10 else ''}{self.cardinal(m)}"

    def range_noun(self, noun: Noun, b: int, fractional: bool) -> str:
        return noun.form(noun_form(b, fractional))

    def regnal(self, n: int, name: str) -> str:
        return self.ordinal(n, "f_nom" if name.endswith("a") else "m_nom")  # "Marie Terezie" aside

    def century(self, n: int, word: str, prev: str) -> str:
        return self.ordinal(n, "m_loc" if prev in _LOCATIVE else "m_gen" if prev in _GENITIVE else "n_nom")

    def early_rules(self) -> list[Rule]:
        return [_spaced_date_rule(self)]


def _spaced_date_rule(lang: Czech) -> Rule:
    """ "3. 5. 2024", "3. 5.": day and month with a space after their dots, as ÚJČ writes them."""
    pattern = re.compile(
        rf"(?<![\w.,])(?P<d>0?[1-9]|[12]\d|3[01])\.{SPACE}(?P<m>0?[1-9]|1[0-2])\."
        rf"(?:{SPACE}(?P<y>\d{{4}}))?(?![\w]|[.,]\d)"
    )

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        year = int(m.group("y")) if m.group("y") else None
        end = m.end()
        if year is None and ctx.sentence_ends_after(end):
            end -= 1
        ctx.word(lang.date(int(m.group("d")), int(m.group("m")), year, ""), m.start(), end, DATE)
        if end < m.end():
            ctx.punct(".", end, m.end())

    return Rule("csdate", frozenset({DATE}), pattern, handle)


LANGUAGE = Czech()
