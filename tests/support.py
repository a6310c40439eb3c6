"""Helpers for tests (not fixtures): small types and functions several test modules use."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from mynah.config import Settings
from mynah.runtime import Runtime


@dataclass(frozen=True)
class LiveServer:
    url: str
    runtime: Runtime

    @property
    def v1(self) -> str:
        return self.url + "/v1"


# Settings a developer's shell may carry that would change what a CLI test sees.
_CLEARED = ("MYNAH_DATABASE_URL", "MYNAH_ENGINES", "MYNAH_ENGINE_OPTIONS", "COLUMNS", "NO_COLOR")


def run_mynah(
    *args: str, cwd: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m mynah ARGS` as a user runs it, with its data in `cwd/data`, offline unless `env`
    says otherwise (the PATH, and so flite, is whatever the test's environment has)."""
    environment = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    environment |= {"MYNAH_DATA_DIR": str(cwd / "data"), "MYNAH_MODELS__OFFLINE": "true", **env}
    return subprocess.run(
        [sys.executable, "-m", "mynah", *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def decoded_seconds(data: bytes) -> float:
    """Duration of encoded audio as PyAV decodes it (counting samples, not trusting headers)."""
    with av.open(io.BytesIO(data)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
        rate = container.streams.audio[0].rate
    return float(samples / rate)


@contextlib.contextmanager
def start_live_server(
    settings: Settings, runtime: Runtime | None = None, *, app: Any = None
) -> Iterator[LiveServer]:
    """A real uvicorn server in a thread, serving the real app (or `app`, built on `runtime`), until
    the block ends."""
    import uvicorn

    from mynah.server.app import create_app

    runtime = runtime or Runtime.start(settings)
    port = free_port()
    app = app or create_app(runtime=runtime)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # readiness, not a sleep for state: uvicorn flips this once bound
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", runtime=runtime)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
