"""Native-speaker test sets: one table per language, scored the same way by the tests and the bench.

A case is (category, written, spoken). `spoken` is what a native narrator says, lower-cased and without
punctuation; where natives say it more than one way the accepted readings are separated by " | ".
Categories are the issue's: cardinal, decimal, ordinal, date, time, money, measure, percent, range,
fraction, telephone, abbreviation, roman.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import pytest

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


def native_speaker_tests(
    language: str, cases: Sequence[Case], known_misses: set[str]
) -> tuple[Callable[[Case], None], Callable[[], None], Callable[[], None]]:
    """The three tests every language's table gets, for its module to bind to `test_*` names: each
    case reads as a native would (a known miss is an xfail), at least PASS_SHARE of them do, and
    every category has cases."""

    @pytest.mark.parametrize("case", cases, ids=case_id)
    def reads_as_a_native_speaker_would(case: Case) -> None:
        if case[1] in known_misses:
            pytest.xfail("known miss")
        assert said_in(language, case[1]) in accepted(case[2])

    def at_least_the_pass_share_reads_right() -> None:
        right = sum(reads_right(language, c) for c in cases)
        assert right / len(cases) >= PASS_SHARE

    def every_category_has_cases() -> None:
        assert set(score(language, cases)) == set(CATEGORIES)

    return reads_as_a_native_speaker_would, at_least_the_pass_share_reads_right, every_category_has_cases
