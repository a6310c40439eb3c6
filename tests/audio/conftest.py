"""Fixtures for the audio tests: real recordings, a test signal, and media files made with PyAV."""

from __future__ import annotations

import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from mynah.types import Samples

SPEECH = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech"  # ../shared beside the clone


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    if not SPEECH.is_dir():
        pytest.skip(f"speech recordings not found at {SPEECH}")
    return SPEECH


@pytest.fixture(scope="session")
def chirp() -> Callable[..., Samples]:
    """A linear chirp from 200 Hz rising 2 kHz per second at half scale: real content at every band a
    speech codec keeps, below the 4 kHz Nyquist limit of 8 kHz audio for the first second."""

    def make(rate: int, seconds: float = 1.0) -> Samples:
        t = np.arange(round(rate * seconds)) / rate
        return (0.5 * np.sin(2 * np.pi * (200 * t + 1000 * t * t))).astype(np.float32)

    return make


@pytest.fixture(scope="session")
def make_video() -> Callable[..., bytes]:
    """A one-second video file made with PyAV: 10 frames of 64x48 video, plus a 300 Hz tone when
    `audio_codec` is given. `container` and codecs are FFmpeg names."""

    def make(container: str = "mp4", video_codec: str = "mpeg4", audio_codec: str | None = "aac") -> bytes:
        buffer = io.BytesIO()
        with av.open(buffer, "w", format=container) as out:
            video = out.add_stream(video_codec, rate=10)
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
            audio = out.add_stream(audio_codec, rate=48000) if audio_codec else None
            if audio is not None:
                audio.codec_context.layout = "mono"
            for i in range(10):
                picture = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 20, np.uint8), format="rgb24")
                picture.pts = i
                out.mux(video.encode(picture))
            out.mux(video.encode(None))
            if audio is not None:
                tone = (0.3 * np.sin(2 * np.pi * 300 * np.arange(48000) / 48000)).astype(np.float32)
                sound = av.AudioFrame.from_ndarray(tone[np.newaxis, :], format="flt", layout="mono")
                sound.sample_rate, sound.pts, sound.time_base = 48000, 0, Fraction(1, 48000)
                out.mux(audio.encode(sound))
                out.mux(audio.encode(None))
        return buffer.getvalue()

    return make
