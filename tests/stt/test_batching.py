"""The batching queue: batches fill, stay fair by request, fill every lane for a lone request and
give a newcomer the next lane that frees, never mix
keys, share a failure, and drop a cancelled request's windows. Driven by a plain batch function
that records what it was given and can be held at a gate, so every ordering is forced, not timed."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from mynah.errors import Cancelled
from mynah.stt.batching import BatchQueue


class Runner:
    """A batch function: doubles each item; while `gate` is closed it holds the batch it is given
    (after saying so on `entered`)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Semaphore(0)
        self.calls: list[list[int]] = []
        self.lock = threading.Lock()

    def __call__(self, items: list[int]) -> Sequence[int]:
        with self.lock:
            self.calls.append(list(items))
        self.entered.release()
        assert self.gate.wait(30)
        return [2 * i for i in items]

    def hold(self) -> None:
        self.gate.clear()

    def wait_entered(self) -> None:
        assert self.entered.acquire(timeout=30)


def test_results_come_back_in_order_in_full_batches() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=4, max_wait=0)
    with queue.open() as ticket:
        futures = [ticket.submit(i) for i in range(10)]
        ticket.end()
        assert [ticket.wait(f) for f in futures] == [2 * i for i in range(10)]
    assert sorted(len(c) for c in runner.calls) == [2, 4, 4]
    assert sorted(i for c in runner.calls for i in c) == list(range(10))
    queue.close()


def test_a_request_waits_for_a_whole_batch_until_it_ends_or_waits() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=4, max_wait=0)
    with queue.open() as ticket:
        first = [ticket.submit(i) for i in range(3)]
        assert not any(f.done() for f in first)  # three of four: nothing may start yet
        assert ticket.wait(first[0]) == 0  # waiting lets them go
        assert runner.calls == [[0, 1, 2]]
    queue.close()


def test_a_newcomer_is_served_in_the_next_batch_not_after_the_long_request() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=2, lanes=1, max_wait=0)
    with queue.open() as long, queue.open() as short:
        runner.hold()
        long_futures = [long.submit(i) for i in range(8)]
        long.end()
        runner.wait_entered()  # the long request's first batch is running
        short_future = short.submit(100)
        short.end()
        runner.gate.set()
        assert short.wait(short_future) == 200
        for future in long_futures:
            long.wait(future)
    assert runner.calls[0] == [0, 1]
    assert runner.calls[1][0] == 100, "the newcomer starts the next batch"
    assert queue.batches[1] == [short.order, long.order]
    queue.close()


def test_a_lone_request_fills_every_lane_and_a_newcomer_takes_the_next_that_frees() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=2, lanes=2, max_wait=0)
    with queue.open() as long, queue.open() as short:
        runner.hold()
        long_futures = [long.submit(i) for i in range(8)]
        long.end()
        runner.wait_entered()
        runner.wait_entered()  # alone, the long request runs a batch in each lane
        assert sorted(runner.calls) == [[0, 1], [2, 3]]
        future = short.submit(7)
        short.end()
        runner.gate.set()
        assert short.wait(future) == 14
        assert [long.wait(f) for f in long_futures] == [0, 2, 4, 6, 8, 10, 12, 14]
    # the first batch formed once a lane freed starts with the newcomer, ahead of the long
    # request's next batch (it is topped up with the long request's windows only if both lanes
    # freed before it was formed)
    assert queue.batches[2][0] == short.order
    assert sorted(i for c in runner.calls for i in c) == [0, 1, 2, 3, 4, 5, 6, 7, 7]
    queue.close()


def test_a_lane_does_not_take_a_second_batch_of_a_request_while_another_waits() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=2, lanes=2, max_wait=0)
    with queue.open() as long, queue.open() as short:
        runner.hold()
        first = [long.submit(0), long.submit(1)]
        runner.wait_entered()  # lane 1 holds the long request's first batch; lane 2 is free
        short_future = short.submit(7)
        short.end()
        runner.wait_entered()  # ... and takes the newcomer, not the long request's next windows
        later = [long.submit(i) for i in range(2, 6)]
        long.end()
        assert runner.calls == [[0, 1], [7]]
        runner.gate.set()
        assert short.wait(short_future) == 14
        assert [long.wait(f) for f in first + later] == [0, 2, 4, 6, 8, 10]
    queue.close()


