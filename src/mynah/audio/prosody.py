"""Rate, pitch and volume changes applied after synthesis, for whatever an engine cannot do natively.

SSML `<prosody rate pitch volume>`, `<emphasis>` and OpenAI's `speed` have to work on every engine; an
engine that cannot honour one of them natively hands its audio here.

    time_stretch   duration x 1/rate, pitch kept (WSOLA)
    pitch_shift    pitch x factor, duration kept (WSOLA, then resampling)
    apply_gain     volume in dB, peaks held under full scale by a smooth limiter rather than clipped
    apply_prosody  all three in one pass, skipping those that would do nothing
    fade           short linear fade in/out, for joining pieces without clicks

WSOLA (waveform-similarity overlap-add, Verhelst & Roelands 1993) cuts the input into 25 ms frames,
Hann-windowed, and lays them down every 12.5 ms in the output while reading them every 12.5 ms x rate
in the input. Each frame is not taken exactly at its nominal input position but anywhere within +-12 ms
of it, wherever its waveform best continues the frame before (highest normalised cross-correlation
with the input that followed the previous frame), so the overlap-add joins pitch periods in phase
instead of smearing them: speech keeps its pitch and timbre, with the usual WSOLA artefacts only at
extreme rates (a slight stutter of plosives when slowed below about 0.5x, skipped short sounds above
about 2.5x). A frame has to follow the one before, so frames are placed one by one; each search is a
single vectorised correlation over the whole tolerance window.

All functions take mono float32 in [-1, 1] at any sample rate and return a new float32 array; NaN and
±inf samples are treated as silence (see `mynah.audio.dsp.sanitize`). Out-of-range parameters raise
`mynah.errors.InvalidRequest`.
"""

from __future__ import annotations

import math

import numpy as np

from mynah.audio.dsp import limit, resample, sanitize
from mynah.errors import InvalidRequest
from mynah.types import Samples

__all__ = ["MAX_FACTOR", "MIN_FACTOR", "apply_gain", "apply_prosody", "fade", "pitch_shift", "time_stretch"]

MIN_FACTOR = 0.25
"""The smallest rate and pitch factor accepted: a quarter speed, two octaves down."""
MAX_FACTOR = 4.0
"""The largest rate and pitch factor accepted: four times the speed, two octaves up."""

_FRAME_S = 0.025
_TOLERANCE_S = 0.012


def time_stretch(samples: Samples, sample_rate: int, rate: float) -> Samples:
    """`samples` played `rate` times as fast without changing pitch: rate 2.0 gives half the duration.

    The result has exactly `round(len(samples) / rate)` samples. `rate` must lie in [0.25, 4]; at 1.0
    the input comes back unchanged (as a sanitised copy). Input shorter than one 25 ms frame holds no
    pitch period to preserve and is stretched by linear interpolation instead.
    """
    _check_factor("rate", rate)
    _check_rate(sample_rate)
    mono = sanitize(samples)
    if rate == 1.0:
        return mono
    return _stretch(mono, sample_rate, round(len(mono) / rate))


def pitch_shift(samples: Samples, sample_rate: int, factor: float) -> Samples:
    """`samples` with every frequency multiplied by `factor` and the duration kept: 2.0 is an octave up.

    Time-stretched to `factor` times the length, then resampled back to the original length, so the
    result has exactly `len(samples)` samples. `factor` must lie in [0.25, 4].
    """
    return apply_prosody(samples, sample_rate, pitch=factor)


def apply_gain(samples: Samples, db: float, *, sample_rate: int = 24000) -> Samples:
    """`samples` made `db` decibels louder (negative: quieter); -inf dB gives silence.

    Where the boost would push peaks over full scale, `mynah.audio.dsp.limit` lowers the gain smoothly
    around them (20 ms ramps) instead of clipping, so the result never exceeds 1.0 and a +12 dB boost
    does not square the waveform off; `sample_rate` only sizes those ramps. Audio that stays under full
    scale is scaled exactly.
    """
    if math.isnan(db) or db == math.inf:
        raise InvalidRequest(f"volume must be a finite number of decibels or -inf, got {db}")
    _check_rate(sample_rate)
    mono = sanitize(samples)
    if db == -math.inf:
        return np.zeros_like(mono)
    if db == 0.0:
        return mono
    louder = (mono.astype(np.float64) * 10.0 ** (db / 20.0)).astype(np.float32)
    return limit(louder, sample_rate)


def apply_prosody(
    samples: Samples, sample_rate: int, *, rate: float = 1.0, pitch: float = 1.0, volume_db: float = 0.0
) -> Samples:
    """`samples` sped up by `rate` (pitch kept), pitched by factor `pitch` and made `volume_db` louder.

    Every parameter is checked before any work starts. Rate and pitch are done together in one WSOLA
    pass (stretch to `pitch / rate` times the length, then resample by `1 / pitch`), so combining them
    costs and degrades no more than either alone; parameters at their neutral value are skipped. The
    result has `round(len(samples) / rate)` samples.
    """
    _check_factor("rate", rate)
    _check_factor("pitch", pitch)
    if math.isnan(volume_db) or volume_db == math.inf:
        raise InvalidRequest(f"volume must be a finite number of decibels or -inf, got {volume_db}")
    _check_rate(sample_rate)
    mono = sanitize(samples)
    target = round(len(mono) / rate)
    if pitch != 1.0 and len(mono) > 0:
        # Resampling from `source_rate` to `sample_rate` scales every frequency by `source_rate /
        # sample_rate`; an integer rate is what libswresample takes, which puts the factor within
        # 1 / (pitch * sample_rate) of the one asked for - far below what an ear can tell.
        source_rate = max(1, round(sample_rate * pitch))
        stretched = _stretch(mono, sample_rate, max(1, round(target * source_rate / sample_rate)))
        mono = _fit(resample(stretched, source_rate, sample_rate), target)
    elif rate != 1.0:
        mono = _stretch(mono, sample_rate, target)
    if volume_db != 0.0:
        mono = apply_gain(mono, volume_db, sample_rate=sample_rate)
    return mono


