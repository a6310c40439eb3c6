"""Steps 1-2 of `mynah.stt.vad`: resample to 16 kHz (streaming), cut frames, classify each one
(the detector's classifier, then the energy floor), measure spectral flux, and hand the decisions to
a `RegionTracker`."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from mynah.stt.vad.base import VAD_RATE, SpeechRegion
from mynah.stt.vad.regions import RegionTracker, TrackerSettings
from mynah.types import Samples

__all__ = ["FrameClassifier", "FrameVadStream"]

_FRAMES_PER_BATCH = 1024
"""Frames classified per call (about 30 s): spectra of a whole hour at once would take 500 MB."""

_FloatArray = npt.NDArray[np.float64]
_BoolArray = npt.NDArray[np.bool_]

FrameClassifier = Callable[[npt.NDArray[np.float32]], _BoolArray]
"""Voiced or not, for each row of a (frames, samples) block of 16 kHz audio."""


class FrameVadStream:
    """Resample to 16 kHz, cut frames, classify them, and hand the decisions to a `RegionTracker`."""

    def __init__(
        self,
        sample_rate: int,
        frame: int,
        classify: FrameClassifier,
        energy_floor_dbfs: float,
        settings: TrackerSettings,
    ) -> None:
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        self._rate = sample_rate
        self._frame = frame
        self._classify = classify
        self._floor = 10.0 ** (energy_floor_dbfs / 10.0)  # mean square, full scale = 1.0
        self._resampler = _StreamingResampler(sample_rate, VAD_RATE) if sample_rate != VAD_RATE else None
        self._pending = np.zeros(0, dtype=np.float32)
        self._pushed = 0
        self._finished = False
        self._flux = _SpectralFlux(frame)
        self._tracker = RegionTracker(frame / VAD_RATE, settings)

    @property
    def final_until(self) -> float:
        return self._tracker.final_until

    def push(self, samples: Samples) -> None:
        if self._finished:
            raise RuntimeError("push after finish")
        mono = np.asarray(samples, dtype=np.float32)
        if mono.ndim != 1:
            raise ValueError(f"expected mono audio as a 1-D array, got shape {mono.shape}")
        self._pushed += len(mono)
        resampled = self._resampler.push(mono) if self._resampler is not None else mono
        self._frames(resampled)

    def finish(self) -> None:
        if self._finished:
            return
        if self._resampler is not None:
            self._frames(self._resampler.flush())
        self._finished = True
        self._tracker.finish(self._pushed / self._rate)

    def regions(self) -> list[SpeechRegion]:
        return self._tracker.regions()

    def _frames(self, samples: Samples) -> None:
        data = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        count = len(data) // self._frame
        self._pending = np.array(data[count * self._frame :], dtype=np.float32)
        if count == 0:
            return
        every = np.asarray(data[: count * self._frame], dtype=np.float32).reshape(count, self._frame)
        for first in range(0, count, _FRAMES_PER_BATCH):  # bounded work arrays for long pushes
            frames = every[first : first + _FRAMES_PER_BATCH]
            # Both detectors are stateful (noise estimates, a recurrent network): they hear every frame.
            power = np.mean(np.square(frames, dtype=np.float64), axis=1)
            voiced = self._classify(frames) & (power >= self._floor)
            self._tracker.push(voiced, self._flux.push(frames), 10.0 * np.log10(power + 1e-12))


class _StreamingResampler:
    """libswresample through PyAV, fed block by block; output timing matches the input's."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        import av

        self._from = from_rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
        self._pts = 0

    def push(self, samples: Samples) -> Samples:
        import av

        if len(samples) == 0:
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples)[np.newaxis, :], format="flt", layout="mono"
        )
        frame.sample_rate = self._from
        frame.time_base = Fraction(1, self._from)
        frame.pts = self._pts
        self._pts += len(samples)
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> Samples:
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list[Any]) -> Samples:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([np.asarray(f.to_ndarray()[0], dtype=np.float32) for f in frames])


class _SpectralFlux:
    """Frame-to-frame change of the level-normalised log spectrum in 16 bands, 150-4000 Hz, in dB.

    Normalising each frame's band levels by their mean removes loudness, so an envelope on a steady
    sound changes nothing; formant transitions in speech change a lot.
    """

    def __init__(self, frame: int) -> None:
        self._size = 1 << (frame - 1).bit_length()
        self._window = np.hanning(frame)
        freqs = np.fft.rfftfreq(self._size, 1.0 / VAD_RATE)
        edges = np.geomspace(150.0, 4000.0, 17)
        self._bands = np.zeros((len(freqs), 16))
        for k, (lo, hi) in enumerate(itertools.pairwise(edges)):
            self._bands[(freqs >= lo) & (freqs < hi), k] = 1.0
        self._previous: _FloatArray | None = None

    def push(self, frames: npt.NDArray[np.float32]) -> _FloatArray:
        power = np.abs(np.fft.rfft(frames * self._window, self._size, axis=1)) ** 2
        levels = 10.0 * np.log10(power @ self._bands + 1e-10)
        levels -= levels.mean(axis=1, keepdims=True)
        first = self._previous if self._previous is not None else levels[0]
        flux: _FloatArray = np.abs(np.diff(levels, axis=0, prepend=first[np.newaxis, :])).mean(axis=1)
        self._previous = levels[-1]
        return flux
