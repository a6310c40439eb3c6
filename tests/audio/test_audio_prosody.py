"""Rate, pitch and volume after synthesis, on real speech and pure tones: durations, pitch, levels."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from mynah.audio.decode import decode_audio
from mynah.audio.dsp import limit, resample, sanitize
from mynah.audio.prosody import apply_gain, apply_prosody, fade, pitch_shift, time_stretch
from mynah.errors import InvalidRequest
from mynah.types import Samples

RATE = 16000
FRAME = 400  # the 25 ms WSOLA frame at 16 kHz
RECORDINGS = ["jfk.flac", "goforward.wav", "ljspeech/LJ001-0004.flac"]


def tone(freq: float, n: int, rate: int = RATE, amplitude: float = 0.5) -> Samples:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


def rms(x: Samples) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def peak_frequency(x: Samples, rate: int = RATE) -> float:
    """The strongest frequency in `x`, from a finely zero-padded, Hann-windowed FFT of its middle."""
    middle = x[len(x) // 8 : -len(x) // 8].astype(np.float64)
    size = 1 << 20
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle)), size))
    return float(np.argmax(spectrum)) * rate / size


def pitch_track(x: Samples, rate: int = RATE) -> npt.NDArray[np.float64]:
    """The pitch of `x` every 10 ms (30 ms frames), NaN where unvoiced (YIN, de Cheveigné & Kawahara).

    A frame counts as voiced when it is at least a quarter as loud as the clip's RMS and its cumulative-
    mean-normalised difference dips under 0.12 at some lag for 60-1000 Hz; the first such dip is the
    period, refined by a parabola through its neighbours.
    """
    x = x.astype(np.float64)
    n, hop = round(0.03 * rate), round(0.01 * rate)
    shortest, longest = rate // 1000, rate // 60 + 2
    every = sliding_window_view(x, n + longest)[::hop]
    loud = np.nonzero(np.sqrt(np.mean(every[:, :n] ** 2, axis=1)) > 0.25 * np.sqrt(np.mean(x**2)))[0]
    frames = every[loud]
    # difference function d(lag) = sum over the frame of (x[j] - x[j + lag])^2, for every frame at once,
    # from the correlation (by FFT) and the sliding energy
    size = 1 << (2 * (n + longest) - 1).bit_length()
    spectrum = np.fft.rfft(frames, size) * np.conj(np.fft.rfft(frames[:, :n], size))
    correlation = np.fft.irfft(spectrum, size)[:, :longest]
    energy = np.cumsum(np.pad(frames**2, ((0, 0), (1, 0))), axis=1)
    sliding = energy[:, n : n + longest] - energy[:, :longest]
    differences = energy[:, n : n + 1] + sliding - 2 * correlation
    pitches = np.full(len(every), np.nan)
    for i, diff in zip(loud, differences, strict=True):
        normalised = np.ones_like(diff)
        normalised[1:] = diff[1:] * np.arange(1, len(diff)) / np.maximum(np.cumsum(diff[1:]), 1e-20)
        dips = np.nonzero(normalised[shortest:] < 0.12)[0]
        if len(dips) == 0:
            continue
        lag = shortest + int(dips[0])
        while lag + 2 < len(normalised) and normalised[lag + 1] < normalised[lag]:
            lag += 1
        before, at, after = normalised[lag - 1 : lag + 2]
        curve = before - 2 * at + after
        pitches[i] = rate / (lag + (0.5 * (before - after) / curve if curve > 0 else 0.0))
    return pitches


def pitch_ratio(original: npt.NDArray[np.float64], changed: npt.NDArray[np.float64], rate: float) -> float:
    """Median ratio of `changed`'s pitch to `original`'s at the same moment of speech, where the changed
    track runs `rate` times as fast; only frames voiced in both count."""
    moments = np.minimum(np.round(np.arange(len(changed)) * rate).astype(int), len(original) - 1)
    ratios = changed / original[moments]
    ratios = ratios[np.isfinite(ratios)]
    assert len(ratios) >= 8, "too few voiced frames to judge the pitch"
    return float(np.median(ratios))


def envelope_match(original: Samples, changed: Samples, rate: float) -> float:
    """How well the loudness contour of `changed` follows that of `original` run `rate` times as fast:
    the correlation of their RMS in 50 ms steps of `changed` (50 ms x rate of `original`)."""
    step = RATE // 20

    def envelope(x: Samples, hop: int) -> npt.NDArray[np.float64]:
        return np.sqrt(np.mean(x[: len(x) // hop * hop].reshape(-1, hop).astype(np.float64) ** 2, axis=1))

    a, b = envelope(original, round(step * rate)), envelope(changed, step)
    n = min(len(a), len(b))
    assert n >= 20 and abs(len(a) - len(b)) <= 1
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


@pytest.fixture(scope="module", params=RECORDINGS)
def speech(request: pytest.FixtureRequest, speech_dir: Path) -> tuple[Samples, npt.NDArray[np.float64]]:
    """Up to 6 s of a real recording at 16 kHz, and its pitch track."""
    x = decode_audio(speech_dir / request.param, RATE)[: 6 * RATE]
    return x, pitch_track(x)


# --- time_stretch ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_duration_and_keeps_pitch(
    speech: tuple[Samples, npt.NDArray[np.float64]], rate: float
) -> None:
    x, track = speech
    y = time_stretch(x, RATE, rate)
    assert y.dtype == np.float32
    assert len(y) == round(len(x) / rate)
    # the speech itself is stretched evenly, not padded or cut: its loudness contour, 1/rate as fast
    assert envelope_match(x, y, rate) > 0.93
    assert pitch_ratio(track, pitch_track(y), rate) == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("rate", [0.25, 0.5, 0.8, 1.25, 2.0, 4.0])
def test_time_stretch_keeps_a_sine_clean(rate: float) -> None:
    x = tone(220.0, RATE)
    y = time_stretch(x, RATE, rate)
    assert len(y) == round(RATE / rate)
    assert peak_frequency(y) == pytest.approx(220.0, rel=0.01)
    # frames are joined in phase, ends included: the level holds and every 50 ms block is one sine at
    # 220 Hz (the phase may wander a little from block to block; a bad join would leave a residual)
    assert rms(y) == pytest.approx(0.5 / math.sqrt(2), rel=0.01)
    blocks = y[: len(y) // 800 * 800].astype(np.float64).reshape(-1, 800)
    t = 2 * np.pi * 220 * np.arange(800) / RATE
    basis = np.stack([np.sin(t), np.cos(t)], axis=1)
    residual = blocks.T - basis @ np.linalg.lstsq(basis, blocks.T, rcond=None)[0]
    assert np.max(np.sum(residual**2, axis=0) / np.sum(blocks**2, axis=1)) < 3e-3


def test_time_stretch_at_rate_one_returns_the_input() -> None:
    x = tone(300.0, 1234)
    y = time_stretch(x, RATE, 1.0)
    assert y is not x and np.array_equal(x, y)


@pytest.mark.parametrize("rate", [0.0, 0.2, 4.5, -1.0, math.nan, math.inf])
def test_time_stretch_rejects_rates_out_of_range(rate: float) -> None:
    with pytest.raises(InvalidRequest, match="rate"):
        time_stretch(tone(300.0, 1000), RATE, rate)


@pytest.mark.parametrize("n", [0, 1, 2, 17, FRAME - 1, FRAME, FRAME + 1])
@pytest.mark.parametrize("rate", [0.25, 0.7, 3.3, 4.0])
def test_time_stretch_of_tiny_inputs(n: int, rate: float) -> None:
    x = tone(300.0, n)
    y = time_stretch(x, RATE, rate)
    assert len(y) == round(n / rate)
    assert np.all(np.isfinite(y)) and np.max(np.abs(y), initial=0.0) <= 0.5 + 1e-6


def test_time_stretch_of_huge_values_stays_finite() -> None:
    x = np.float32(3e38) * np.sign(tone(300.0, 2000))
    y = time_stretch(x, RATE, 0.6)
    assert np.all(np.isfinite(y)) and np.max(np.abs(y)) <= 3e38


# --- pitch_shift -------------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [2 ** (2 / 12), 0.8])
def test_pitch_shift_scales_pitch_and_keeps_duration(
    speech: tuple[Samples, npt.NDArray[np.float64]], factor: float
) -> None:
    x, track = speech
    y = pitch_shift(x, RATE, factor)
    assert len(y) == len(x)
    assert envelope_match(x, y, 1.0) > 0.93
    assert pitch_ratio(track, pitch_track(y), 1.0) == pytest.approx(factor, rel=0.08)


@pytest.mark.parametrize("factor", [0.25, 0.8, 2 ** (2 / 12), 1.5, 2.0, 4.0])
@pytest.mark.parametrize("rate", [16000, 22050, 24000])
def test_pitch_shift_scales_a_sine(factor: float, rate: int) -> None:
    x = tone(300.0 if factor <= 2 else 150.0, rate, rate)
    y = pitch_shift(x, rate, factor)
    assert len(y) == len(x)
    assert peak_frequency(y, rate) == pytest.approx(peak_frequency(x, rate) * factor, rel=0.02)


def test_pitch_shift_rejects_factors_out_of_range() -> None:
    for factor in (0.1, 5.0, math.nan):
        with pytest.raises(InvalidRequest, match="pitch"):
            pitch_shift(tone(300.0, 1000), RATE, factor)


# --- apply_gain and the limiter ----------------------------------------------------------------------


def test_apply_gain_scales_quiet_audio_exactly(speech: tuple[Samples, npt.NDArray[np.float64]]) -> None:
    quiet = speech[0] * np.float32(0.2 / np.max(np.abs(speech[0])))
    assert rms(apply_gain(quiet, 6.0)) == pytest.approx(2 * rms(quiet), rel=0.01)
    assert rms(apply_gain(quiet, -20.0)) == pytest.approx(0.1 * rms(quiet), rel=1e-4)
    assert np.array_equal(apply_gain(quiet, 0.0), quiet)


def test_apply_gain_of_minus_infinity_is_silence() -> None:
    y = apply_gain(tone(300.0, 1000), -math.inf)
    assert y.dtype == np.float32 and len(y) == 1000 and not y.any()


@pytest.mark.parametrize("db", [6.0, 12.0, 40.0, 120.0])
def test_apply_gain_never_exceeds_full_scale(
    speech: tuple[Samples, npt.NDArray[np.float64]], db: float
) -> None:
    y = apply_gain(speech[0], db, sample_rate=RATE)
    assert np.max(np.abs(y)) <= 1.0
    assert rms(y) > rms(speech[0])


def test_a_boosted_sine_is_limited_not_clipped() -> None:
    # +12 dB takes a half-scale sine to twice full scale; clipping would square it off (THD ~ 20 %),
    # the limiter instead turns the whole tone down to full scale and it stays a sine
    y = apply_gain(tone(220.0, RATE), 12.0, sample_rate=RATE)
    assert np.max(np.abs(y)) <= 1.0
    middle = y[RATE // 10 : -RATE // 10].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    fundamental = round(220 * len(middle) / RATE)
    harmonics = spectrum[fundamental * 3 - 3 : fundamental * 3 + 4].max()
    assert harmonics / spectrum[fundamental - 3 : fundamental + 4].max() < 0.01
    assert np.max(np.abs(middle)) > 0.99


def test_boosted_speech_is_not_a_square_wave(speech: tuple[Samples, npt.NDArray[np.float64]]) -> None:
    x = speech[0] * np.float32(0.9 / np.max(np.abs(speech[0])))
    y = apply_gain(x, 12.0, sample_rate=RATE)
    clipped = np.clip(x * np.float32(10 ** (12 / 20)), -1, 1)
    assert np.mean(np.abs(y) >= 0.999) < 0.2 * np.mean(np.abs(clipped) >= 0.999)


def test_limit_holds_true_peaks_under_the_ceiling(speech: tuple[Samples, npt.NDArray[np.float64]]) -> None:
    loud = speech[0] * np.float32(3.0)
    ceiling = 10 ** (-1 / 20)
    y = limit(loud, RATE, ceiling, true_peak=True)
    assert np.max(np.abs(y)) <= ceiling
    assert np.max(np.abs(resample(y, RATE, 4 * RATE))) <= ceiling * 1.01
    quiet = speech[0] * np.float32(0.5 / np.max(np.abs(speech[0])))
    assert np.array_equal(limit(quiet, RATE, 0.6), quiet)


def test_apply_gain_rejects_nonsense() -> None:
    for db in (math.nan, math.inf):
        with pytest.raises(InvalidRequest, match="volume"):
            apply_gain(tone(300.0, 100), db)


# --- apply_prosody, fade, sanitize -------------------------------------------------------------------


def test_apply_prosody_combines_rate_pitch_and_volume() -> None:
    x = tone(300.0, RATE, amplitude=0.25)
    y = apply_prosody(x, RATE, rate=1.5, pitch=1.25, volume_db=6.0)
    assert len(y) == round(RATE / 1.5)
    assert peak_frequency(y) == pytest.approx(375.0, rel=0.01)
    assert rms(y[FRAME:-FRAME]) == pytest.approx(2 * rms(x), rel=0.02)


def test_apply_prosody_with_nothing_to_do_is_a_copy() -> None:
    x = tone(300.0, 999)
    y = apply_prosody(x, RATE)
    assert y is not x and np.array_equal(x, y)


def test_apply_prosody_checks_every_parameter_first() -> None:
    x = tone(300.0, 999)
    with pytest.raises(InvalidRequest, match="pitch"):
        apply_prosody(x, RATE, rate=2.0, pitch=9.0)
    with pytest.raises(InvalidRequest, match="volume"):
        apply_prosody(x, RATE, rate=2.0, volume_db=math.nan)
    with pytest.raises(InvalidRequest, match="sample rate"):
        apply_prosody(x, 0, rate=2.0)


def test_fade_ramps_both_ends_linearly() -> None:
    x = np.ones(1000, np.float32)
    y = fade(x, 16000, 5.0)  # 80 samples
    assert y[0] == 0.0 and y[-1] == 0.0
    assert np.allclose(y[:80], np.arange(80) / 80) and np.allclose(y[-80:], np.arange(80)[::-1] / 80)
    assert np.all(y[80:-80] == 1.0) and np.all(x == 1.0)
    assert fade(x, 16000, 5.0, fade_out=False)[-1] == 1.0
    assert fade(x, 16000, 5.0, fade_in=False)[0] == 1.0


def test_fade_longer_than_the_clip_stays_within_it() -> None:
    y = fade(np.ones(10, np.float32), 16000, 100.0)
    assert y[0] == 0.0 and y[-1] == 0.0 and y.max() <= 1.0 and len(y) == 10
    assert len(fade(np.zeros(0, np.float32), 16000, 5.0)) == 0
    with pytest.raises(InvalidRequest, match="fade"):
        fade(np.ones(10, np.float32), 16000, -1.0)


def test_non_finite_samples_are_silence() -> None:
    x = np.array([0.5, np.nan, np.inf, -np.inf, -0.5], np.float32)
    assert sanitize(x).tolist() == [0.5, 0.0, 0.0, 0.0, -0.5]
    assert time_stretch(x, RATE, 1.0).tolist() == [0.5, 0.0, 0.0, 0.0, -0.5]


samples_in_contract = st.lists(
    st.floats(-1.0, 1.0, width=32) | st.sampled_from([math.nan, math.inf, -math.inf]), max_size=3000
)


@settings(max_examples=60, deadline=None)
@given(
    values=samples_in_contract,
    rate=st.floats(0.25, 4.0),
    pitch=st.floats(0.25, 4.0),
    volume_db=st.floats(-60.0, 30.0) | st.just(-math.inf),
    sample_rate=st.sampled_from([8000, 16000, 22050, 24000, 48000]),
)
def test_any_input_and_valid_parameters_give_finite_audio_of_the_promised_length(
    values: list[float], rate: float, pitch: float, volume_db: float, sample_rate: int
) -> None:
    x = np.array(values, np.float32)
    stretched = time_stretch(x, sample_rate, rate)
    assert len(stretched) == round(len(x) / rate) and np.all(np.isfinite(stretched))
    shifted = pitch_shift(x, sample_rate, pitch)
    assert len(shifted) == len(x) and np.all(np.isfinite(shifted))
    both = apply_prosody(x, sample_rate, rate=rate, pitch=pitch, volume_db=volume_db)
    assert len(both) == round(len(x) / rate) and np.all(np.isfinite(both))
    assert both.dtype == np.float32


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.floats(width=32, allow_nan=True, allow_infinity=True), max_size=2000),
    rate=st.floats(0.25, 4.0),
)
def test_time_stretch_of_any_floats_is_finite(values: list[float], rate: float) -> None:
    y = time_stretch(np.array(values, np.float32), RATE, rate)
    assert len(y) == round(len(values) / rate) and np.all(np.isfinite(y))