def fade(
    samples: Samples, sample_rate: int, ms: float = 5.0, *, fade_in: bool = True, fade_out: bool = True
) -> Samples:
    """`samples` with a linear fade of `ms` milliseconds at the start (from 0) and/or the end (to 0).

    Each fade is at most half the clip, so fading both ends of a short clip never overlaps. Joining
    pieces of synthesised speech, a 5 ms fade removes the click of a waveform cut mid-cycle while
    staying far shorter than any phoneme.
    """
    if not ms >= 0.0 or math.isinf(ms):
        raise InvalidRequest(f"a fade must last zero milliseconds or more, got {ms}")
    _check_rate(sample_rate)
    mono = sanitize(samples)
    width = min(round(ms * sample_rate / 1000.0), len(mono) // 2)
    if width == 0:
        return mono
    ramp = np.arange(width, dtype=np.float32) / np.float32(width)
    if fade_in:
        mono[:width] *= ramp
    if fade_out:
        mono[-width:] *= ramp[::-1]
    return mono


def _stretch(mono: Samples, sample_rate: int, length: int) -> Samples:
    """`mono` (finite) time-stretched by WSOLA to exactly `length` samples, pitch unchanged."""
    frame = 2 * max(1, round(_FRAME_S * sample_rate / 2))
    if length == 0 or len(mono) == 0:
        return np.zeros(length, dtype=np.float32)
    if len(mono) < frame:
        positions = np.linspace(0.0, len(mono) - 1.0, length) if length > 1 else np.zeros(length)
        return np.interp(positions, np.arange(len(mono)), mono).astype(np.float32)
    # WSOLA picks frame positions by normalised correlation, which does not depend on the level: work
    # at unit peak so any finite input, however large, stays clear of float32 overflow.
    peak = float(np.max(np.abs(mono)))
    if peak == 0.0:
        return np.zeros(length, dtype=np.float32)
    out = _wsola(
        mono / np.float32(peak), len(mono) / length, frame, round(_TOLERANCE_S * sample_rate), length
    )
    return (out * peak).astype(np.float32)


def _wsola(x: Samples, rate: float, frame: int, tolerance: int, length: int) -> Samples:
    """WSOLA: `x` (peak 1, at least one frame long) read `rate` times as fast, as `length` samples.

    Output frame k is laid down at k * hop (hop = frame / 2) and taken from the input at
    k * hop * rate + delta, the delta in [-tolerance, tolerance] whose frame correlates best with the
    natural continuation of frame k - 1 (the input just after it, `hop` further on). Both signals are
    centred: frame 0 covers x[-hop, hop) and lands on y[-hop, hop), so the buffers are offset by `hop`.
    Every later frame lies wholly inside the input (a search window crossing an end is slid back inside),
    so the ends of the output are made of signal, never of a frame half full of padding.
    """
    hop = frame // 2
    count = math.ceil(length / hop) + 1
    centres = np.round(np.arange(count) * (hop * rate)).astype(np.int64)  # nominal starts, in xp

    xp = np.zeros(hop + len(x) + hop, dtype=np.float32)  # xp[i] = x[i - hop]
    xp[hop : hop + len(x)] = x
    first, last = hop, len(x) + hop - frame  # the frame starts that lie wholly inside x
    energy = np.concatenate([[0.0], np.cumsum(np.square(xp, dtype=np.float64))])
    window = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(frame) / frame)).astype(np.float32)

    out = np.zeros((count - 1) * hop + frame, dtype=np.float32)
    out[:frame] += window * xp[:frame]
    start = 0
    for k in range(1, count):
        centre = int(centres[k])
        # the search window, slid (not cut) to lie inside the input where it would cross an end
        low = min(max(centre - tolerance, first), max(first, last - 2 * tolerance))
        high = min(low + 2 * tolerance, last)
        follow = xp[start + hop : start + hop + frame]
        corr = np.correlate(xp[low : high + frame], follow, mode="valid")
        norms = energy[low + frame : high + frame + 1] - energy[low : high + 1]
        score = corr / np.sqrt(np.maximum(norms, 0.0) + 1e-12)
        best = int(np.argmax(score))
        # in silence nothing correlates; stay on the nominal position rather than drift to one edge
        start = low + best if score[best] > 0.0 else min(max(centre, low), high)
        out[k * hop : k * hop + frame] += window * xp[start : start + frame]
    # a periodic Hann window at 50 % overlap sums to exactly 1, so no normalisation is needed
    return out[hop : hop + length]


def _fit(samples: Samples, length: int) -> Samples:
    """`samples` cut or zero-padded to exactly `length` (resampling can land a sample off)."""
    if len(samples) >= length:
        return np.ascontiguousarray(samples[:length])
    return np.concatenate([samples, np.zeros(length - len(samples), dtype=np.float32)])


def _check_factor(name: str, value: float) -> None:
    if not MIN_FACTOR <= value <= MAX_FACTOR:
        raise InvalidRequest(f"{name} must be between {MIN_FACTOR} and {MAX_FACTOR}, got {value}")


def _check_rate(sample_rate: int) -> None:
    if sample_rate <= 0:
        raise InvalidRequest(f"sample rate must be positive, got {sample_rate}")
