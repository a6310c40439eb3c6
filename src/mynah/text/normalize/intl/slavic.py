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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
