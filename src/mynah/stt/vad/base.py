"""What every voice activity detector is: speech regions of a recording, whole or streamed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mynah.types import Samples

__all__ = ["VAD_RATE", "SpeechRegion", "VadStream", "VoiceActivityDetector", "whole_recording"]

VAD_RATE = 16000
"""Every detector here works on 16 kHz audio; other rates are resampled on the way in."""


@dataclass(frozen=True)
class SpeechRegion:
    """A stretch of speech, in seconds from the start of the audio."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class VadStream(Protocol):
    """Voice activity detection over audio that arrives in blocks.

    After each `push`, `regions()` describes the speech exactly for every time before `final_until`:
    later pushes never add, remove or move speech there (the last region may be clipped at
    `final_until` and grow later). After `finish`, `final_until` is the duration of the audio pushed.
    """

    @property
    def final_until(self) -> float: ...

    def push(self, samples: Samples) -> None:
        """Append the next block of audio (mono float32 at the stream's rate)."""
        ...

    def finish(self) -> None:
        """The audio has ended: close the open region. `push` must not be called afterwards."""
        ...

    def regions(self) -> list[SpeechRegion]:
        """The speech found so far, in order, not overlapping, clipped to `final_until`."""
        ...


@runtime_checkable
class VoiceActivityDetector(Protocol):
    """Finds speech in mono float32 audio. Detectors hold no per-recording state: `stream` gives a
    fresh one each time, so one detector serves any number of recordings at once."""

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        """Speech in `audio` (at `sample_rate`), in order, not overlapping, within [0, duration]."""
        ...

    def stream(self, sample_rate: int) -> VadStream:
        """A detector for audio at `sample_rate` that arrives in blocks; see `VadStream`."""
        ...


def whole_recording(vad: VoiceActivityDetector, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
    """`vad.speech_regions` by way of its stream: one push, then finish."""
    stream = vad.stream(sample_rate)
    stream.push(audio)
    stream.finish()
    return stream.regions()
