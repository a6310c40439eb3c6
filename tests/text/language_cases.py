"""Native-speaker test sets: one table per language, scored the same way by the tests and the bench.

A case is (category, written, spoken). `spoken` is what a native narrator says, lower-cased and without
punctuation; where natives say it more than one way the accepted readings are separated by " | ".
Categories are the issue's: cardinal, decimal, ordinal, date, time, money, measure, percent, range,
fraction, telephone, abbreviation, roman.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tests.text.helpers import _NOT_SPOKEN, said_in

Case = tuple[str, str, str]
CATEGORIES = (
    "cardinal",
    "decimal",
    "ordinal",
    "date",
    "time",
    "money",
    "measure",
    "percent",
    "range",
    "fraction",
    "telephone",
    "abbreviation",
    "roman",
)
PASS_SHARE = 0.9
"""The issue's bar: at least 90 % of a language's own cases read as a native speaker would."""


def accepted(spoken: str) -> list[str]:
    """The accepted readings, compared as `said_in` compares (hyphens and apostrophes as spaces)."""
    return [" ".join(_NOT_SPOKEN.sub(" ", s.lower()).split()) for s in spoken.split("|")]


def reads_right(language: str, case: Case) -> bool:
    _, written, spoken = case
    return said_in(language, written) in accepted(spoken)


def score(language: str, cases: Sequence[Case]) -> dict[str, tuple[int, int]]:
    """Per category: (cases read right, cases)."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        total[case[0]] += 1
        right[case[0]] += reads_right(language, case)
    return {c: (right[c], total[c]) for c in total}


def case_id(case: Case) -> str:
    return f"{case[0]}:{case[1][:40]}"
