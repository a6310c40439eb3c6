"""What a live transcription stream is configured with (its first message) and what it sends back
(`LiveResult`: partials and finals, in the shapes every adapter translates)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mynah.errors import InvalidRequest
from mynah.transcript.redact import RedactionRequest, RedactionSpan, parse_entities
from mynah.types import Word

__all__ = ["LiveResult", "TranscriptionConfig"]


class TranscriptionConfig(BaseModel):
    """The first message of a transcription stream."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(default=None, description="An STT model id; None: whisper-1's chain")
    language: str | None = None
    encoding: Literal["pcm_s16le", "linear16", "webm", "ogg", "opus"] = "pcm_s16le"
    """Raw 16-bit PCM at `sample_rate`, or a container (Opus in WebM or Ogg, as MediaRecorder sends
    it: any rate, the container says)."""
    sample_rate: int = Field(default=16000, ge=8000, le=48000)
    partials: bool = True
    final_silence: float | None = Field(default=None, ge=0.1, le=10)
    word_timestamps: bool = True
    format: Literal["auto", "smart", "raw"] = "auto"
    """As for files (`mynah.transcript.format`): smart by default for pocketsphinx."""
    redact: bool | str | list[str] | None = None
    """true or entity types: partials and finals are redacted before they are sent."""
    redact_policy: str | None = None
    redact_audio: bool = False
    """Refused: a stream's audio is not kept, so there is nothing to return redacted."""
    review: bool = False
    """Queue each final's low-confidence words for review (`mynah.stt.review`), as files do."""

    def redaction(self) -> RedactionRequest | None:
        """The redaction asked for, None for none: InvalidRequest for an unknown entity type or
        policy and for `redact_audio`, so an adapter can refuse them before any audio."""
        if self.redact_audio:
            raise InvalidRequest(
                "redact_audio needs a file or a job: a stream's audio is not kept, so there is no "
                "recording to return redacted (POST /v1/audio/transcriptions or /v1/mynah/jobs/transcriptions "
                "with redact_audio=true); redact=true redacts the stream's text",
                param="redact_audio",
            )
        return parse_entities(self.redact, self.redact_policy)


@dataclass(frozen=True)
class LiveResult:
    is_final: bool
    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()
    utterance: int = 0
    is_last: bool = False
    committed: int = 0
    """In a partial: how many of its words two decodes agreed on (they will not change)."""
    redactions: tuple[RedactionSpan, ...] | None = None
    """With redaction asked for: what was redacted in this result."""
    review: dict[str, Any] | None = None
    """A final, with review asked for: the transcript kept and the spans queued from it."""

    @property
    def confidence(self) -> float | None:
        if not self.words:
            return None
        return float(np.mean([w.probability for w in self.words]))

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {
            "type": "final" if self.is_final else "partial",
            "is_final": self.is_final,
            "is_last": self.is_last,
            "text": self.text,
            "transcript": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "utterance": self.utterance,
        }
        if self.redactions is not None:
            body["redactions"] = [span.as_json() for span in self.redactions]
        if self.review is not None:
            body["review"] = self.review
        if self.is_final:
            body["confidence"] = None if self.confidence is None else round(self.confidence, 3)
            body["words"] = [
                {
                    "word": w.text,
                    "start": round(w.start, 3),
                    "end": round(w.end, 3),
                    "confidence": round(w.probability, 3),
                }
                for w in self.words
            ]
        else:
            body["committed_words"] = self.committed
        return body
