"""The platform adds no worker-thread hop to a short speech request: every call into the thread pool
during one metered `/v1/audio/speech` request is noted with its caller, and none comes from
`mynah.platform` or from a FastAPI dependency (a sync `def` dependency runs in the pool, a hop that
every request would wait for). The engine's work itself is meant to run there, and so is the heap
trim admission starts once the server goes idle (`Idle._trim_in_pool`, after the response; on a slow
machine it falls inside the window)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import httpx
import pytest

from mynah.platform import keys
from tests.platform.conftest import ServerFactory, bearer, keys_of, speak


def test_a_metered_speech_request_hops_to_a_worker_thread_only_for_the_engine(
    make_server: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    callers: list[list[str]] = []
    run_sync = anyio.to_thread.run_sync

    async def noted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        callers.append([f"{frame.filename}:{frame.name}" for frame in traceback.extract_stack()[:-1]])
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(keys, "_VERIFY_TTL", 3600.0)  # a slow machine must not see the key re-read
    with make_server() as server, httpx.Client(base_url=server.url, timeout=60) as client:
        key = keys_of(server).create(
            "app", scopes=["speech"], limits={"requests_per_minute": 1000, "chars_per_day": 10**6}
        )
        client.headers.update(bearer(key.token))
        assert speak(client).status_code == 200  # the key is read from the database once, then known
        monkeypatch.setattr(anyio.to_thread, "run_sync", noted)
        answer = speak(client)
        monkeypatch.undo()
    assert answer.status_code == 200
    assert answer.headers["x-ratelimit-remaining-requests"] == "998"  # the limiter did run
    assert callers, "the engine's work runs in the thread pool"
    # who asked: the innermost frame of mynah's or FastAPI's (starlette's run_in_threadpool is the means)
    askers = [next(f for f in reversed(stack) if "/mynah/" in f or "/fastapi/" in f) for stack in callers]
    assert not [asker for asker in askers if "/mynah/platform/" in asker or "/fastapi/" in asker], askers
