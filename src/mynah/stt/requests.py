"""What a transcription is asked for and what it gives back, shared by the service, the routes,
jobs, the live path and the cluster: the options a caller sets (`TranscribeOptions`), the model
chain that serves them (`ResolvedModel`), a checked request (`PreparedTranscription`) and its
result (`TranscriptResult`)."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from mynah.engines.base import SttEngine, SttModel
from mynah.types import Transcription

if TYPE_CHECKING:
    from mynah.stt.diarize import Diarizer
    from mynah.transcript.redact import RedactionSpan

__all__ = ["HoldsModels", "PreparedTranscription", "ResolvedModel", "TranscribeOptions", "TranscriptResult"]


@dataclass(frozen=True)
class ResolvedModel:
    engine: SttEngine
    model: SttModel
    requested: str
    skipped: tuple[str, ...] = ()
    """Models earlier in the chain that could not serve (`id: reason`)."""
    alternatives: tuple[tuple[SttEngine, SttModel], ...] = ()
    """The rest of the chain, for a model that fails to load when it is used."""


@dataclass(frozen=True)
class TranscribeOptions:
    """Everything a caller can ask of one transcription, checked by `TranscriptionService.prepare`."""

    language: str | None = None
    prompt: str | None = None
    hotwords: tuple[str, ...] = ()
    task: str = "transcribe"
    word_timestamps: bool = True
    diarize: bool = False
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    channels: Literal["auto", "mix", "split"] = "auto"
    """With diarize: "split" treats each stereo channel as one speaker, "mix" diarizes the mixed-down
    audio, "auto" splits when the two channels carry different voices (low correlation)."""
    format: Literal["auto", "smart", "raw"] = "auto"
    """"smart": numbers, money, dates, times, e-mail and web addresses written as text reads
    (`mynah.transcript.format`); "raw": the engine's own words; "auto": smart for engines that write
    spoken words (pocketsphinx), raw for the others."""

    redact: tuple[str, ...] = ()
    """Entity types to redact (`mynah.transcript.redact.ENTITY_TYPES`); empty: none."""
    redact_policy: str = "label"
    """label ([PHONE_NUMBER]), mask (****) or hash ([PHONE_NUMBER:1a2b3c4d])."""
    redact_audio: bool = False
    """Also return the recording with the redacted spans filled (a file or a job, never a stream)."""
    redact_audio_fill: str = "silence"
    """silence, or tone (a 1 kHz bleep: clear to a listener, but a recogniser given the file again may
    drop the speech around it, as mynah's music gate and Whisper do)."""
    review: bool = False
    """Queue the low-confidence words for review (`mynah.stt.review`), done by the caller (the route
    or the job) with the transcript as served."""

    def cache_key(self) -> str:
        """What changes the recogniser's output: what is done to the transcript afterwards is not
        part of it (the cache keeps the engine's own transcript)."""
        values = asdict(self)
        for name in _AFTER_RECOGNITION:
            values.pop(name, None)
        return json.dumps(values, sort_keys=True)


_AFTER_RECOGNITION = ("format", "redact", "redact_policy", "redact_audio", "redact_audio_fill", "review")


@dataclass(frozen=True)
class PreparedTranscription:
    """A request resolved and checked, ready for `transcribe`: nothing about it can fail any more
    except the audio itself and the engines."""

    resolved: ResolvedModel
    options: TranscribeOptions
    """Checked and normalised (language lower-cased)."""
    diarizer: Diarizer | None = None
    """The process's diarizer, when the options ask for diarization."""


@dataclass(frozen=True)
class TranscriptResult:
    transcription: Transcription
    engine: str
    """The engine that produced the transcription (for a cache hit: that produced the original)."""
    model: str
    """The id of the model that produced it, the same way."""
    skipped: tuple[str, ...] = ()
    """Models earlier in the chain that could not serve (`id: reason`), when it was produced."""
    cached: bool = False
    redactions: tuple[RedactionSpan, ...] | None = None
    """With redaction asked for: what was redacted (an empty tuple when nothing was found)."""
    redacted_audio: bytes | None = None
    """With redact_audio: the recording (WAV, mono, its own rate) with those spans filled."""
    replica: str | None = None
    """Where the engines ran, when not in this process (a cluster replica: mynah.cluster)."""


@runtime_checkable
class HoldsModels(Protocol):
    """An engine that loads models may offer `hold(name)`: a context manager that loads the model
    (raising EngineUnavailable when it cannot) and keeps it loaded while held. The service holds the
    model for the whole request, so a model that cannot load falls back before any audio is decoded
    and is never unloaded between two windows."""

    def hold(self, name: str) -> AbstractContextManager[object]: ...
