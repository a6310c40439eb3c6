"""The number grammar Russian, Ukrainian, Polish and Czech share: one mechanism, each language's words.

- `Counting`: the noun form a number selects: "one" (один километр), "few" (два километра), "many"
  (пять километров), and the form a decimal takes. East Slavic counts 21, 31, ... as "one" and 22-24
  as "few"; Polish counts only 1 as "one" but 22-24 as "few"; Czech only 1 and 2-4 themselves.
- `Agreement`: the cardinal's last word before a noun of a gender ("два" -> "две"); West Slavic also
  changes a number that is the word "one" alone ("jeden" -> "jedna"), never the "one" of 21.
- `Declension`: cardinal words in the genitive ("двадцать пять" -> "двадцати пяти"): a word's own
  form from the table, else the first suffix rule that fits.
- `OrdinalEndings`: an ordinal word's case and gender ending, by the class of its stem ("-ый", "-ой",
  "-ий"; "-y", "-i"). Forms are keyed `<gender>_<case>`: m, f, n, pl; nom, gen, dat, acc, ins, loc/pre.
- `year_rule`: a year before a written form of the word "year" ("в 2024 году", "w 2024 r.", "у 2024
  році"), read as an ordinal in the case the language finds from that form and the words before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from mynah.text.normalize.context import Context, Rule
from mynah.text.normalize.intl.language import Language
from mynah.text.normalize.intl.numbers import SPACE
from mynah.text.normalize.model import DATE


@dataclass(frozen=True)
class Counting:
    one_ends_in_one: bool
    """21, 31, ... select the "one" form, as 1 does (East Slavic)."""
    few_repeat: bool
    """22-24, 32-34, ... select the "few" form, as 2-4 do (all but Czech); the teens never do."""
    fractional: int
    """The form a decimal selects."""

    def form(self, n: int, fractional: bool = False) -> int:
        """0 "one", 1 "few", 2 "many", or `fractional` for a decimal."""
        if fractional:
            return self.fractional
        if n == 1 or (self.one_ends_in_one and n % 10 == 1 and n % 100 != 11):
            return 0
        if self.few_repeat:
            if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
                return 1
        elif n in (2, 3, 4):
            return 1
        return 2


@dataclass(frozen=True)
class Agreement:
    last: Mapping[str, Mapping[str, str]]
    """gender -> the cardinal's last word -> its form before a noun of that gender."""
    alone: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """gender -> the word for one -> its form, when the number is one and that word alone."""

    def gendered(self, words: str, gender: str, n: int | None = None) -> str:
        """`words` (the cardinal of `n`) before a noun of `gender`."""
        parts = words.split()
        if not parts:
            return words
        if n == 1 and len(parts) == 1 and parts[0] in self.alone.get(gender, {}):
            return self.alone[gender][parts[0]]
        parts[-1] = self.last.get(gender, {}).get(parts[-1], parts[-1])
        return " ".join(parts)


@dataclass(frozen=True)
class Declension:
    words: Mapping[str, str]
    """Cardinal words and their genitive."""
    suffixes: tuple[tuple[str, str], ...] = ()
    """(suffix, replacement) for the words not in the table, the first that fits."""

    def genitive(self, words: str) -> str:
        return " ".join(self._word(w) for w in words.split())

    def _word(self, word: str) -> str:
        if word in self.words:
            return self.words[word]
        for suffix, replacement in self.suffixes:
            if word.endswith(suffix):
                return word[: len(word) - len(suffix)] + replacement
        return word


@dataclass(frozen=True)
class OrdinalEndings:
    classes: tuple[tuple[str, Mapping[str, str]], ...]
    """(the nominative masculine ending of a class of ordinals, its ending per form), first that fits;
    a word of no class does not inflect."""

    def word(self, word: str, form: str) -> str:
        for suffix, endings in self.classes:
            if word.endswith(suffix):
                return word[: len(word) - len(suffix)] + endings[form]
        return word

    def last(self, words: str, form: str) -> str:
        """Only the last word inflects: "две тысячи двадцать четвёртого"."""
        head, _, last = words.rpartition(" ")
        last = self.word(last, form)
        return f"{head} {last}" if head else last

    def every(self, words: str, form: str, keep: frozenset[str] = frozenset()) -> str:
        """Every ordinal word inflects ("dwa tysiące dwudziestego czwartego"), the words in `keep`
        (the cardinal part) do not."""
        return " ".join(w if w in keep else self.word(w, form) for w in words.split())


