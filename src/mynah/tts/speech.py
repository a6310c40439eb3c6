"""What a synthesis is made of and makes: the voice chosen, the plan prepared for it, the audio
chunks with their timing marks, and what happened while it streamed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mynah.engines.base import TtsEngine, Voice
from mynah.tts.plan import Plan
from mynah.types import Samples


@dataclass(frozen=True)
class ResolvedVoice:
    """The voice that will speak, how it was chosen, and what to try if it fails to load."""

    engine: TtsEngine
    voice: Voice
    requested: str
    skipped: tuple[str, ...] = ()
    """Voices earlier in the chain that could not serve (`id: reason`)."""
    alternatives: tuple[tuple[TtsEngine, Voice], ...] = ()
    """The rest of the chain, in order, for a voice that fails at synthesis time."""


@dataclass(frozen=True)
class SpeechMark:
    """A timing event. `time`/`end` in seconds from the start of the audio; `start`/`end_char` are
    character offsets into the ORIGINAL input (for SSML, into the markup)."""

    type: Literal["word", "sentence", "mark", "ssml"]
    time: float
    duration: float
    start: int
    end: int
    value: str

    def as_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "time": round(self.time, 3),
            "duration": round(self.duration, 3),
            "start": self.start,
            "end": self.end,
            "value": self.value,
        }


@dataclass(frozen=True)
class SpeechChunk:
    samples: Samples
    sample_rate: int
    marks: tuple[SpeechMark, ...] = ()
    spoken: bool = False
    """An engine made this audio (not a <break>, an inserted clip or a chunk of marks only)."""

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass
class StreamState:
    """What actually happened while streaming (for headers and logs): the voice that served, fallbacks."""

    voice: Voice | None = None
    engine: str | None = None
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    """What the audio left out that the request asked for (an <audio src> refused, ...)."""
    replica: str | None = None
    """Where the engines ran, when not in this process (a cluster replica: mynah.cluster)."""


@dataclass(frozen=True)
class PreparedSpeech:
    text: str
    resolved: ResolvedVoice
    plan: Plan
    sample_rate: int
    speed: float = 1.0
    state: StreamState = field(default_factory=StreamState, compare=False)
