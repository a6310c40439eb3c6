"""A real mynah server in its own process (so its memory, disk writes and CPU can be read from /proc),
a raw HTTP client that behaves the way hostile clients do, and the /proc readings.

The server binds port 0 itself and prints the port, so no two test sessions ever race for one.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPResponse
from pathlib import Path
from typing import Any

import httpx

API_KEY = "hostile-test-key"
AUTH = {"authorization": f"Bearer {API_KEY}"}

_LAUNCH = """
import logging, socket, sys
import uvicorn
from mynah.config import Settings
from mynah.server.app import create_app
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
server = uvicorn.Server(uvicorn.Config(create_app(Settings()), log_level="warning"))
server.run(sockets=[sock])
"""


@dataclass
class Server:
    """A started server process. `url`, `pid`, its stderr so far in `log()`."""

    process: subprocess.Popen[str]
    port: int
    data_dir: Path
    _log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return "".join(self._log)

    def wait_for_log(self, text: str, timeout: float = 60.0) -> str:
        """The log once it holds `text` (its stderr is read by a thread, a moment behind)."""
        end = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"the server never logged {text!r}:\n{self.log()[-4000:]}")
            time.sleep(0.1)
        return self.log()

    def client(self, *, auth: bool = True, timeout: float = 120) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=AUTH if auth else {}, timeout=timeout)

    # ------------------------------------------------------------------------------------ /proc

    def rss(self) -> int:
        """Resident memory now, bytes."""
        return _status_kb(self.pid, "VmRSS") * 1024

    def peak_rss(self) -> int:
        """The highest resident memory since the last `reset_peak()`, bytes."""
        return _status_kb(self.pid, "VmHWM") * 1024

    def reset_peak(self) -> None:
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")

    def written(self) -> int:
        """Bytes the process has written with write(2) and friends (files and sockets)."""
        for line in Path(f"/proc/{self.pid}/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
        raise AssertionError("no wchar in /proc/PID/io")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {key} in /proc/{pid}/status")


@contextlib.contextmanager
def start_server(data_dir: Path, **env: str) -> Iterator[Server]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MYNAH_")}
    environment |= {
        "MYNAH_DATA_DIR": str(data_dir),
        "MYNAH_MODELS__OFFLINE": "true",
        "MYNAH_SERVER__API_KEY": API_KEY,
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=data_dir,
    )
    assert process.stdout is not None and process.stderr is not None
    port = int(process.stdout.readline() or 0)
    server = Server(process, port, data_dir)
    reader = threading.Thread(
        target=lambda: server._log.extend(iter(process.stderr.readline, "")), daemon=True
    )  # type: ignore[union-attr]
    reader.start()
    try:
        if not port:
            raise AssertionError(f"the server did not start: {process.stderr.read()}")
        deadline = time.monotonic() + 120
        while True:  # readiness: /health answers once the lifespan started the runtime
            try:
                if httpx.get(server.url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"the server never became healthy:\n{server.log()}")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stdout.close()
        process.stderr.close()


# ---------------------------------------------------------------------------------------- raw client


@dataclass(frozen=True)
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int
    """Body bytes the client got out before the server answered (or stopped reading)."""

    def json(self) -> Any:
        return json.loads(self.body)


def raw_request(
    server: Server,
    method: str,
    path: str,
    chunks: Iterable[bytes],
    *,
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
) -> RawResponse:
    """Send a request the way a hostile client does: the body in `chunks`, chunked unless
    `content_length` is given (it may lie), and, like curl, stop sending as soon as the server
    answers. Returns the answer and how much of the body went out."""
    head = [f"{method} {path} HTTP/1.1", f"host: 127.0.0.1:{server.port}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append(
        f"content-length: {content_length}" if content_length is not None else "transfer-encoding: chunked"
    )
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=120)
    sent = 0
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        try:
            for chunk in chunks:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered: stop sending
                framed = chunk if content_length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)
                sock.sendall(framed)
                sent += len(chunk)
            else:
                if content_length is None:
                    sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer may still be there to read
        response = HTTPResponse(sock)
        response.begin()
        body = response.read()
        return RawResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, body, sent)
    finally:
        sock.close()


def zeros(total: int, block: int = 1024 * 1024) -> Iterator[bytes]:
    """`total` bytes of zeros, a block at a time (nothing big is ever held)."""
    piece = bytes(block)
    while total > 0:
        yield piece[: min(block, total)]
        total -= block


def assert_error(status: int, body: Any, expected: int, *words: str) -> dict[str, Any]:
    """A JSON error with `expected` status whose message (or code) names each of `words`."""
    assert status == expected, body
    error = body["error"]
    text = f"{error['message']} {error['code']} {error.get('param')}".lower()
    for word in words:
        assert word.lower() in text, text
    assert "traceback" not in text
    return dict(error)
