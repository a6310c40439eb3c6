"""Loudness in LUFS (ITU-R BS.1770 / EBU R 128), measured with pyloudnorm, and normalisation to a target.

Voices from different engines, and sentences from one engine, come out at different levels; normalising
every response to one integrated loudness (-16 LUFS by default, the usual target for speech on the web
and in podcasts; -23 LUFS is the EBU R 128 broadcast target) makes them sound alike.

    measure_lufs         integrated loudness of a clip, -inf for silence
    loudness_normalize   gain to a target loudness, true peak held under a ceiling by a limiter

BS.1770 measures loudness over 400 ms gating blocks, so a clip shorter than one block has no integrated
loudness by the letter of the standard. Here such a clip is measured as a single block of its own
length: the same K-weighted mean square and the same -70 LUFS absolute gate, only no relative gating
(which needs several blocks to compare). Padding to 400 ms with silence instead would read low by
10 * log10(400 ms / duration) and could push a quiet clip under the absolute gate.

pyloudnorm (and SciPy under it) is imported on first use.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mynah.audio.dsp import limit, sanitize
from mynah.errors import EngineUnavailable, InvalidRequest
from mynah.types import Samples

__all__ = ["loudness_normalize", "measure_lufs"]

_BLOCK_S = 0.4  # BS.1770 gating block
_MAX_PASSES = 6  # limiter passes while closing in on the target
_TOLERANCE_LU = 0.05


def measure_lufs(samples: Samples, sample_rate: int) -> float:
    """The integrated loudness of `samples` in LUFS (BS.1770-4, K-weighted and gated).

    Silence, audio under the -70 LUFS absolute gate, and an empty clip all measure -inf. Clips shorter
    than a 400 ms block are measured as one block of their own length (see the module docstring).
    """
    if sample_rate <= 0:
        raise InvalidRequest(f"sample rate must be positive, got {sample_rate}")
    return _measure(sanitize(samples), sample_rate)


def loudness_normalize(
    samples: Samples, sample_rate: int, target_lufs: float = -16.0, *, peak_db: float = -1.0
) -> Samples:
    """`samples` brought to an integrated loudness of `target_lufs`, with true peaks under `peak_db` dBFS.

    The whole clip gets one gain, target minus measured loudness. Where that gain would push the true
    peak (4x oversampled, as BS.1770 defines it) over `peak_db`, `mynah.audio.dsp.limit` pulls the peaks
    down with smooth 20 ms gain ramps instead of lowering the whole clip, which would miss the target;
    as limiting costs a little loudness, the gain is re-measured and corrected (secant steps, at most six
    passes), which lands within 0.05 LU of the target for speech unless reaching it would take extreme
    limiting, when it lands under it. The sample peak is under `peak_db` too, always.

    Silence (-inf LUFS) comes back unchanged. `target_lufs` must lie in [-70, 0] and `peak_db` in
    [-20, 0]. NaN and ±inf samples are treated as silence.
    """
    if not -70.0 <= target_lufs <= 0.0:
        raise InvalidRequest(f"target loudness must be between -70 and 0 LUFS, got {target_lufs}")
    if not -20.0 <= peak_db <= 0.0:
        raise InvalidRequest(f"peak ceiling must be between -20 and 0 dBFS, got {peak_db}")
    if sample_rate <= 0:
        raise InvalidRequest(f"sample rate must be positive, got {sample_rate}")
    mono = sanitize(samples)
    measured = _measure(mono, sample_rate)
    if not math.isfinite(measured):
        return mono
    ceiling = 10.0 ** (peak_db / 20.0)
    source = mono.astype(np.float64)
    gain_db = target_lufs - measured
    last: tuple[float, float] | None = None  # (gain, loudness) of the previous pass
    for _ in range(_MAX_PASSES):
        louder = (source * 10.0 ** (gain_db / 20.0)).astype(np.float32)
        result = limit(louder, sample_rate, ceiling, true_peak=True)
        if np.array_equal(result, louder):
            break  # nothing was limited, so the loudness is on target by construction
        loudness = _measure(result, sample_rate)
        error = target_lufs - loudness
        if abs(error) < _TOLERANCE_LU:
            break
        # Under limiting a dB of gain buys less than a dB of loudness; the secant through the last two
        # passes says how much less, so heavy limiting converges in a few passes instead of creeping up.
        slope = 1.0
        if last is not None and gain_db != last[0]:
            slope = min(1.0, max(0.1, (loudness - last[1]) / (gain_db - last[0])))
        last = (gain_db, loudness)
        gain_db += error / slope
    return result


def _measure(mono: Samples, sample_rate: int) -> float:
    if not np.any(mono):
        return -math.inf
    block = _BLOCK_S
    data = mono.astype(np.float64)
    if len(mono) < _BLOCK_S * sample_rate:
        # one block exactly the clip's length; pyloudnorm wants the clip longer than its block, and a
        # trailing zero sample does that without changing the block (its own block falls under the gate)
        block = len(mono) / sample_rate
        data = np.concatenate([data, [0.0]])
    meter = _meter(sample_rate, block, overlap=0.0 if block < _BLOCK_S else 0.75)
    return float(meter.integrated_loudness(data))


def _meter(sample_rate: int, block: float, *, overlap: float) -> Any:
    try:
        import pyloudnorm
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise EngineUnavailable("loudness measurement needs pyloudnorm: pip install pyloudnorm") from exc
    return pyloudnorm.Meter(sample_rate, block_size=block, overlap=overlap)
