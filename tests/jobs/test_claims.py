"""The claim order as a pure function: priority across owners, fairness among equals, no starvation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mynah.jobs.claims import Head, claim_order

AT = datetime(2026, 1, 1, 12, tzinfo=UTC)


def ago(seconds: float) -> datetime:
    return AT - timedelta(seconds=seconds)


def test_the_top_priority_goes_first_whatever_its_age() -> None:
    heads = [Head("archive", 0, ago(50)), Head("key", 5, ago(1))]
    assert claim_order(heads, running={}, served={}, at=AT, starvation_seconds=60)[0] == "key"


def test_among_the_top_priority_the_owner_with_fewest_running_goes_first() -> None:
    heads = [Head("a", 5, ago(30)), Head("b", 5, ago(1)), Head("low", 0, ago(40))]
    order = claim_order(heads, running={"a": 2, "b": 1}, served={}, at=AT, starvation_seconds=60)
    assert order == ["b", "a", "low"]


def test_the_owner_served_least_recently_breaks_a_tie() -> None:
    heads = [Head("a", 5, ago(30)), Head("b", 5, ago(20)), Head("c", 5, ago(10))]
    served = {"a": ago(1), "b": ago(5)}
    assert claim_order(heads, running={}, served=served, at=AT, starvation_seconds=60) == ["c", "b", "a"]


@pytest.mark.parametrize(("served", "starved"), [(None, True), (ago(61), True), (ago(59), False)])
def test_an_owner_kept_waiting_past_the_limit_goes_first(served: datetime | None, starved: bool) -> None:
    heads = [Head("busy", 9, ago(100)), Head("patient", -5, ago(100))]
    last = {"busy": ago(0.1)} | ({} if served is None else {"patient": served})
    order = claim_order(heads, running={}, served=last, at=AT, starvation_seconds=60)
    assert order[0] == ("patient" if starved else "busy")


def test_a_job_that_just_became_due_is_not_starved() -> None:
    heads = [Head("busy", 9, ago(100)), Head("patient", -5, ago(5))]  # served long ago, due only now
    order = claim_order(heads, running={}, served={"patient": ago(600)}, at=AT, starvation_seconds=60)
    assert order == ["busy", "patient"]


def test_no_starvation_limit_means_fairness_alone() -> None:
    heads = [Head("busy", 9, ago(10)), Head("patient", -5, ago(10))]
    order = claim_order(heads, running={"busy": 1}, served={}, at=AT, starvation_seconds=0)
    assert order == ["patient", "busy"]


def test_the_rest_follow_by_priority() -> None:
    heads = [Head("a", 1, ago(5)), Head("b", 3, ago(5)), Head("c", 7, ago(5)), Head("d", 2, ago(5))]
    assert claim_order(heads, running={}, served={}, at=AT, starvation_seconds=60) == ["c", "b", "d", "a"]
    assert claim_order([], running={}, served={}, at=AT, starvation_seconds=60) == []
