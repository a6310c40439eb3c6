"""The fair scheduler: first units first, round robin, one job per lane at a time, backpressure."""

from __future__ import annotations

import threading

from mynah.realtime.scheduler import FairScheduler, Lane


def test_first_units_of_every_lane_run_before_any_third_unit() -> None:
    order: list[tuple[str, int]] = []
    gate = threading.Event()
    scheduler = FairScheduler(workers=1, units_ahead=10)
    try:
        blocker = scheduler.lane("blocker")
        blocker.submit(lambda lane: gate.wait(10))  # hold the worker while every lane queues
        lanes = [scheduler.lane(f"s{i}") for i in range(4)]
        done = threading.Semaphore(0)
        for lane in lanes:
            for unit in range(3):

                def job(lane: Lane, unit: int = unit) -> None:
                    order.append((lane.name, unit))
                    done.release()

                lane.submit(job)
        gate.set()
        for _ in range(12):
            assert done.acquire(timeout=10)
    finally:
        scheduler.close()
    assert [unit for _, unit in order] == [0] * 4 + [1] * 4 + [2] * 4
    assert [name for name, _ in order[:4]] == ["s0", "s1", "s2", "s3"]


def test_a_lane_that_is_ahead_of_its_client_waits_until_released() -> None:
    ran: list[int] = []
    started = threading.Semaphore(0)
    scheduler = FairScheduler(workers=1, units_ahead=1)
    try:
        lane = scheduler.lane("slow reader")
        for unit in range(3):
            lane.submit(lambda lane, unit=unit: (ran.append(unit), started.release()))
        assert started.acquire(timeout=10)
        assert not started.acquire(timeout=0.3)  # a waiting lane, not a timed assertion
        assert ran == [0]
        lane.release()
        assert started.acquire(timeout=10)
        assert ran == [0, 1]
    finally:
        scheduler.close()


def test_cancel_drops_queued_jobs_and_close_forgets_the_lane() -> None:
    gate = threading.Event()
    ran: list[str] = []
    seen_cancel = threading.Event()
    scheduler = FairScheduler(workers=1, units_ahead=5)
    try:
        lane = scheduler.lane("barge-in")

        running = threading.Event()

        def long_job(lane: Lane) -> None:
            running.set()
            gate.wait(10)
            if lane.cancelled:
                seen_cancel.set()

        lane.submit(long_job)
        lane.submit(lambda lane: ran.append("queued"))
        assert running.wait(10)
        lane.cancel()
        gate.set()
        assert seen_cancel.wait(10)
        lane.close()
        stats = scheduler.stats()
        assert (stats.lanes, stats.queued) == (0, 0)
        assert ran == []
    finally:
        scheduler.close()
    assert scheduler.stats().workers == 0
