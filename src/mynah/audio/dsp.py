"""Small sample-level helpers on mynah's audio: mono float32 numpy in [-1, 1].

Resampling goes through libswresample (via PyAV), the same code that converts rates while decoding and
encoding, so a signal resampled here and one resampled inside the decoder come out alike.

`limit` is the one dynamics processor: a look-ahead peak limiter that `mynah.audio.prosody.apply_gain`
and `mynah.audio.loudness.loudness_normalize` use to keep boosted audio under full scale without clipping.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

from mynah.errors import InvalidRequest
from mynah.types import Samples


def resample(samples: Samples, from_rate: int, to_rate: int) -> Samples:
    """`samples` at `from_rate` converted to `to_rate`.

    The result has exactly `round(len(samples) * to_rate / from_rate)` samples and no added delay:
    libswresample compensates its filter delay and its flush tail is trimmed (or, at most a sample or
    two, padded with zeros) to that length, so durations and word timings carry over unchanged.
    """
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
    mono = _as_mono(samples)
    if from_rate == to_rate:
        return mono.copy()
    expected = round(len(mono) * to_rate / from_rate)
    if len(mono) == 0:
        return np.zeros(0, dtype=np.float32)

    frame = av.AudioFrame.from_ndarray(mono[np.newaxis, :], format="flt", layout="mono")
    frame.sample_rate = from_rate
    frame.time_base = Fraction(1, from_rate)
    frame.pts = 0
    resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    out = np.concatenate([f.to_ndarray()[0] for f in frames]) if frames else np.zeros(0, np.float32)
    if len(out) >= expected:
        return np.ascontiguousarray(out[:expected], dtype=np.float32)
    return np.concatenate([out, np.zeros(expected - len(out), dtype=np.float32)])


class StreamResampler:
    """`resample` for audio that comes in pieces cut anywhere (mid-word): one filter runs across the
    pieces, so the cuts are not heard, where resampling each piece alone would taper its edges.
    `push` returns what the filter has let through so far (a few samples behind); `finish` the rest,
    so that the whole has exactly `round(pushed * to_rate / from_rate)` samples, as `resample` gives."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
        self.from_rate, self.to_rate = from_rate, to_rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
        self._pushed = 0
        self._given = 0

    def push(self, samples: Samples) -> Samples:
        mono = _as_mono(samples)
        if len(mono) == 0:
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(mono[np.newaxis, :], format="flt", layout="mono")
        frame.sample_rate = self.from_rate
        frame.time_base = Fraction(1, self.from_rate)
        frame.pts = self._pushed
        self._pushed += len(mono)
        return self._take(self._resampler.resample(frame))

    def finish(self) -> Samples:
        tail = self._take(self._resampler.resample(None))
        expected = round(self._pushed * self.to_rate / self.from_rate)
        short = expected - (self._given - len(tail))
        if short <= len(tail):
            tail = tail[: max(0, short)]
        else:
            tail = np.concatenate([tail, np.zeros(short - len(tail), dtype=np.float32)])
        self._given = expected
        return np.ascontiguousarray(tail, dtype=np.float32)

    def _take(self, frames: list[av.AudioFrame]) -> Samples:
        out = np.concatenate([f.to_ndarray()[0] for f in frames]) if frames else np.zeros(0, np.float32)
        self._given += len(out)
        return np.ascontiguousarray(out, dtype=np.float32)


def to_int16(samples: Samples) -> npt.NDArray[np.int16]:
    """16-bit PCM from float samples: clipped to [-1, 1], scaled by 32767 and rounded."""
    clipped = np.clip(_as_mono(samples), -1.0, 1.0)
    pcm: npt.NDArray[np.int16] = np.rint(clipped * 32767.0).astype(np.int16)
    return pcm


def peak_normalize(samples: Samples, peak: float = 0.95) -> Samples:
    """`samples` scaled so the loudest one has magnitude `peak`; all-zero audio comes back unchanged.

    The default leaves about half a decibel of headroom, so lossy encoders do not clip on overshoot.
    """
    if not 0.0 < peak <= 1.0:
        raise ValueError(f"peak must be in (0, 1], got {peak}")
    mono = _as_mono(samples)
    loudest = float(np.max(np.abs(mono))) if len(mono) else 0.0
    if loudest == 0.0 or not np.isfinite(loudest):
        return mono.copy()
    return (mono * np.float32(peak / loudest)).astype(np.float32)


