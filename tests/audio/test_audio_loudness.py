"""Loudness measurement and normalisation on real speech, checked against pyloudnorm itself."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.audio.decode import decode_audio
from mynah.audio.dsp import resample
from mynah.audio.loudness import loudness_normalize, measure_lufs
from mynah.errors import InvalidRequest
from mynah.types import Samples

RATE = 16000


def reference_lufs(x: Samples, rate: int = RATE) -> float:
    """Integrated loudness straight from pyloudnorm, the BS.1770 meter the tests hold mynah to."""
    return float(pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64)))


def dbfs(value: float) -> float:
    return 20 * math.log10(value)


def true_peak_db(x: Samples, rate: int = RATE) -> float:
    return dbfs(float(np.max(np.abs(resample(x, rate, 4 * rate)))))


def tone(freq: float, n: int, amplitude: float, rate: int = RATE) -> Samples:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


@pytest.fixture(scope="module", params=["jfk.flac", "ljspeech/LJ001-0001.flac", "goforward.wav"])
def speech(request: pytest.FixtureRequest, speech_dir: Path) -> Samples:
    return decode_audio(speech_dir / request.param, RATE)


def test_measure_lufs_agrees_with_pyloudnorm(speech: Samples) -> None:
    assert measure_lufs(speech, RATE) == pytest.approx(reference_lufs(speech), abs=1e-6)


@pytest.mark.parametrize("target", [-16.0, -23.0])
def test_loudness_normalize_hits_the_target_under_the_peak_ceiling(speech: Samples, target: float) -> None:
    y = loudness_normalize(speech, RATE, target)
    assert y.dtype == np.float32 and len(y) == len(speech)
    assert reference_lufs(y) == pytest.approx(target, abs=0.5)
    assert dbfs(float(np.max(np.abs(y)))) <= -1.0
    assert true_peak_db(y) <= -0.9


def test_loudness_normalize_limits_instead_of_missing_the_target(speech: Samples) -> None:
    # -12 LUFS with -1 dBTP needs several dB of limiting on speech; turning the whole clip down to
    # fit the peaks would land 5-10 LU short
    y = loudness_normalize(speech, RATE, -12.0)
    assert reference_lufs(y) == pytest.approx(-12.0, abs=0.5)
    assert dbfs(float(np.max(np.abs(y)))) <= -1.0


def test_an_impossible_target_lands_under_it_within_the_ceiling(speech_dir: Path) -> None:
    # -3 LUFS under a -6 dBFS ceiling would leave speech no peaks at all; the limiter gets as close as
    # its 20 ms ramps allow, well above what turning the clip down to fit its peaks would reach
    x = decode_audio(speech_dir / "ljspeech/LJ001-0001.flac", RATE)
    fitted = reference_lufs(x * np.float32(10 ** (-6 / 20) / np.max(np.abs(x))))
    y = loudness_normalize(x, RATE, -3.0, peak_db=-6.0)
    assert fitted + 5.0 < reference_lufs(y) < -3.0
    assert dbfs(float(np.max(np.abs(y)))) <= -6.0


def test_the_peak_ceiling_is_honoured_at_any_level(speech_dir: Path) -> None:
    x = decode_audio(speech_dir / "jfk.flac", RATE)
    y = loudness_normalize(x, RATE, -20.0, peak_db=-10.0)
    assert dbfs(float(np.max(np.abs(y)))) <= -10.0
    assert true_peak_db(y) <= -9.9


def test_silence_comes_back_unchanged() -> None:
    for x in (np.zeros(RATE, np.float32), np.zeros(0, np.float32), np.full(RATE, 1e-6, np.float32)):
        assert measure_lufs(x, RATE) == -math.inf
        y = loudness_normalize(x, RATE)
        assert y is not x and np.array_equal(x, y)


def test_short_clips_are_measured_as_one_block_of_their_own_length() -> None:
    # a steady tone has the same loudness over any stretch of it, so a clip under the 400 ms block
    # must read like the whole second does, and there must be no jump at the block length
    x = tone(1000.0, RATE, 0.1)
    full = measure_lufs(x, RATE)
    for n in (1600, 800, 6399, 6400, 6401):
        assert measure_lufs(x[:n], RATE) == pytest.approx(full, abs=0.1)
    for n in (1, 2, 9, 100):
        assert math.isfinite(measure_lufs(x[1 : n + 1], RATE))


def test_a_100_ms_clip_is_normalised(speech_dir: Path) -> None:
    clip = decode_audio(speech_dir / "jfk.flac", RATE)[RATE : RATE + RATE // 10]
    y = loudness_normalize(clip, RATE, -20.0)
    assert len(y) == len(clip)
    assert measure_lufs(y, RATE) == pytest.approx(-20.0, abs=0.5)
    assert np.max(np.abs(y)) <= 10 ** (-1 / 20)


def test_non_finite_samples_are_silence() -> None:
    x = tone(440.0, RATE, 0.1)
    broken = x.copy()
    broken[::1000] = np.nan
    broken[500::1000] = np.inf
    clean = x.copy()
    clean[::1000] = 0.0
    clean[500::1000] = 0.0
    assert measure_lufs(broken, RATE) == pytest.approx(measure_lufs(clean, RATE), abs=1e-9)
    y = loudness_normalize(broken, RATE)
    assert np.all(np.isfinite(y)) and measure_lufs(y, RATE) == pytest.approx(-16.0, abs=0.1)


def test_parameters_are_checked() -> None:
    x = tone(440.0, RATE, 0.1)
    with pytest.raises(InvalidRequest, match="target"):
        loudness_normalize(x, RATE, 3.0)
    with pytest.raises(InvalidRequest, match="target"):
        loudness_normalize(x, RATE, math.nan)
    with pytest.raises(InvalidRequest, match="peak"):
        loudness_normalize(x, RATE, peak_db=1.0)
    with pytest.raises(InvalidRequest, match="sample rate"):
        measure_lufs(x, 0)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-1.0, 1.0, width=32) | st.sampled_from([math.nan, math.inf]), max_size=9000),
    target=st.floats(-40.0, -10.0),
    rate=st.sampled_from([8000, 16000, 24000, 48000]),
)
def test_any_clip_is_measured_and_normalised_without_fuss(
    values: list[float], target: float, rate: int
) -> None:
    x = np.array(values, np.float32)
    loudness = measure_lufs(x, rate)
    assert math.isfinite(loudness) or loudness == -math.inf
    y = loudness_normalize(x, rate, target)
    assert len(y) == len(x) and np.all(np.isfinite(y))
    assert np.max(np.abs(y), initial=0.0) <= 10 ** (-1 / 20)
