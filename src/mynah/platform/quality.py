"""Audio quality measured on every synthesised response while it streams (a stage of the render, after
any loudness change, so it measures what the client hears).

    leading / trailing silence   before the first and after the last voiced 10 ms frame
    longest internal silence     the longest run of silent frames between voiced ones; a <break> or
                                 inserted clip (not spoken by an engine) ends a run, so a pause the
                                 request asked for is never counted
    clipping ratio               the share of samples at full scale (|x| >= 0.999)
    peak                         dBFS
    loudness                     integrated LUFS (BS.1770, on the first 10 minutes)

Values outside `QualitySettings` are anomalies: each is counted in
`mynah_speech_audio_anomalies_total{kind, voice}` and logged (with the request id) when the response
ends.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mynah.audio.dsp import sanitize
from mynah.audio.loudness import measure_lufs
from mynah.config import QualitySettings
from mynah.types import Samples

__all__ = ["QualityMonitor", "QualityReport"]

log = logging.getLogger(__name__)
_FRAME_S = 0.01
_CLIP = 0.999
_LOUDNESS_CAP_S = 600.0


@dataclass
class QualityReport:
    voice: str
    seconds: float = 0.0
    leading_silence: float = 0.0
    trailing_silence: float = 0.0
    longest_internal_silence: float = 0.0
    clipping_ratio: float = 0.0
    peak_dbfs: float = -math.inf
    loudness_lufs: float = -math.inf
    anomalies: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        def num(value: float) -> float | None:
            return round(value, 3) if math.isfinite(value) else None

        return {
            "voice": self.voice,
            "seconds": num(self.seconds),
            "leading_silence": num(self.leading_silence),
            "trailing_silence": num(self.trailing_silence),
            "longest_internal_silence": num(self.longest_internal_silence),
            "clipping_ratio": round(self.clipping_ratio, 6),
            "peak_dbfs": num(self.peak_dbfs),
            "loudness_lufs": num(self.loudness_lufs),
            "anomalies": self.anomalies,
        }


class QualityMonitor:
    """An observing stage: returns the samples as they came, measures them on the way."""

    def __init__(
        self,
        sample_rate: int,
        voice: str,
        bounds: QualitySettings,
        report: Callable[[QualityReport], None] | None = None,
    ) -> None:
        self.rate = sample_rate
        self.bounds = bounds
        self._report = report
        self._frame = max(1, round(sample_rate * _FRAME_S))
        self._threshold = 10.0 ** (bounds.silence_threshold_db / 20.0)
        self._partial = np.zeros(0, np.float32)
        self._partial_spoken = True
        self._total = 0
        self._clipped = 0
        self._peak = 0.0
        self._kept: list[Samples] = []
        self._kept_len = 0
        self._voiced_seen = False
        self._leading = 0
        self._run = 0
        self._longest = 0
        self.result = QualityReport(voice)

    def process(self, samples: Samples, spoken: bool) -> Samples:
        mono = sanitize(samples)
        if len(mono) == 0:
            return samples
        self._total += len(mono)
        magnitude = np.abs(mono)
        self._clipped += int(np.count_nonzero(magnitude >= _CLIP))
        self._peak = max(self._peak, float(magnitude.max()))
        if self._kept_len < _LOUDNESS_CAP_S * self.rate:
            self._kept.append(mono)
            self._kept_len += len(mono)
        if not spoken:
            self._flush_partial()
            self._count_frames(np.zeros(len(mono) // self._frame, bool), spoken=False)
            return samples
        data = np.concatenate([self._partial, mono]) if len(self._partial) else mono
        whole = len(data) // self._frame * self._frame
        self._partial = data[whole:]
        if whole:
            frames = data[:whole].reshape(-1, self._frame)
            rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
            self._count_frames(rms >= self._threshold, spoken=True)
        return samples

    def _flush_partial(self) -> None:
        if len(self._partial):
            rms = float(np.sqrt(np.mean(self._partial.astype(np.float64) ** 2)))
            self._count_frames(np.array([rms >= self._threshold]), spoken=True)
            self._partial = np.zeros(0, np.float32)

    def _count_frames(self, voiced: np.ndarray, *, spoken: bool) -> None:
        if not spoken:  # an asked-for pause: ends a run of silence, counts for nothing
            if self._voiced_seen:
                self._run = 0
            return
        where = np.flatnonzero(voiced)
        if len(where) == 0:
            if self._voiced_seen:
                self._run += len(voiced)
            else:
                self._leading += len(voiced)
            return
        first, last = int(where[0]), int(where[-1])
        if self._voiced_seen:
            self._longest = max(self._longest, self._run + first)
        else:
            self._leading += first
        if len(where) > 1:
            self._longest = max(self._longest, int((np.diff(where) - 1).max()))
        self._voiced_seen = True
        self._run = len(voiced) - 1 - last

    def finish(self) -> Samples:
        self._flush_partial()
        frame = self._frame / self.rate
        r = self.result
        r.seconds = self._total / self.rate
        if self._voiced_seen:
            r.leading_silence = self._leading * frame
            r.trailing_silence = self._run * frame
            r.longest_internal_silence = self._longest * frame
        else:
            r.leading_silence = r.seconds
        r.clipping_ratio = self._clipped / self._total if self._total else 0.0
        r.peak_dbfs = 20.0 * math.log10(self._peak) if self._peak > 0 else -math.inf
        if self._kept:
            r.loudness_lufs = measure_lufs(np.concatenate(self._kept), self.rate)
        self._kept = []
        b = self.bounds
        checks = [
            ("leading_silence", r.leading_silence > b.max_leading_silence),
            ("trailing_silence", self._voiced_seen and r.trailing_silence > b.max_trailing_silence),
            ("internal_silence", r.longest_internal_silence > b.max_internal_silence),
            ("clipping", r.clipping_ratio > b.max_clipping_ratio),
            ("too_quiet", self._voiced_seen and r.loudness_lufs < b.min_loudness),
            ("too_loud", r.loudness_lufs > b.max_loudness),
        ]
        r.anomalies = [kind for kind, bad in checks if bad]
        if self._report is not None:
            self._report(r)
        return np.zeros(0, np.float32)
