"""A real server per test (uvicorn on a free port, espeak-ng only, its own SQLite file), and keys."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mynah.config import ModelSettings, Settings
from mynah.platform import Platform
from mynah.platform.keys import KeyStore
from mynah.runtime import Runtime
from mynah.server.app import create_app
from tests.support import free_port

ServerFactory = Callable[..., contextlib.AbstractContextManager["PlatformServer"]]


def platform_settings(data_dir: Path, **changes: Any) -> Settings:
    base: dict[str, Any] = {
        "data_dir": data_dir,
        "engines": ["espeak", "pocketsphinx"],
        "models": ModelSettings(offline=True),
    }
    return Settings.model_validate({**base, **changes})


@dataclass(frozen=True)
class PlatformServer:
    url: str
    runtime: Runtime
    app: FastAPI

    @property
    def platform(self) -> Platform:
        platform: Platform = self.app.state.platform
        return platform


@contextlib.contextmanager
def serve_app(settings: Settings) -> Iterator[PlatformServer]:
    """The real app (create_app) on uvicorn in a thread, on a free port, until the block ends."""
    import threading

    import uvicorn

    runtime = Runtime.start(settings)
    app = create_app(runtime=runtime)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started:  # readiness: uvicorn flips this once bound
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        yield PlatformServer(f"http://127.0.0.1:{port}", runtime, app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        runtime.close()


@pytest.fixture
def make_server(tmp_path: Path) -> ServerFactory:
    """`with make_server(**settings) as server:` a fresh server with its own data directory."""
    count = 0

    def make(**changes: Any) -> contextlib.AbstractContextManager[PlatformServer]:
        nonlocal count
        count += 1
        return serve_app(platform_settings(tmp_path / f"data{count}", **changes))

    return make


def keys_of(server: PlatformServer) -> KeyStore:
    return KeyStore(server.runtime.store)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def speak(client: httpx.Client, text: str = "Hello there.", **fields: Any) -> httpx.Response:
    body = {"model": "tts-1", "input": text, "voice": "espeak:en-us", "response_format": "wav", **fields}
    return client.post("/v1/audio/speech", json=body)


def serve_process(
    settings_env: dict[str, str], cwd: Path, *, log_level: str = "warning"
) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m mynah serve` on a free port with `settings_env`, its log in `cwd`; ready when /health
    answers. The caller terminates it."""
    port = free_port()
    env = {**os.environ, **settings_env}
    log = cwd / f"server-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mynah", "serve", "--port", str(port), "--log-level", log_level],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")
