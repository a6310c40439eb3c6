"""What the benches that make their own test audio share: a runtime over the real weights, and a
text spoken by the real Piper voice as a WAV (so the recording's words are known exactly).

    runtime = real_weights_runtime(args.model_cache)     # None: the real-weights tier's cache
    wav = spoken_wav(runtime, "Call me on 555 0100.")    # Piper joe-medium, 22.05 kHz WAV
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime

VOICE = "piper:en_US-joe-medium"


def real_weights_runtime(model_cache: Path | None = None) -> Runtime:
    """A runtime over `model_cache` (default: the real-weights tier's), offline, in a fresh data dir."""
    if model_cache is None:
        from tests.fixtures.real_weights import real_model_cache

        model_cache = real_model_cache()
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp()), models=ModelSettings(cache_dir=model_cache, offline=True)
    )
    return Runtime.start(settings)


def spoken_wav(runtime: Runtime, text: str, voice: str = VOICE) -> bytes:
    """`text` spoken by `voice`, whole, as a WAV file."""
    prepared = runtime.speech.prepare(text, voice=voice)
    samples = np.concatenate([chunk.samples for chunk in runtime.speech.stream(prepared)])
    return encode_audio(samples.astype(np.float32), prepared.sample_rate, AudioFormat.wav)
