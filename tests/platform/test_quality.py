"""The quality monitor's measurements on signals whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from mynah.config import QualitySettings
from mynah.platform.quality import QualityMonitor, QualityReport

RATE = 16000


def _tone(seconds: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def _quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


def _measure(chunks: list[tuple[np.ndarray, bool]]) -> QualityReport:
    reports: list[QualityReport] = []
    monitor = QualityMonitor(RATE, "test:voice", QualitySettings(), reports.append)
    for samples, spoken in chunks:
        assert monitor.process(samples, spoken) is samples, "the monitor only looks"
    monitor.finish()
    (report,) = reports
    return report


def test_silences_are_measured_where_they_are() -> None:
    speech = np.concatenate([_quiet(0.2), _tone(1.0), _quiet(0.5), _tone(1.0), _quiet(0.3)])
    report = _measure([(speech[:7001], True), (speech[7001:], True)])  # split mid-frame
    assert report.leading_silence == pytest.approx(0.2, abs=0.02)
    assert report.longest_internal_silence == pytest.approx(0.5, abs=0.02)
    assert report.trailing_silence == pytest.approx(0.3, abs=0.02)
    assert report.seconds == pytest.approx(3.0, abs=0.001)
    assert report.anomalies == []


def test_an_asked_for_pause_is_no_anomaly_and_a_gap_in_speech_is() -> None:
    asked = _measure([(_tone(1.0), True), (_quiet(3.0), False), (_tone(1.0), True)])
    assert asked.longest_internal_silence < 0.05
    assert asked.anomalies == []
    gap = _measure([(np.concatenate([_tone(1.0), _quiet(2.0), _tone(1.0)]), True)])
    assert gap.longest_internal_silence == pytest.approx(2.0, abs=0.02)
    assert gap.anomalies == ["internal_silence"]


def test_clipping_peak_and_loudness() -> None:
    loud = np.clip(_tone(2.0, amplitude=4.0), -1.0, 1.0)
    report = _measure([(loud, True)])
    assert report.clipping_ratio > 0.5
    assert report.peak_dbfs == pytest.approx(0.0, abs=0.01)
    assert "clipping" in report.anomalies and "too_loud" in report.anomalies
    quiet = _measure([(_tone(2.0, amplitude=0.01), True)])
    assert "too_quiet" in quiet.anomalies
    assert quiet.loudness_lufs < -40
    silent = _measure([(_quiet(2.0), True)])
    assert silent.anomalies == ["leading_silence"]


@pytest.mark.parametrize("seconds", [0.25, 1.0, 7.3])
def test_running_loudness_agrees_with_the_whole_clip_measurement(seconds: float) -> None:
    from mynah.audio.loudness import measure_lufs
    from mynah.platform.quality import RunningLufs

    noise = np.random.default_rng(7).normal(0, 0.1, int(seconds * RATE)).astype(np.float32)
    speechlike = noise * (0.2 + np.abs(np.sin(np.arange(len(noise)) / RATE * 3.0))).astype(np.float32)
    meter = RunningLufs(RATE)
    for start in range(0, len(speechlike), 3331):  # pieces that do not line up with 100 ms steps
        meter.add(speechlike[start : start + 3331])
    assert meter.lufs() == pytest.approx(measure_lufs(speechlike, RATE), abs=0.1)