def test_windows_with_different_keys_never_share_a_batch() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=8, max_wait=0)
    with queue.open() as english, queue.open() as german:
        runner.hold()
        futures = [english.submit(i, key="en") for i in range(3)]
        futures += [german.submit(10 + i, key="de") for i in range(3)]
        english.end()
        german.end()
        runner.gate.set()
        for future in futures:
            future.result(30)
    assert sorted(runner.calls) == [[0, 1, 2], [10, 11, 12]]
    queue.close()


def test_a_failing_batch_fails_each_of_its_windows() -> None:
    def broken(items: list[int]) -> list[int]:
        raise RuntimeError("engine broke")

    queue: BatchQueue[int, int] = BatchQueue(broken, batch_size=2, max_wait=0)
    with queue.open() as ticket:
        futures = [ticket.submit(1), ticket.submit(2)]
        for future in futures:
            with pytest.raises(RuntimeError, match="engine broke"):
                ticket.wait(future)
    queue.close()


def test_cancel_drops_queued_windows_and_later_submissions() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=2, lanes=1, max_wait=0)
    ticket = queue.open()
    runner.hold()
    futures = [ticket.submit(i) for i in range(6)]
    ticket.end()
    runner.wait_entered()
    ticket.cancel()
    runner.gate.set()
    assert futures[0].result(30) == 0  # the batch that was running finishes
    for future in futures[2:]:
        with pytest.raises(Cancelled):
            future.result(30)
    with pytest.raises(Cancelled):
        ticket.submit(9).result(30)
    assert queue.active == 0
    assert [i for c in runner.calls for i in c] == [0, 1]
    queue.close()


def test_a_batch_waits_briefly_for_requests_that_have_not_sent_yet() -> None:
    runner = Runner()
    queue: BatchQueue[int, int] = BatchQueue(runner, batch_size=4, max_wait=5.0)
    with queue.open() as first, queue.open() as second:
        a = first.submit(1)
        first.end()
        b = second.submit(2)  # arrives within the wait: both go in one batch
        second.end()
        assert first.wait(a) == 2 and second.wait(b) == 4
    assert runner.calls == [[1, 2]]
    queue.close()


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        BatchQueue(Runner(), batch_size=0)


def test_a_running_batch_stops_at_its_next_check_once_all_its_requests_are_cancelled() -> None:
    """A batch function that checks `mynah.cancel` between its steps (as the Whisper batch does)."""
    from mynah.cancel import check_cancelled

    gate, entered, steps = threading.Event(), threading.Event(), []

    def stepwise(items: list[int]) -> list[int]:
        steps.append("first")
        entered.set()
        assert gate.wait(30)
        check_cancelled()  # every request of the batch cancelled meanwhile: raises here
        steps.append("second")
        return [2 * i for i in items]

    queue: BatchQueue[int, int] = BatchQueue(stepwise, batch_size=2, lanes=1, max_wait=0)
    first, second = queue.open(), queue.open()
    futures = [first.submit(1), second.submit(2)]
    first.end()
    second.end()
    assert entered.wait(30)
    first.cancel()
    second.cancel()
    gate.set()
    for future in futures:
        with pytest.raises(Cancelled, match="batch was stopped"):
            future.result(30)
    assert steps == ["first"]
    # a batch with one request still waiting runs to its end
    gate.clear()
    entered.clear()
    steps.clear()
    gone = queue.open()
    with queue.open() as waiting:
        gone.submit(3)
        kept = waiting.submit(4)
        gone.end()
        waiting.end()
        assert entered.wait(30)
        gone.cancel()
        gate.set()
        assert waiting.wait(kept) == 8
    assert steps == ["first", "second"]
    queue.close()
