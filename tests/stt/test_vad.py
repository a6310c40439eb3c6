"""Voice activity detection on real speech and on the sounds that must never count as speech."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.errors import EngineUnavailable
from mynah.stt.vad import SileroVad, SpeechRegion, VadStream, VoiceActivityDetector, WebRtcVad
from mynah.types import Samples

RATE = 16000
SPEECH_FILES = [
    "jfk.flac",
    "goforward.wav",
    "forever.wav",
    *(f"cards/00{i}.wav" for i in range(1, 6)),
    *(f"ljspeech/LJ001-000{i}.flac" for i in range(1, 9)),
]
SPEECH_ENDS = {"jfk.flac": 10.5}
"""Where speech ends when loud non-speech follows it: applause starts at 10.7 s in jfk.flac."""
HAVE_SILERO = importlib.util.find_spec("faster_whisper") is not None


def detectors() -> list[object]:
    silero = pytest.param(
        "silero",
        marks=pytest.mark.skipif(not HAVE_SILERO, reason="faster-whisper (Silero model) not installed"),
    )
    return ["webrtc", silero]


@pytest.fixture(scope="module")
def webrtc() -> WebRtcVad:
    return WebRtcVad()


@pytest.fixture(scope="module")
def silero() -> SileroVad:
    if not HAVE_SILERO:
        pytest.skip("faster-whisper (Silero model) not installed: pip install faster-whisper")
    return SileroVad()


@pytest.fixture(params=detectors())
def vad(request: pytest.FixtureRequest) -> VoiceActivityDetector:
    detector: VoiceActivityDetector = request.getfixturevalue(request.param)
    return detector


# -------------------------------------------------------------------------------------- signals


def at_dbfs(signal: np.ndarray, dbfs: float) -> Samples:
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
    return (signal / rms * 10 ** (dbfs / 20)).astype(np.float32)


def shaped_noise(seconds: float, slope: float, seed: int) -> np.ndarray:
    """Noise whose power falls as 1/f**slope: 0 white, 1 pink, 2 brown."""
    n = round(seconds * RATE)
    spectrum = np.fft.rfft(np.random.default_rng(seed).normal(size=n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    freqs[0] = freqs[1]
    return np.fft.irfft(spectrum / freqs ** (slope / 2), n)


def chords(seconds: float) -> Samples:
    """Music-like: a I-vi-IV-V progression of three-note chords with three harmonics each, every chord
    struck (50 ms attack) and decaying over two seconds, peaking at -6 dBFS."""
    n = round(seconds * RATE)
    out = np.zeros(n)
    progression = [
        (261.63, 329.63, 392.0),
        (220.0, 261.63, 329.63),
        (174.61, 220.0, 261.63),
        (196.0, 246.94, 293.66),
    ]
    step = 2 * RATE
    for k, start in enumerate(range(0, n, step)):
        t = np.arange(min(step, n - start)) / RATE
        envelope = np.minimum(t / 0.05, 1.0) * np.exp(-1.5 * t)
        for f0 in progression[k % 4]:
            for harmonic in (1, 2, 3):
                out[start : start + len(t)] += envelope * np.sin(2 * np.pi * f0 * harmonic * t) / harmonic
    peak = float(np.max(np.abs(out)))
    return np.asarray(out / peak * 0.5, dtype=np.float32)


NON_SPEECH: dict[str, Callable[[], Samples]] = {
    "digital silence": lambda: np.zeros(60 * RATE, dtype=np.float32),
    "white noise -30 dBFS": lambda: at_dbfs(shaped_noise(60, 0, 1), -30),
    "pink noise -30 dBFS": lambda: at_dbfs(shaped_noise(60, 1, 2), -30),
    "brown noise -30 dBFS": lambda: at_dbfs(shaped_noise(60, 2, 3), -30),
    "white noise -60 dBFS (hiss)": lambda: at_dbfs(shaped_noise(60, 0, 4), -60),
    "white noise -10 dBFS": lambda: at_dbfs(shaped_noise(60, 0, 5), -10),
    "brown noise -15 dBFS": lambda: at_dbfs(shaped_noise(60, 2, 6), -15),
    "chords": lambda: chords(60),
}


@pytest.fixture(scope="module")
def speech(speech_dir: Path) -> dict[str, Samples]:
    return {name: decode_audio(speech_dir / name, RATE) for name in SPEECH_FILES}


def covered(regions: list[SpeechRegion], t: float) -> bool:
    return any(r.start <= t <= r.end for r in regions)


def well_formed(regions: list[SpeechRegion], duration: float) -> None:
    for region in regions:
        assert 0.0 <= region.start < region.end <= duration + 1e-9
    for before, after in itertools.pairwise(regions):
        assert before.end < after.start


# ------------------------------------------------------------------------------------------ speech


def test_detectors_follow_the_protocol(webrtc: WebRtcVad) -> None:
    assert isinstance(webrtc, VoiceActivityDetector)


@pytest.mark.parametrize("name", SPEECH_FILES)
def test_every_loud_frame_of_real_speech_is_in_a_region(
    vad: VoiceActivityDetector, speech: dict[str, Samples], name: str
) -> None:
    """Frames within 25 dB of the recording's loudest are speech in these clean recordings; each one
    must be inside a region, and the regions must not run past the recording."""
    audio = speech[name]
    duration = len(audio) / RATE
    regions = vad.speech_regions(audio, RATE)
    well_formed(regions, duration)
    frame = 480
    count = len(audio) // frame
    power = np.mean(np.square(audio[: count * frame].reshape(count, frame), dtype=np.float64), axis=1)
    level = 10 * np.log10(power + 1e-12)
    loud = [(i + 0.5) * frame / RATE for i in np.flatnonzero(level >= level.max() - 25)]
    loud = [t for t in loud if t < SPEECH_ENDS.get(name, duration)]
    missed = [t for t in loud if not covered(regions, t)]
    assert missed == [], f"{name}: loud frames outside {regions}"


def test_known_durations(webrtc: WebRtcVad, speech: dict[str, Samples]) -> None:
    """goforward.wav is 2.8 s with speech from about 0.5 s to 2.3 s; jfk.flac is 11 s, speech
    throughout with short pauses."""
    (go,) = webrtc.speech_regions(speech["goforward.wav"], RATE)
    assert go.start <= 0.5 and go.end >= 2.3 and go.duration < 2.8
    jfk = webrtc.speech_regions(speech["jfk.flac"], RATE)
    assert jfk[0].start <= 0.4 and jfk[-1].end >= 10.5
    assert sum(r.duration for r in jfk) >= 9.0


def test_speech_between_long_silences_is_found_where_it_is(
    vad: VoiceActivityDetector, speech: dict[str, Samples]
) -> None:
    silence = np.zeros(10 * RATE, dtype=np.float32)
    audio = np.concatenate([silence, speech["forever.wav"], silence, speech["goforward.wav"], silence])
    regions = vad.speech_regions(audio, RATE)
    assert len(regions) == 2
    forever, go = regions
    assert 9.7 <= forever.start <= 10.3 and 13.0 <= forever.end <= 13.7
    second = 20 + len(speech["forever.wav"]) / RATE
    assert second + 0.1 <= go.start <= second + 0.6 and second + 2.3 <= go.end <= second + 2.8


@pytest.mark.parametrize("noise", ["white", "pink"])
def test_speech_in_moderate_noise_is_still_found(
    vad: VoiceActivityDetector, speech: dict[str, Samples], noise: str
) -> None:
    jfk = speech["jfk.flac"]
    slope = {"white": 0, "pink": 1}[noise]
    noisy = jfk + at_dbfs(shaped_noise(len(jfk) / RATE, slope, 7), -30)
    regions = vad.speech_regions(noisy, RATE)
    assert sum(r.duration for r in regions) >= 8.5


def test_other_sample_rates_are_resampled(webrtc: WebRtcVad, speech_dir: Path) -> None:
    native = webrtc.speech_regions(decode_audio(speech_dir / "jfk.flac", 44100), 44100)
    wideband = webrtc.speech_regions(decode_audio(speech_dir / "jfk.flac", 16000), 16000)
    assert len(native) == len(wideband)
    for a, b in zip(native, wideband, strict=True):
        assert abs(a.start - b.start) <= 0.1 and abs(a.end - b.end) <= 0.1


# ---------------------------------------------------------------------------------- not speech


@pytest.mark.parametrize("name", list(NON_SPEECH))
def test_non_speech_gives_no_regions(vad: VoiceActivityDetector, name: str) -> None:
    assert vad.speech_regions(NON_SPEECH[name](), RATE) == []


def test_silero_rejects_loud_pink_noise(silero: SileroVad) -> None:
    """The known limit of WebRtcVad (module docstring): noise as loud as speech with a speech-like
    spectral slope. Silero is the detector for such recordings."""
    assert silero.speech_regions(at_dbfs(shaped_noise(30, 1, 8), -15), RATE) == []


def test_without_the_spectral_check_chords_pass_as_speech(webrtc: WebRtcVad) -> None:
    """The check that rejects the chords is needed: WebRTC alone calls them speech."""
    plain = WebRtcVad(min_spectral_flux_db=None)
    assert sum(r.duration for r in plain.speech_regions(chords(20), RATE)) > 10
    assert webrtc.speech_regions(chords(20), RATE) == []


def test_empty_and_tiny_inputs(vad: VoiceActivityDetector) -> None:
    assert vad.speech_regions(np.zeros(0, dtype=np.float32), RATE) == []
    assert vad.speech_regions(np.zeros(100, dtype=np.float32), RATE) == []


# --------------------------------------------------------------------------------------- streams


def run_in_blocks(
    stream: VadStream, audio: Samples, sizes: list[int]
) -> list[tuple[float, list[SpeechRegion]]]:
    """Push `audio` in blocks of the given sizes (cycled); the (final_until, regions) after each."""
    snapshots = []
    position, k = 0, 0
    while position < len(audio):
        size = sizes[k % len(sizes)]
        stream.push(audio[position : position + size])
        position, k = position + size, k + 1
        snapshots.append((stream.final_until, stream.regions()))
    stream.finish()
    return snapshots


def clip(regions: list[SpeechRegion], until: float) -> list[SpeechRegion]:
    return [SpeechRegion(r.start, min(r.end, until)) for r in regions if r.start < until]


@pytest.mark.parametrize("sizes", [[RATE * 30], [RATE], [4801, 333, 16000, 7], [480]])
def test_streaming_gives_the_same_regions_and_never_revises_them(
    vad: VoiceActivityDetector, speech: dict[str, Samples], sizes: list[int]
) -> None:
    parts = [
        speech[name] for name in ("jfk.flac", "goforward.wav", "cards/005.wav", "ljspeech/LJ001-0001.flac")
    ]
    gaps = [np.zeros(round(s * RATE), dtype=np.float32) for s in (0.4, 4.0, 1.0, 0.2)]
    audio = np.concatenate([x for pair in zip(parts, gaps, strict=True) for x in pair])
    whole = vad.speech_regions(audio, RATE)
    stream = vad.stream(RATE)
    snapshots = run_in_blocks(stream, audio, sizes)
    assert stream.regions() == whole
    assert stream.final_until == len(audio) / RATE
    previous = 0.0
    for until, regions in snapshots:
        assert until >= previous
        previous = until
        assert clip(whole, until) == clip(regions, until)
        assert all(r.end <= until + 1e-9 for r in regions)


def test_a_stream_closes_long_speech_in_pieces(webrtc: WebRtcVad, speech: dict[str, Samples]) -> None:
    """Back-to-back speech with no pause still lets `final_until` advance (bounded delay)."""
    talk = np.concatenate([speech[f"ljspeech/LJ001-000{i}.flac"] for i in range(1, 9)] * 2)
    stream = webrtc.stream(RATE)
    lags = []
    for start in range(0, len(talk), RATE):
        stream.push(talk[start : start + RATE])
        lags.append(min(start + RATE, len(talk)) / RATE - stream.final_until)
    assert max(lags) <= 12.0


def test_push_after_finish_is_an_error(webrtc: WebRtcVad) -> None:
    stream = webrtc.stream(RATE)
    stream.finish()
    with pytest.raises(RuntimeError):
        stream.push(np.zeros(10, dtype=np.float32))


# ----------------------------------------------------------------------------------------- setup


@pytest.mark.parametrize(
    "kwargs",
    [
        {"aggressiveness": 4},
        {"on_ratio": 0.0},
        {"off_ratio": 1.5},
        {"padding_seconds": -1.0},
        {"ring_seconds": 0.0},
    ],
)
def test_bad_settings(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        WebRtcVad(**kwargs)


def test_silero_without_faster_whisper_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name == "faster_whisper" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(EngineUnavailable, match="pip install faster-whisper"):
        SileroVad()


def test_silero_with_an_unreadable_model(tmp_path: Path) -> None:
    broken = tmp_path / "silero_vad_v6.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(EngineUnavailable, match="cannot load the Silero VAD model"):
        SileroVad(model_path=broken)
