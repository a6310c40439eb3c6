"""What Danish, Norwegian Bokmål and Swedish read alike, each with its own words.

- `ScandinavianNumbers`: how Danish and Norwegian Bokmål put number words together above a hundred.
  "og" stands before the last part below a hundred ("to hundrede og tre", "to tusen og tjuefire"), a
  bare hundred after the thousands takes "et"/"ett" ("tusind et hundrede"), and words stay apart above
  a hundred. The words below a hundred (where the two differ: "enogtyve" against "tjueen") are the
  language's own `below_hundred`.
- `Scandinavian`: the readings the three share: a four-digit number is a year after the words that
  announce one (`year_before`), two decimals are a number, telephone numbers go in pairs, a king is
  "den fjerde", days and centuries are plain ordinals. Each sets its `clock_zero` ("fjorten nul fem")
  and `and_word` for money ("tolv kroner og halvtreds øre"), which the shared `Language` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from mynah.text.normalize.intl.language import Language


@dataclass(frozen=True)
class ScandinavianNumbers:
    ones: Sequence[str]
    below_hundred: Callable[[int], str]
    hundred: str
    """"hundrede" / "hundre"."""
    thousand: str
    """"tusind" / "tusen"."""
    one_neuter: str
    """The "one" before a bare hundred after the thousands: "et" / "ett"."""

    def below_thousand(self, n: int) -> str:
        hundreds, rest = divmod(n, 100)
        if not hundreds:
            return self.below_hundred(rest)
        head = self.hundred if hundreds == 1 else f"{self.ones[hundreds]} {self.hundred}"
        return f"{head} og {self.below_hundred(rest)}" if rest else head

    def _join(self, head: str, rest: int) -> str:
        if not rest:
            return head
        if rest < 100:
            return f"{head} og {self.below_hundred(rest)}"
        tail = self.cardinal(rest)
        return f"{head} {self.one_neuter + ' ' if tail.startswith(self.hundred) else ''}{tail}"

    def cardinal(self, n: int) -> str:
        if n < 0:
            return "minus " + self.cardinal(-n)
        if n < 1000:
            return self.below_thousand(n)
        if n < 1_000_000:
            thousands, rest = divmod(n, 1000)
            head = self.thousand if thousands == 1 else f"{self.below_thousand(thousands)} {self.thousand}"
            return self._join(head, rest)
        for size, one, many in ((10**9, "milliard", "milliarder"), (10**6, "million", "millioner")):
            if n >= size:
                count, rest = divmod(n, size)
                if count >= 1000:
                    break
                return self._join(f"en {one}" if count == 1 else f"{self.cardinal(count)} {many}", rest)
        return " ".join(self.ones[int(d)] for d in str(n))

    def year(self, n: int) -> str:
        """1100–1999 in hundreds ("nitten hundre og nittini"); from 2000 as a cardinal."""
        if 1100 <= n <= 1999:
            hi, lo = divmod(n, 100)
            head = f"{self.below_hundred(hi)} {self.hundred}"
            return f"{head} og {self.below_hundred(lo)}" if lo else head
        return self.cardinal(n)


class Scandinavian(Language):
    """The readings Danish, Norwegian Bokmål and Swedish share (see the module docstring)."""

    fraction_as_number = 2
    roman_ordinals_to = 3999
    phone_numbers = range(2, 3)
    year_before: ClassVar[frozenset[str]] = frozenset()
    """Words after which four digits are a year ("i 1989", "siden 1905")."""

    def four_digits(self, n: int, prev: str, next_word: str) -> str:
        return self.year(n) if prev in self.year_before else self.cardinal(n)

    def day(self, n: int, prev: str, marker: str = "") -> str:
        return self.ordinal(n)

    def regnal(self, n: int, name: str) -> str:
        return f"den {self.ordinal(n)}"
