"""Audio quality measured on every synthesised response while it streams (a stage of the render, after
any loudness change, so it measures what the client hears).

    leading / trailing silence   before the first and after the last voiced 10 ms frame
    longest internal silence     the longest run of silent frames between voiced ones; a <break> or
                                 inserted clip (not spoken by an engine) ends a run, so a pause the
                                 request asked for is never counted
    clipping ratio               the share of samples at full scale (|x| >= 0.999)
    peak                         dBFS
    loudness                     integrated LUFS (BS.1770), kept up as the audio passes (`RunningLufs`)

Values outside `QualitySettings` are anomalies: each is counted in
`mynah_speech_audio_anomalies_total{kind, voice}` and logged (with the request id) when the response
ends.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from mynah.audio.dsp import sanitize
from mynah.config import QualitySettings
from mynah.types import Samples

__all__ = ["QualityMonitor", "QualityReport", "RunningLufs"]

log = logging.getLogger(__name__)
_FRAME_S = 0.01
_CLIP = 0.999
_BLOCK_S = 5.0
"""Seconds of audio gathered before a block is measured (and the most a monitor holds)."""


@lru_cache(maxsize=64)
def _k_power(rate: int, length: int) -> np.ndarray:
    """|H|^2 of BS.1770's two K-weighting stages (as pyloudnorm designs them) at the rfft bins of a
    `length`-sample frame, with the rfft's one-sided weights (Parseval) folded in."""
    import pyloudnorm
    from scipy.signal import freqz

    freqs = np.fft.rfftfreq(length, 1.0 / rate)
    power = np.ones(len(freqs))
    for stage in pyloudnorm.Meter(rate)._filters.values():
        _, response = freqz(stage.b, stage.a, worN=freqs, fs=rate)
        power *= np.abs(response * stage.passband_gain) ** 2
    weights = np.full(len(freqs), 2.0)
    weights[0] = 1.0
    if length % 2 == 0:
        weights[-1] = 1.0
    result: np.ndarray = power * weights / length
    return result