@dataclass(frozen=True)
class NameCases:
    """The case and gender of a ruler's name, for the regnal numeral after it to agree ("при Петре I"
    -> "при Петре Первом", "у Екатерины II" -> "у Екатерины Второй").

    By rule, not by a list of names: the name's ending gives the readings it can have; the preposition
    before it keeps those in a case it governs; a title before the name ("при королеве Марии I",
    "царица Тамара I", "патриарх Илия II") gives its gender and case, and the preposition before the
    title its case; where genders still differ, the stem decides (a feminine name's stem ends as
    feminine names do: "Екатерин-", "Елизавет-", "Анн-"). A name with no word before it (opening a
    sentence or a clause) is the subject of the verb after the numeral unless that verb says otherwise:
    a plural past ("Петра I поховали") leaves it in an oblique case, a feminine or masculine past
    ("Тамара I правила", "Илия II освятил") gives its gender; it takes the nominative of that gender
    (else of its first reading's) if it can be one. Else the first reading, the commoner one, stands."""

    endings: tuple[tuple[str, tuple[str, ...]], ...]
    """(an ending of the name, the `<gender>_<case>` readings it can have, commonest first), the first
    that fits; a name of no listed ending is masculine nominative."""
    prepositions: Mapping[str, frozenset[str]]
    """A preposition -> the cases it governs."""
    feminine_stems: tuple[str, ...]
    masculine_stems: tuple[str, ...] = ()
    """Masculine stems that end as feminine ones do ("Константин")."""
    forms: Mapping[str, str] = field(default_factory=dict)
    """A reading -> the ordinal form it takes where the two differ (an animate accusative is the
    genitive: "про Петра Первого")."""
    titles: Mapping[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    """A title's form -> its gender and the cases that form can be, which the name after it shares
    ("королеве" -> f, dat or pre; "патриарх" -> m, nom); a form two genders share (Ukrainian
    "королеві") is left out."""
    past: tuple[tuple[str, str], ...] = ()
    """(an ending of a past-tense verb, "m", "f" or "pl"), the first that fits: the subject it agrees
    with."""

    def form(self, name: str, before: Sequence[str] = (), after: str = "") -> str:
        """The ordinal form after `name`. `before`: the words before the name, nearest first,
        lower-cased (a preposition, or a title and the preposition before it); `after`: the word after
        the numeral, lower-cased."""
        word = name.lower().replace("ё", "е")
        for ending, readings in self.endings:
            if word.endswith(ending):
                reading = self._choose(readings, word[: len(word) - len(ending)], before, after)
                return self.forms.get(reading, reading)
        return "m_nom"

    def _choose(self, readings: tuple[str, ...], stem: str, before: Sequence[str], after: str) -> str:
        words = [w.replace("ё", "е") for w in before]
        gender, title_cases = self.titles.get(words[0], ("", frozenset())) if words else ("", frozenset())
        if gender:
            words = words[1:]
        first = words[0] if words else ""
        for cases in (self.prepositions.get(first), title_cases):
            if cases:
                governed = tuple(r for r in readings if r.partition("_")[2] in cases)
                readings = governed or readings
        if not gender and stem.endswith(self.feminine_stems) and not stem.endswith(self.masculine_stems):
            gender = "f"
        elif not gender and stem.endswith(self.masculine_stems):
            gender = "m"
        if gender:
            readings = tuple(r for r in readings if r.startswith(gender + "_")) or readings
        if not first.isalpha():  # a name opening its sentence or clause is its subject: "Микола II зрікся"
            agrees = self._agrees(after)
            if agrees == "pl":  # "Петра I поховали": not the subject
                readings = tuple(r for r in readings if not r.endswith("_nom")) or readings
            else:
                gender = agrees or readings[0].partition("_")[0]
                readings = tuple(r for r in readings if r == f"{gender}_nom") or readings
        return readings[0]

    def _agrees(self, verb: str) -> str:
        verb = verb.rstrip(".,;:!?")
        if not verb.isalpha() or not verb.islower():
            return ""
        for ending, agrees in self.past:
            if verb.endswith(ending) and len(verb) > len(ending) + 1:
                return agrees
        return ""


def declined(stems: str, gender: str, endings: Mapping[str, str]) -> dict[str, tuple[str, frozenset[str]]]:
    """ "цариц императриц", "f", {"а": "nom", "е": "dat pre", ...} -> each stem with each ending, its
    gender and the cases that form can be ("-" is no ending: "император")."""
    return {
        stem + ("" if ending == "-" else ending): (gender, frozenset(cases.split()))
        for stem in stems.split()
        for ending, cases in endings.items()
    }


def prepositions(table: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """{"у от до": "gen", "с со": "gen ins"} -> each preposition and the cases it governs."""
    return {word: frozenset(cases.split()) for words, cases in table.items() for word in words.split()}


YearReading = Callable[[str, Context], tuple[str, str]]
"""(the written year word, the context at the year) -> (the year's ordinal form, the year word spoken)."""


def year_rule(name: str, lang: Language, written: str, reading: YearReading) -> Rule:
    """A year of up to four digits before one of the `written` forms of "year" (a regex alternation):
    the year as `lang`'s ordinal in the form `reading` gives, then the word as it says it."""
    pattern = re.compile(rf"(?<![\w.,])(?P<y>\d{{1,4}}){SPACE}(?P<w>{written})(?![\w])")

    def handle(m: re.Match[str], ctx: Context) -> None:
        if not ctx.on(DATE):
            ctx.verbatim(m.start(), m.end())
            return
        form, word = reading(m.group("w"), ctx)
        emit_year(ctx, f"{lang.ordinal(int(m.group('y')), form)} {word}", m.start(), m.end())

    return Rule(name, frozenset({DATE}), pattern, handle)


def emit_year(ctx: Context, spoken: str, start: int, end: int) -> None:
    """A spoken year and its word; the dot of an abbreviated word ("г.", "r.", "р.") also ends a
    sentence that ends there."""
    if ctx.view[end - 1] == "." and ctx.sentence_ends_after(end):
        ctx.word(spoken, start, end - 1, DATE)
        ctx.punct(".", end - 1, end)
    else:
        ctx.word(spoken, start, end, DATE)
