"""Admission (bounded queues per kind of work) and cancellation tokens, as pure logic."""

from __future__ import annotations

import anyio
import pytest

from mynah.cancel import CancelToken, cancellable, check_cancelled, checked
from mynah.errors import Cancelled, Overloaded
from mynah.server.admission import Admission


def test_a_full_queue_is_refused_at_once_with_a_retry_after() -> None:
    async def scenario() -> None:
        gate = Admission("speech", slots=1, queue=1, wait=30)
        first = await gate.enter()
        async with anyio.create_task_group() as group:
            group.start_soon(gate.enter)  # waits: the queue is now full
            await anyio.wait_all_tasks_blocked()
            with pytest.raises(Overloaded) as refused:
                await gate.enter()
            assert refused.value.retry_after >= 1 and "speech" in refused.value.message
            first.leave()  # the waiting one gets the slot
        assert gate.running == 1 and gate.waiting == 0

    anyio.run(scenario)


def test_a_wait_longer_than_allowed_is_refused() -> None:
    async def scenario() -> None:
        gate = Admission("transcription", slots=1, queue=5, wait=0.05)
        held = await gate.enter()
        with pytest.raises(Overloaded, match="wait"):
            await gate.enter()
        held.leave()
        held.leave()  # a second leave does nothing
        assert gate.running == 0
        async with gate.slot():
            assert gate.running == 1

    anyio.run(scenario)


def test_cancellation_is_seen_only_inside_its_block() -> None:
    token = CancelToken()
    check_cancelled()  # outside any block: nothing to see
    with cancellable(token):
        assert list(checked([1, 2])) == [1, 2]
        token.cancel()
        with pytest.raises(Cancelled):
            check_cancelled()
        with pytest.raises(Cancelled):
            next(checked([3]))
    check_cancelled()


class Clock:
    """The admission's clock, moved by hand: service times are set, not timed."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _serve(gate: Admission, clock: Clock, seconds: float, times: int) -> None:
    for _ in range(times):
        ticket = await gate.enter()
        clock.now += seconds
        ticket.leave()


def test_the_wait_allowed_follows_the_recent_service_time() -> None:
    async def scenario() -> None:
        clock = Clock()
        gate = Admission("speech", slots=1, queue=10, wait=300, wait_factor=1.0, wait_floor=0.25, clock=clock)
        assert gate.allowed_wait() == 300  # nothing served yet: the ceiling
        await _serve(gate, clock, 20.0, 5)
        assert gate.service_time() == 20.0 and gate.allowed_wait() == 20.0
        held = await gate.enter()
        async with anyio.create_task_group() as group:
            group.start_soon(_serve, gate, clock, 20.0, 1)  # expected wait 20 s: one service time, allowed
            await anyio.wait_all_tasks_blocked()
            assert gate.waiting == 1
            with pytest.raises(Overloaded, match=r"over 20\.0 s") as refused:
                await gate.enter()  # second in the queue: 40 s, over the 20 s allowed, refused at once
            assert refused.value.retry_after == 40  # the two ahead of it, 20 s each, one slot
            assert gate.waiting == 1  # the queue had room (10): the wait, not the queue, refused it
            held.leave()
        await _serve(gate, clock, 0.01, 40)  # fast work: the floor, not a hundredth of a second
        assert gate.allowed_wait() == 0.25
        await _serve(gate, clock, 1000.0, 40)  # slow work: never more than the ceiling
        assert gate.allowed_wait() == 300

    anyio.run(scenario)


def test_a_wait_factor_of_zero_keeps_the_fixed_wait() -> None:
    async def scenario() -> None:
        clock = Clock()
        gate = Admission("speech", slots=1, queue=10, wait=30, wait_factor=0, clock=clock)
        await _serve(gate, clock, 2.0, 5)
        assert gate.allowed_wait() == 30
        held = await gate.enter()
        async with anyio.create_task_group() as group:
            for _ in range(3):  # 2, 4, 6 s expected: all within 30 s, all wait
                group.start_soon(_serve, gate, clock, 2.0, 1)
            await anyio.wait_all_tasks_blocked()
            assert gate.waiting == 3
            held.leave()  # each one served in turn frees its slot for the next
        assert gate.waiting == 0 and gate.running == 0

    anyio.run(scenario)
