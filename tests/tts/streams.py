"""Helpers for the streaming tests (not fixtures): many concurrent speech streams through the official
`openai` client and plain httpx, a CPU burner to make the machine busy, and a TTS engine plug-in that
fails on purpose."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from openai import OpenAI

from mynah.config import AdmissionSettings, PlatformSettings, ServerSettings, SpeechCacheSettings
from mynah.engines.base import SynthesisOptions, TtsCapabilities, TtsEngine, Voice
from mynah.types import AudioChunk

ROOM_FOR_EVERY_STREAM = ServerSettings(
    admission=AdmissionSettings(speech_slots=2, speech_queue=64, speech_wait=600.0, speech_wait_factor=0)
)
"""Server settings whose speech queue holds every stream these tests open at once: they check that
each admitted stream delivers every byte, not admission (tests/hostile does that)."""

RENDER_EVERY_STREAM = PlatformSettings(speech_cache=SpeechCacheSettings(enabled=False))
"""No speech cache: every stream is rendered (and logged), so what the client got can be held against
what the server rendered for it."""

FAIL_WORD = "kaboom"


class FailingEngine:
    """A third-party-style TTS engine: speaks through a real engine, and raises (as a buggy engine
    would: not a mynah error) on any sentence holding the word `FAIL_WORD`."""

    name = "failing"
    capabilities = TtsCapabilities(streaming=True, word_timings=True, native_speed=True, native_pitch=True)

    def __init__(self, inner: TtsEngine, voice: str = "en-us") -> None:
        self._inner = inner
        self._voice = voice

    def voices(self) -> list[Voice]:
        return [Voice(id=f"{self.name}:{self._voice}", engine=self.name, name=self._voice, language="en-US")]

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        if FAIL_WORD in text.lower():
            raise RuntimeError("the engine broke on purpose")
        yield from self._inner.synthesize(text, options)


@dataclass(frozen=True)
class Streamed:
    index: int
    voice: str
    client: str
    data: bytes
    error: BaseException | None
    headers: dict[str, str]


def stream_speech(base_url: str, index: int, voice: str, text: str, **extra: Any) -> Streamed:
    """One streamed response, alternately through the `openai` client and plain httpx."""
    body = {"model": "tts-1", "voice": voice, "input": text, "response_format": "pcm", **extra}
    received: list[bytes] = []
    headers: dict[str, str] = {}
    client = "openai" if index % 2 == 0 else "httpx"
    try:
        if client == "openai":
            fields = {k: v for k, v in body.items() if k in ("model", "voice", "input", "response_format")}
            rest = {k: v for k, v in body.items() if k not in fields}
            with (
                OpenAI(base_url=base_url + "/v1", api_key="unused", max_retries=0, timeout=600) as sdk,
                sdk.audio.speech.with_streaming_response.create(**fields, extra_body=rest) as response,
            ):
                headers = dict(response.headers)
                for data in response.iter_bytes():
                    received.append(data)
        else:
            with httpx.stream("POST", base_url + "/v1/audio/speech", json=body, timeout=600) as response:
                headers = dict(response.headers)
                for data in response.iter_bytes():
                    received.append(data)
    except Exception as exc:
        return Streamed(index, voice, client, b"".join(received), exc, headers)
    return Streamed(index, voice, client, b"".join(received), None, headers)


def stream_many(
    base_url: str, voices: list[str], text: str, *, count: int, concurrency: int, **extra: Any
) -> list[Streamed]:
    """`count` streams, `concurrency` at a time, cycling through `voices`."""
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [
            pool.submit(stream_speech, base_url, i, voices[i % len(voices)], text, **extra)
            for i in range(count)
        ]
        return [f.result() for f in futures]


@contextlib.contextmanager
def busy_machine(processes: int = 2) -> Iterator[None]:
    """CPU burners (child processes spinning) for the length of the block."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()
