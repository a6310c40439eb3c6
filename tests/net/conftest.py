"""A real HTTP(S) server on 127.0.0.1 for the fetch tests: routes that serve, redirect, stall and
flood, and a record of every request it got (so a test can show a refused URL was never contacted)."""

from __future__ import annotations

import contextlib
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

AUDIO = bytes(range(256)) * 40
"""What /audio serves: 10,240 bytes."""

FLOOD = 1_000_000
"""How many bytes /flood and /big send."""


@dataclass
class Server:
    base: str
    port: int
    paths: list[str] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(record: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            record.paths.append(self.path)
            url = urlsplit(self.path)
            # The client hangs up on purpose in some tests (size limit, timeout).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._route(url.path, parse_qs(url.query))

        def _route(self, path: str, query: dict[str, list[str]]) -> None:
            if path == "/audio":
                self._send(200, AUDIO, "audio/wav")
            elif path == "/echo-host":
                self._send(200, (self.headers.get("Host") or "").encode(), "text/plain")
            elif path == "/big":  # honest Content-Length over the limit
                self.send_response(200)
                self.send_header("Content-Length", str(FLOOD))
                self.end_headers()
                self.wfile.write(b"\0" * FLOOD)
            elif path == "/flood":  # no Content-Length: the body ends when the connection closes
                self.send_response(200)
                self.end_headers()
                for _ in range(FLOOD // 10_000):
                    self.wfile.write(b"\0" * 10_000)
            elif path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                self._redirect("/audio" if left == 0 else f"/redirect/{left - 1}")
            elif path == "/loop":
                self._redirect("/loop")
            elif path == "/to" and "url" in query:
                self._redirect(query["url"][0])
            elif path == "/to":  # a redirect that forgot where to
                self.send_response(302)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/stall":  # accept, then say nothing
                record.release.wait(30)
            elif path == "/stall-body":  # headers and a little body, then nothing
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"\0" * 10)
                self.wfile.flush()
                record.release.wait(30)
            else:
                self._send(404, b"no such thing", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    record = Server(base="", port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(record))
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    record.port = httpd.server_address[1]
    record.base = f"{'https' if tls else 'http'}://127.0.0.1:{record.port}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        record.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serve()


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    host: str


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for audio.example, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=audio.example", "-addext", "subjectAltName=DNS:audio.example"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return Certificate(cert=cert, key=key, host="audio.example")


@pytest.fixture
def tls_server(certificate: Certificate) -> Iterator[Server]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    names: list[str | None] = []

    def remember(sock: ssl.SSLObject, name: str, ctx: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = remember
    for record in _serve(context):
        record.server_names = names
        yield record
