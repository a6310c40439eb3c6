"""Small sample-level helpers on mynah's audio: mono float32 numpy in [-1, 1].

Resampling goes through libswresample (via PyAV), the same code that converts rates while decoding and
encoding, so a signal resampled here and one resampled inside the decoder come out alike.
"""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt

from mynah.engines.base import Samples
from mynah.errors import InvalidRequest


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


def silence(seconds: float, rate: int) -> Samples:
    """`seconds` of digital silence at `rate` (rounded to the nearest sample)."""
    if seconds < 0 or not np.isfinite(seconds):
        raise InvalidRequest(f"a pause must last zero seconds or more, got {seconds}")
    return np.zeros(round(seconds * rate), dtype=np.float32)


def _as_mono(samples: Samples) -> Samples:
    """A contiguous 1-D float32 view (or copy) of `samples`; mynah's audio is mono by contract."""
    array = np.ascontiguousarray(samples, dtype=np.float32)
    if array.ndim != 1:
        raise ValueError(f"expected mono audio as a 1-D array, got shape {array.shape}")
    return array
