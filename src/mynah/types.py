"""The values that flow through mynah, at the bottom of its imports: every package may use them, they
use nothing of mynah's.

    Samples        mono float32 numpy audio in [-1, 1]
    WordTiming     a word in synthesised audio (times in the chunk, offsets into the text spoken)
    AudioChunk     synthesised audio at one rate, with the words it holds
    Word           a recognised word with its times, probability and (when diarized) speaker
    Segment        a stretch of recognised speech: the text the engine produced and its words
    Transcription  the segments of one recording, its duration and language
    join_words     the text of a run of words, spaced the way the engine wrote them

Engines produce AudioChunk and Transcription (`mynah.engines.base` re-exports them for engine authors);
`mynah.audio`, `mynah.tts` and `mynah.stt` consume them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["AudioChunk", "Samples", "Segment", "Transcription", "Word", "WordTiming", "join_words"]

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
    """A recognised word. Times in seconds from the start of the audio given; probability in [0, 1].

    `text` is the word's own text, without surrounding spaces. Engines that recognise sub-word pieces
    (Whisper's " $1" ".5" " million,") mark a piece that continues the previous one, with no space
    between them in the engine's text, by `joins_previous`; `join_words` spaces words by it. Whisper
    writes Chinese and Japanese without spaces, so there every word joins the previous one.
    """

    text: str
    start: float
    end: float
    probability: float
    speaker: str | None = None
    """Who said it, when the transcript was diarized."""
    joins_previous: bool = False
    """No space between this word and the one before it in the engine's text ("$1" then ".5")."""


def join_words(words: Iterable[Word]) -> str:
    """The text of `words` as the engine wrote it: a space before each word except those that join the
    previous one ("$1" ".5" "million," -> "$1.5 million,")."""
    parts: list[str] = []
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if parts and not word.joins_previous:
            parts.append(" ")
        parts.append(text)
    return "".join(parts)


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised speech. `text` is the text the engine produced for it (never words glued
    back together, unless words had to be dropped, see `mynah.stt.merge`); `words` its words, in order."""

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
        """The segments' texts, a space between two unless the later one starts with a word that joins
        the previous one (Chinese, Japanese; a piece of a number cut off by a speaker change)."""
        parts: list[str] = []
        for segment in self.segments:
            text = segment.text.strip()
            if not text:
                continue
            if parts and not (segment.words and segment.words[0].joins_previous):
                parts.append(" ")
            parts.append(text)
        return "".join(parts)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)
