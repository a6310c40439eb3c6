"""Fixtures for the engine tests: the real engines, the real recordings, and audio helpers built on PyAV
(decoding and resampling here, not through mynah.audio, so these tests stand on their own)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from mynah.engines.base import EngineConfig, SynthesisOptions, TtsEngine
from mynah.engines.espeak import EspeakEngine
from mynah.engines.flite import FliteEngine
from mynah.engines.pocketsphinx import PocketsphinxEngine
from mynah.types import AudioChunk, Samples

SPEECH = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech"  # ../shared beside the clone

Loader = Callable[[Path], Samples]
Resampler = Callable[[Samples, int, int], Samples]
Speaker = Callable[..., tuple[Samples, list[AudioChunk]]]


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    if not SPEECH.is_dir():
        pytest.skip(f"speech recordings not found at {SPEECH}")
    return SPEECH


@pytest.fixture(scope="session")
def engine_config(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., EngineConfig]:
    root = tmp_path_factory.mktemp("engines")

    def make(name: str, **options: str) -> EngineConfig:
        return EngineConfig(cache_dir=root / name, options=dict(options))

    return make


@pytest.fixture(scope="session")
def espeak(engine_config: Callable[..., EngineConfig]) -> EspeakEngine:
    return EspeakEngine(engine_config("espeak"))


@pytest.fixture(scope="session")
def pocketsphinx(engine_config: Callable[..., EngineConfig]) -> PocketsphinxEngine:
    return PocketsphinxEngine(engine_config("pocketsphinx"))


@pytest.fixture(scope="session")
def flite(engine_config: Callable[..., EngineConfig]) -> FliteEngine:
    if shutil.which("flite") is None:
        pytest.skip("flite is not installed (apt-get install flite)")
    return FliteEngine(engine_config("flite"))


def _drain(resampler: av.AudioResampler, frame: av.AudioFrame | None) -> list[Samples]:
    return [out.to_ndarray().reshape(-1).astype(np.float32) for out in resampler.resample(frame)]


@pytest.fixture(scope="session")
def resample() -> Resampler:
    """Mono float32 from one rate to another, through PyAV's (libswresample's) resampler."""

    def convert(samples: Samples, source: int, target: int) -> Samples:
        if source == target:
            return samples
        resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
        )
        frame.sample_rate = source
        parts = _drain(resampler, frame) + _drain(resampler, None)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    return convert


@pytest.fixture(scope="session")
def load_audio() -> Loader:
    """Any file PyAV reads, as mono float32 at 16 kHz."""

    def load(path: Path) -> Samples:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=16000)
        parts: list[Samples] = []
        with av.open(str(path)) as container:
            for frame in container.decode(audio=0):
                parts += _drain(resampler, frame)
        parts += _drain(resampler, None)
        return np.concatenate(parts)

    return load


@pytest.fixture(scope="session")
def speak() -> Speaker:
    """Run a TTS engine to the end: (all samples joined, the chunks)."""

    def run(engine: TtsEngine, text: str, voice: str, **options: float) -> tuple[Samples, list[AudioChunk]]:
        chunks = list(engine.synthesize(text, SynthesisOptions(voice=voice, **options)))
        joined = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, dtype=np.float32)
        return joined, chunks

    return run


def median_f0(samples: Samples, rate: int) -> float:
    """Median pitch of the voiced 40 ms frames, by autocorrelation (60-400 Hz)."""
    size = int(0.04 * rate)
    peak = float(np.abs(samples).max())
    found = []
    for start in range(0, len(samples) - size, size // 2):
        frame = samples[start : start + size].astype(np.float64)
        frame -= frame.mean()
        if np.sqrt(np.mean(frame**2)) < 0.05 * peak:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        low, high = rate // 400, rate // 60
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.4 * corr[0]:
            found.append(rate / lag)
    return float(np.median(found))


@pytest.fixture(scope="session")
def pitch_of() -> Callable[[Samples, int], float]:
    return median_f0
