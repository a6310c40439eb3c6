"""The values that flow through mynah, at the bottom of its imports: every package may use them, they
use nothing of mynah's.

    Samples        mono float32 numpy audio in [-1, 1]
    WordTiming     a word in synthesised audio (times in the chunk, offsets into the text spoken)
    AudioChunk     synthesised audio at one rate, with the words it holds
    Word           a recognised word with its times, probability and (when diarized) speaker
    Segment        a stretch of recognised speech: the text the engine produced and its words
    Transcription  the segments of one recording, its duration and language

Engines produce AudioChunk and Transcription (`mynah.engines.base` re-exports them for engine authors);
`mynah.audio`, `mynah.tts` and `mynah.stt` consume them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["AudioChunk", "Samples", "Segment", "Transcription", "Word", "WordTiming"]

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class WordTiming:
    """A word in synthesised audio. Times are seconds from the start of the chunk that carries it;
    `text_start`/`text_end` are character offsets into the text passed to `synthesize`."""

    text: str
    start: float
    end: float
    text_start: int
    text_end: int


@dataclass(frozen=True)
class AudioChunk:
    """A piece of synthesised audio: mono float32 samples at `sample_rate`, plus the words it holds."""

    samples: Samples
    sample_rate: int
    words: tuple[WordTiming, ...] = ()

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class Word:
    """A recognised word. Times in seconds from the start of the audio given; probability in [0, 1]."""

    text: str
    start: float
    end: float
    probability: float
    speaker: str | None = None
    """Who said it, when the transcript was diarized."""


@dataclass(frozen=True)
class Segment:
    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class Transcription:
    segments: tuple[Segment, ...]
    duration: float
    language: str | None = None
    language_probability: float | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)
