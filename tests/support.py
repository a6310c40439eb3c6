"""Helpers for tests (not fixtures): small types and functions several test modules use."""

from __future__ import annotations

import io
import socket
from dataclasses import dataclass

import av

from mynah.runtime import Runtime


@dataclass(frozen=True)
class LiveServer:
    url: str
    runtime: Runtime

    @property
    def v1(self) -> str:
        return self.url + "/v1"


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
