"""Loudness on request, as sample stages between synthesis and encoding (see `mynah.tts.render`).

    WholeLoudness(rate, -16)     exact: holds the whole response, then `loudness_normalize` (one gain
                                 to the target, true peaks under the ceiling): for files and jobs
    RunningLoudness(rate, -16)   streaming: each sentence leaves as soon as it is made, with a gain
                                 from the loudness of the speech so far (the last 30 s), gliding over
                                 20 ms from the previous gain, and a true-peak limiter

An engine hands over a sentence at a time, so the running gain is set from the first sentence itself
before any of it leaves: the stream is on target within its first sentence, and follows the voice as
it goes. Breaks and inserted clips (not `spoken`) take the gain in force without moving it.
"""

from __future__ import annotations

import math

import numpy as np

from mynah.audio.dsp import limit, sanitize
from mynah.audio.loudness import loudness_normalize, measure_lufs
from mynah.errors import InvalidRequest
from mynah.types import Samples

__all__ = ["RunningLoudness", "WholeLoudness", "check_target"]

_RAMP_S = 0.02
_WINDOW_S = 30.0
_MAX_GAIN_DB = 30.0


def check_target(target: float, *, param: str = "loudness") -> float:
    if not (isinstance(target, int | float) and math.isfinite(target) and -70.0 <= target <= -5.0):
        raise InvalidRequest(
            f"loudness is a target in LUFS between -70 and -5 (-16 for podcasts, -23 for broadcast), got {target}",
            param=param,
        )
    return float(target)


class WholeLoudness:
    def __init__(self, sample_rate: int, target: float, *, peak_db: float = -1.0) -> None:
        self.rate = sample_rate
        self.target = check_target(target)
        self.peak_db = peak_db
        self._held: list[Samples] = []

    def process(self, samples: Samples, spoken: bool) -> Samples:
        self._held.append(sanitize(samples))
        return np.zeros(0, np.float32)

    def finish(self) -> Samples:
        if not self._held:
            return np.zeros(0, np.float32)
        whole = np.concatenate(self._held)
        self._held = []
        return loudness_normalize(whole, self.rate, self.target, peak_db=self.peak_db)


class RunningLoudness:
    def __init__(self, sample_rate: int, target: float, *, peak_db: float = -1.0) -> None:
        self.rate = sample_rate
        self.target = check_target(target)
        self.ceiling = 10.0 ** (peak_db / 20.0)
        self._history: list[Samples] = []
        self._history_len = 0
        self._gain_db: float | None = None

    def process(self, samples: Samples, spoken: bool) -> Samples:
        mono = sanitize(samples)
        if len(mono) == 0:
            return mono
        if spoken and np.any(mono):
            wanted = self._wanted(mono)
        else:
            wanted = self._gain_db if self._gain_db is not None else 0.0
        if self._gain_db is None and spoken and np.any(mono):
            # the first sentence: exactly on target (the limiter's loss made good), as a file would be
            self._gain_db = wanted
            return loudness_normalize(mono, self.rate, self.target, peak_db=20.0 * math.log10(self.ceiling))
        start = self._gain_db if self._gain_db is not None else wanted
        gain = np.full(len(mono), 10.0 ** (wanted / 20.0))
        ramp = min(len(mono), max(1, round(self.rate * _RAMP_S)))
        if start != wanted:
            gain[:ramp] = 10.0 ** (np.linspace(start, wanted, ramp) / 20.0)
        self._gain_db = wanted
        return limit((mono * gain).astype(np.float32), self.rate, self.ceiling, true_peak=True)

    def finish(self) -> Samples:
        return np.zeros(0, np.float32)

    def _wanted(self, mono: Samples) -> float:
        self._history.append(mono)
        self._history_len += len(mono)
        while len(self._history) > 1 and self._history_len - len(self._history[0]) >= _WINDOW_S * self.rate:
            self._history_len -= len(self._history.pop(0))
        measured = measure_lufs(np.concatenate(self._history), self.rate)
        if not math.isfinite(measured):
            return self._gain_db if self._gain_db is not None else 0.0
        return max(-_MAX_GAIN_DB, min(_MAX_GAIN_DB, self.target - measured))
