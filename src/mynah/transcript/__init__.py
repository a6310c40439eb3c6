"""Transcripts made ready to use, after recognition: smart formatting (`format`), redaction of
personal data in the text (`redact`) and in the audio (`audio_redact`).

    Finisher.check(...)   the options checked before any audio is read (400 / 501)
    Finisher.finish(...)  a recognised Transcription -> Finished(transcription, spans, audio)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mynah.errors import InvalidRequest
from mynah.types import Transcription

if TYPE_CHECKING:
    from mynah.audio.decode import AudioSource
    from mynah.transcript.redact import RedactionRequest, RedactionSpan, Redactor

__all__ = ["Finished", "Finisher"]


@dataclass(frozen=True)
class Finished:
    transcription: Transcription
    redactions: tuple[RedactionSpan, ...] | None = None
    """None: redaction was not asked for."""
    redacted_audio: bytes | None = None


class Finisher:
    """What happens to a transcript after recognition; holds the redactor (built on first use)."""

    def __init__(self) -> None:
        self._redactor: Redactor | None = None
        self._lock = threading.Lock()

    @staticmethod
    def check(
        entities: tuple[str, ...], policy: str, redact_audio: bool, fill: str
    ) -> RedactionRequest | None:
        """The redaction asked for, checked: unknown types or policies are a 400, a missing extra a
        501. `redact_audio` alone redacts every type."""
        if not entities and not redact_audio:
            return None
        from mynah.transcript.audio_redact import FILLS
        from mynah.transcript.redact import Redactor, parse_entities

        request = parse_entities(list(entities) or True, policy)
        if fill not in FILLS:
            raise InvalidRequest(
                f"redact_audio_fill must be one of {', '.join(FILLS)}", param="redact_audio_fill"
            )
        Redactor.check_available()
        return request

    def finish(
        self,
        transcription: Transcription,
        source: AudioSource,
        *,
        smart: bool,
        redaction: RedactionRequest | None,
        redact_audio: bool = False,
        fill: str = "silence",
        max_seconds: float | None = None,
    ) -> Finished:
        if smart:
            from mynah.transcript.format import smart_format

            transcription = smart_format(transcription)
        if redaction is None:
            return Finished(transcription)
        redacted = self._shared_redactor().redact(transcription, redaction)
        audio = None
        if redact_audio:
            from mynah.transcript.audio_redact import redact_audio as fill_audio

            audio = fill_audio(source, redacted.spans, fill, max_seconds=max_seconds)
        return Finished(redacted.transcription, redacted.spans, audio)

    def _shared_redactor(self) -> Redactor:
        with self._lock:
            if self._redactor is None:
                from mynah.transcript.redact import Redactor

                self._redactor = Redactor()
            return self._redactor