class RunningLufs:
    """Integrated loudness (BS.1770: K-weighted, 400 ms blocks with 75 % overlap, -70 LUFS absolute
    and -10 LU relative gates) of audio that arrives in pieces, at a small cost per piece: the
    K-weighted energy of each 100 ms step is taken in the frequency domain (the step's spectrum times
    the filters' response, by Parseval) instead of running the IIR filters sample by sample, so the
    answer at the end is a sum over steps, whatever the length. It agrees with the time-domain
    measurement (`mynah.audio.loudness.measure_lufs`) to about 0.1 LU on speech. A clip shorter than
    one block is measured as one block of its own length, as `measure_lufs` does."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._step = max(1, round(rate * 0.1))
        self._steps: list[float] = []
        self._pending = np.zeros(0, np.float32)

    def add(self, samples: np.ndarray) -> None:
        data = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        whole = len(data) // self._step
        if whole:
            frames = data[: whole * self._step].reshape(whole, self._step)
            spectra = np.fft.rfft(frames, axis=1)
            energy = (spectra.real**2 + spectra.imag**2) @ _k_power(self.rate, self._step)
            self._steps.extend(energy.tolist())
        self._pending = np.array(data[whole * self._step :], dtype=np.float32)

    def _tail(self) -> float:
        if not len(self._pending):
            return 0.0
        spectrum = np.fft.rfft(self._pending)
        return float((spectrum.real**2 + spectrum.imag**2) @ _k_power(self.rate, len(self._pending)))

    def lufs(self) -> float:
        steps = np.array(self._steps)
        if len(steps) < 4:  # shorter than one block: one block of its own length
            total = float(steps.sum()) + self._tail()
            length = len(steps) * self._step + len(self._pending)
            if length == 0 or total <= 0:
                return -math.inf
            short = -0.691 + 10.0 * math.log10(total / length)
            return short if short >= -70.0 else -math.inf
        blocks = np.convolve(steps, np.ones(4), mode="valid") / (4 * self._step)
        with np.errstate(divide="ignore"):
            loudness = -0.691 + 10.0 * np.log10(blocks)
        gated = blocks[loudness >= -70.0]
        if not len(gated):
            return -math.inf
        relative = -0.691 + 10.0 * math.log10(float(gated.mean())) - 10.0
        final = blocks[(loudness >= -70.0) & (loudness >= relative)]
        return -0.691 + 10.0 * math.log10(float(final.mean()))


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
    """An observing stage: returns the samples as they came, measures them on the way.

    The chunks are gathered (a copy each) and measured a block at a time, every `_BLOCK_S` seconds
    of audio and at the end: a few vectorised passes over a block instead of a dozen numpy calls per
    chunk. With `defer` (the platform's: one worker thread, in order) the measuring runs there, so
    the response's chunks, its last one too, leave without waiting for it; without, it runs here."""

    def __init__(
        self,
        sample_rate: int,
        voice: str,
        bounds: QualitySettings,
        report: Callable[[QualityReport], None] | None = None,
        defer: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.rate = sample_rate
        self.bounds = bounds
        self._report = report
        self._defer = defer
        self._block: list[tuple[np.ndarray, bool]] = []
        self._block_samples = 0
        self._frame = max(1, round(sample_rate * _FRAME_S))
        self._threshold = 10.0 ** (bounds.silence_threshold_db / 20.0)
        self._partial = np.zeros(0, np.float32)
        self._partial_spoken = True
        self._total = 0
        self._clipped = 0
        self._peak = 0.0
        self._loudness = RunningLufs(sample_rate)
        self._voiced_seen = False
        self._leading = 0
        self._run = 0
        self._longest = 0
        self.result = QualityReport(voice)

    def process(self, samples: Samples, spoken: bool) -> Samples:
        if len(samples) == 0:
            return samples
        self._block.append((np.array(samples, dtype=np.float32), spoken))
        self._block_samples += len(samples)
        if self._block_samples >= self.rate * _BLOCK_S:
            self._hand_on(functools.partial(self._measure_block, self._take_block()))
        return samples

    def finish(self) -> Samples:
        self._hand_on(functools.partial(self._complete, self._take_block()))
        return np.zeros(0, np.float32)

    def _take_block(self) -> list[tuple[np.ndarray, bool]]:
        block, self._block, self._block_samples = self._block, [], 0
        return block

    def _hand_on(self, work: Callable[[], None]) -> None:
        if self._defer is None:
            work()
        else:
            self._defer(work)

    def _measure_block(self, block: list[tuple[np.ndarray, bool]]) -> None:
        """Consecutive chunks of one kind (spoken or not) measured as one array."""
        start = 0
        for end in range(1, len(block) + 1):
            if end == len(block) or block[end][1] != block[start][1]:
                pieces = [samples for samples, _ in block[start:end]]
                self._measure(np.concatenate(pieces) if len(pieces) > 1 else pieces[0], block[start][1])
                start = end

    def _measure(self, samples: Samples, spoken: bool) -> None:
        mono = sanitize(samples)
        if len(mono) == 0:
            return
        self._total += len(mono)
        magnitude = np.abs(mono)
        self._clipped += int(np.count_nonzero(magnitude >= _CLIP))
        self._peak = max(self._peak, float(magnitude.max()))
        self._loudness.add(mono)
        if not spoken:
            self._flush_partial()
            self._count_frames(np.zeros(len(mono) // self._frame, bool), spoken=False)
            return
        data = np.concatenate([self._partial, mono]) if len(self._partial) else mono
        whole = len(data) // self._frame * self._frame
        self._partial = data[whole:]
        if whole:
            frames = data[:whole].reshape(-1, self._frame)
            rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
            self._count_frames(rms >= self._threshold, spoken=True)

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

    def _complete(self, block: list[tuple[np.ndarray, bool]]) -> None:
        self._measure_block(block)
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
        r.loudness_lufs = self._loudness.lufs()
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
