"""WebRTC voice activity detection (webrtcvad-wheels): Google's GMM detector, fast, no model file."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from mynah.errors import EngineUnavailable
from mynah.stt.vad.base import VAD_RATE, SpeechRegion, VadStream, whole_recording
from mynah.stt.vad.frames import FrameVadStream
from mynah.stt.vad.regions import TrackerSettings, validate
from mynah.types import Samples

__all__ = ["WebRtcVad"]

_BoolArray = npt.NDArray[np.bool_]


class WebRtcVad:
    """Voice activity detection with the WebRTC detector, on 30 ms frames at 16 kHz.

    `aggressiveness` is WebRTC's mode, 0 (calls most things speech) to 3 (most eager to call
    noise non-speech). The defaults are tuned as the module docstring describes; `min_spectral_flux_db`
    None turns the tonal-sound check off.
    """

    frame_seconds = 0.03

    def __init__(
        self,
        *,
        aggressiveness: int = 3,
        energy_floor_dbfs: float = -55.0,
        ring_seconds: float = 0.3,
        on_ratio: float = 0.9,
        off_ratio: float = 0.9,
        padding_seconds: float = 0.3,
        min_speech_seconds: float = 0.25,
        merge_gap_seconds: float = 0.3,
        max_piece_seconds: float = 10.0,
        min_spectral_flux_db: float | None = 2.0,
        min_level_spread_db: float | None = 1.5,
    ) -> None:
        if aggressiveness not in (0, 1, 2, 3):
            raise ValueError(f"aggressiveness must be 0, 1, 2 or 3, got {aggressiveness}")
        try:
            import webrtcvad  # noqa: F401
        except ImportError:
            raise EngineUnavailable(
                "the WebRTC voice activity detector needs webrtcvad: pip install webrtcvad-wheels"
            ) from None
        self.aggressiveness = aggressiveness
        self.energy_floor_dbfs = energy_floor_dbfs
        self._settings = TrackerSettings(
            ring_seconds=ring_seconds,
            on_ratio=on_ratio,
            off_ratio=off_ratio,
            padding_seconds=padding_seconds,
            min_speech_seconds=min_speech_seconds,
            merge_gap_seconds=merge_gap_seconds,
            max_piece_seconds=max_piece_seconds,
            min_spectral_flux_db=min_spectral_flux_db,
            min_level_spread_db=min_level_spread_db,
        )
        validate(self._settings)

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        return whole_recording(self, audio, sample_rate)

    def stream(self, sample_rate: int) -> VadStream:
        import webrtcvad

        vad = webrtcvad.Vad(self.aggressiveness)
        frame = round(self.frame_seconds * VAD_RATE)

        def classify(frames: npt.NDArray[np.float32]) -> _BoolArray:
            pcm = np.clip(np.rint(frames * 32767.0), -32768, 32767).astype("<i2")
            return np.array([vad.is_speech(row.tobytes(), VAD_RATE) for row in pcm], dtype=np.bool_)

        return FrameVadStream(sample_rate, frame, classify, self.energy_floor_dbfs, self._settings)
