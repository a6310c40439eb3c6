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
