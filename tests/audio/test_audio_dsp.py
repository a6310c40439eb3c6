"""Resampling and the small sample helpers, on real signals."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mynah.audio.dsp import peak_normalize, resample, silence, to_int16
from mynah.audio.formats import SAMPLE_RATES
from mynah.errors import InvalidRequest


def tone(freq: float, rate: int, n: int) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


@pytest.mark.parametrize(("from_rate", "to_rate"), list(itertools.permutations(SAMPLE_RATES, 2)))
def test_resample_keeps_length_timing_and_content(from_rate: int, to_rate: int) -> None:
    # 3 kHz sits below every rate's Nyquist limit, so the tone must come through intact and in phase:
    # a delay of even one sample would show as an error of about 0.5 * 2π * 3000 / rate.
    x = tone(3000, from_rate, from_rate // 2)
    y = resample(x, from_rate, to_rate)
    assert y.dtype == np.float32 and y.ndim == 1
    assert len(y) == round(len(x) * to_rate / from_rate)
    expected = tone(3000, to_rate, len(y))
    edge = to_rate // 100  # the filter sees zeros beyond the ends
    assert np.max(np.abs(y[edge:-edge] - expected[edge:-edge])) < 1e-3


def test_resample_removes_content_above_the_new_nyquist_limit() -> None:
    y = resample(tone(6000, 48000, 48000), 48000, 8000)
    assert np.sqrt(np.mean(y[400:-400] ** 2)) < 0.01


def test_resample_to_the_same_rate_is_a_copy() -> None:
    x = tone(440, 16000, 1600)
    y = resample(x, 16000, 16000)
    assert y is not x and np.array_equal(x, y)


def test_resample_of_nothing_is_nothing() -> None:
    assert len(resample(np.zeros(0, np.float32), 16000, 48000)) == 0


def test_resample_takes_other_float_dtypes_and_rejects_non_mono() -> None:
    assert resample(tone(440, 16000, 1600).astype(np.float64), 16000, 8000).dtype == np.float32
    with pytest.raises(ValueError, match="mono"):
        resample(np.zeros((2, 100), np.float32), 16000, 8000)
    with pytest.raises(ValueError, match="positive"):
        resample(np.zeros(100, np.float32), 0, 8000)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=5000),
    from_rate=st.sampled_from([*SAMPLE_RATES, 11025, 12000, 32000]),
    to_rate=st.sampled_from(SAMPLE_RATES),
)
def test_resample_length_is_exact_for_any_length(n: int, from_rate: int, to_rate: int) -> None:
    x = np.random.default_rng(n).uniform(-1, 1, n).astype(np.float32)
    assert len(resample(x, from_rate, to_rate)) == round(n * to_rate / from_rate)


def test_to_int16_clips_then_scales() -> None:
    x = np.array([-2.0, -1.0, -0.5, 0.0, 0.25, 1.0, 3.0], np.float32)
    assert to_int16(x).tolist() == [-32767, -32767, -16384, 0, 8192, 32767, 32767]
    assert to_int16(x).dtype == np.int16


def test_peak_normalize() -> None:
    x = tone(440, 16000, 1600) * np.float32(0.1)
    y = peak_normalize(x)
    assert y.dtype == np.float32
    assert np.max(np.abs(y)) == pytest.approx(0.95, rel=1e-6)
    assert np.allclose(y / np.max(np.abs(y)), x / np.max(np.abs(x)), atol=1e-6)
    assert np.max(np.abs(peak_normalize(x * 30, peak=0.5))) == pytest.approx(0.5, rel=1e-6)


def test_peak_normalize_leaves_silence_alone() -> None:
    assert np.array_equal(peak_normalize(np.zeros(10, np.float32)), np.zeros(10, np.float32))
    assert len(peak_normalize(np.zeros(0, np.float32))) == 0
    with pytest.raises(ValueError, match="peak"):
        peak_normalize(np.ones(4, np.float32), peak=1.5)


def test_silence() -> None:
    gap = silence(0.25, 22050)
    assert gap.dtype == np.float32 and len(gap) == 5512 and not gap.any()
    assert len(silence(0, 16000)) == 0
    with pytest.raises(InvalidRequest, match="pause"):
        silence(-0.1, 16000)
