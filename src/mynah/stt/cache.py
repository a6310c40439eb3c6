"""The transcript cache: what a key covers, and the form a result is stored in.

A key is a sha256 over a format version, the audio bytes, the model the request resolved to first
and every option (`TranscribeOptions.cache_key`), so a change to any of them is another entry. The
stored value keeps what served the original as well as the transcription:

    {"served": {"engine": "whisper", "model": "whisper:base", "skipped": ["whisper:small: ..."]},
     "transcription": {...}}

so a hit names the model that actually produced the transcript (a fallback included) rather than the
one this request resolved to. The store behind it (`mynah.store.TranscriptCacheStore`) holds opaque
JSON; entries written in an older form have another key and are never read.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from mynah.types import Segment, Transcription, Word

__all__ = ["CachedTranscript", "TranscriptCache", "cache_key"]

_FORMAT = b"mynah-transcript-v2"
"""Bumped whenever the stored form changes (v2: the serving model, Word.joins_previous)."""


class TranscriptCache(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, model: str, value: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class CachedTranscript:
    """A transcription and what served it."""

    transcription: Transcription
    engine: str
    model: str
    skipped: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "served": {"engine": self.engine, "model": self.model, "skipped": list(self.skipped)},
            "transcription": asdict(self.transcription),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CachedTranscript:
        served, body = data["served"], data["transcription"]
        segments = tuple(
            Segment(**{**s, "words": tuple(Word(**w) for w in s.get("words", ()))}) for s in body["segments"]
        )
        transcription = Transcription(
            segments=segments,
            duration=body["duration"],
            language=body.get("language"),
            language_probability=body.get("language_probability"),
        )
        return cls(
            transcription, str(served["engine"]), str(served["model"]), tuple(served.get("skipped", ()))
        )


def cache_key(source: bytes | Path, model_id: str, options_key: str) -> str:
    digest = hashlib.sha256(_FORMAT)
    if isinstance(source, bytes):
        digest.update(source)
    else:
        with source.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    digest.update(b"\0" + model_id.encode() + b"\0" + options_key.encode())
    return digest.hexdigest()