def sanitize(samples: Samples) -> Samples:
    """A contiguous mono float32 copy of `samples` with every NaN and ±inf replaced by 0.0 (silence).

    A non-finite sample has no meaning as sound, and one of them would otherwise spread through every
    filter, overlap-add and loudness measurement downstream; treating it as a dropout is the least
    surprising repair.
    """
    mono = _as_mono(samples)
    return np.where(np.isfinite(mono), mono, np.float32(0.0)).astype(np.float32)


def limit(samples: Samples, sample_rate: int, ceiling: float = 1.0, *, true_peak: bool = False) -> Samples:
    """`samples` with peaks above `ceiling` brought down to it by a smooth, look-ahead gain reduction.

    Wherever a sample would exceed the ceiling the gain dips just enough to meet it, ramping down over
    the 20 ms before the peak and back up over the 20 ms after (a running minimum of the needed gain
    over +-10 ms, then a +-10 ms moving average, which provably stays at or below the needed gain at
    every sample). The gain moves at syllable speed, not within a pitch period, so a boost of +12 dB
    sounds louder and denser instead of turning into a square wave as clipping would. Audio already
    under the ceiling comes back unchanged (as a copy); NaN and ±inf are treated as silence.

    With `true_peak` the peaks are found on a 4x oversampled copy (the ITU-R BS.1770 true-peak method),
    so the peaks between samples, which a DAC or lossy encoder reconstructs, stay under the ceiling too.
    """
    if not 0.0 < ceiling <= 1.0:
        raise ValueError(f"ceiling must be in (0, 1], got {ceiling}")
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive, got {sample_rate}")
    mono = sanitize(samples)
    if len(mono) == 0:
        return mono
    peaks = np.abs(mono).astype(np.float64)
    if true_peak:
        over = np.abs(resample(mono, sample_rate, 4 * sample_rate)).astype(np.float64)
        over = np.concatenate([over, np.zeros(4 * len(mono) - len(over))]).reshape(-1, 4).max(axis=1)
        # sample i answers for the oversampled points 4i-4 .. 4i+3, which reach past half-way to both
        # neighbours, so no peak between samples goes unseen
        peaks = np.maximum.reduce([peaks, over, np.concatenate([[0.0], over[:-1]])])
    if float(np.max(peaks)) <= ceiling:
        return mono
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-30))
    half = max(1, round(sample_rate * _LIMITER_HALF_WINDOW_S))
    gain = _moving_average(_running_min(needed, half), half)
    limited = np.clip(mono * gain, -ceiling, ceiling)
    return limited.astype(np.float32)


def silence(seconds: float, rate: int) -> Samples:
    """`seconds` of digital silence at `rate` (rounded to the nearest sample)."""
    if seconds < 0 or not np.isfinite(seconds):
        raise InvalidRequest(f"a pause must last zero seconds or more, got {seconds}")
    return np.zeros(round(seconds * rate), dtype=np.float32)


_LIMITER_HALF_WINDOW_S = 0.010


def _running_min(values: npt.NDArray[np.float64], half: int) -> npt.NDArray[np.float64]:
    """The minimum of `values` over the window [i - half, i + half] at each i (van Herk/Gil-Werman).

    O(n) for any window: prefix minima forward and suffix minima backward within blocks of the window's
    width, after which every window spans one block boundary and is the smaller of two lookups. The ends
    are padded with 1.0, the neutral value for a gain that never rises above unity.
    """
    width = 2 * half + 1
    n = len(values)
    blocks = -(-(n + 2 * half) // width)
    padded = np.ones(blocks * width)
    padded[half : half + n] = values
    rows = padded.reshape(blocks, width)
    forward = np.minimum.accumulate(rows, axis=1).ravel()
    backward = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(backward[:n], forward[width - 1 : width - 1 + n])


def _moving_average(values: npt.NDArray[np.float64], half: int) -> npt.NDArray[np.float64]:
    """The mean of `values` over [i - half, i + half], the ends extended with their edge values."""
    padded = np.concatenate([np.full(half, values[0]), values, np.full(half, values[-1])])
    sums = np.concatenate([[0.0], np.cumsum(padded)])
    width = 2 * half + 1
    averaged: npt.NDArray[np.float64] = (sums[width:] - sums[:-width]) / width
    return averaged


def _as_mono(samples: Samples) -> Samples:
    """A contiguous 1-D float32 view (or copy) of `samples`; mynah's audio is mono by contract."""
    array = np.ascontiguousarray(samples, dtype=np.float32)
    if array.ndim != 1:
        raise ValueError(f"expected mono audio as a 1-D array, got shape {array.shape}")
    return array
