"""Silero voice activity detection: the ONNX network (v6) that ships inside faster-whisper."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mynah.errors import EngineUnavailable
from mynah.stt.vad.base import VAD_RATE, SpeechRegion, VadStream, whole_recording
from mynah.stt.vad.frames import FrameVadStream
from mynah.stt.vad.regions import TrackerSettings, validate
from mynah.types import Samples

__all__ = ["SileroVad", "silero_model_path"]

_BoolArray = npt.NDArray[np.bool_]


class SileroVad:
    """Voice activity detection with the Silero network (v6, ONNX) that faster-whisper ships.

    Needs faster-whisper (for the model file) and onnxruntime (its dependency); the model is found
    inside the installed faster-whisper package without importing it, and loaded when the detector
    is built. A frame is voiced from when the network's speech probability reaches `threshold` until
    it falls below `threshold - 0.15` (Silero's own hysteresis).
    """

    frame_seconds = 0.032

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        energy_floor_dbfs: float = -55.0,
        ring_seconds: float = 0.288,
        on_ratio: float = 0.5,
        off_ratio: float = 0.9,
        padding_seconds: float = 0.3,
        min_speech_seconds: float = 0.25,
        merge_gap_seconds: float = 0.3,
        max_piece_seconds: float = 10.0,
        min_spectral_flux_db: float | None = None,
        min_level_spread_db: float | None = None,
        model_path: Path | None = None,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.threshold = threshold
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
        self.model_path = model_path if model_path is not None else silero_model_path()
        self._session = _load_silero(self.model_path)

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        return whole_recording(self, audio, sample_rate)

    def stream(self, sample_rate: int) -> VadStream:
        classify = _SileroFrames(self._session, self.threshold, max(0.01, self.threshold - 0.15))
        frame = round(self.frame_seconds * VAD_RATE)
        return FrameVadStream(sample_rate, frame, classify, self.energy_floor_dbfs, self._settings)


class _SileroFrames:
    """Silero's frame decisions for one recording: the network's recurrent state, the 64 samples of
    context each 512-sample window is fed with (as the model was trained), and the hysteresis of
    Silero's reference code: speech starts at `threshold` and lasts until the probability falls
    below `neg_threshold`."""

    context = 64

    def __init__(self, session: Any, threshold: float, neg_threshold: float) -> None:
        self._session = session
        self._threshold = threshold
        self._neg_threshold = neg_threshold
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._tail = np.zeros(self.context, dtype=np.float32)
        self._speaking = False

    def __call__(self, frames: npt.NDArray[np.float32]) -> _BoolArray:
        context = self.context
        previous = np.concatenate([self._tail[np.newaxis, :], frames[:-1, -context:]])
        batch = np.ascontiguousarray(np.concatenate([previous, frames], axis=1), dtype=np.float32)
        probs, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._tail = frames[-1, -context:].copy()
        voiced = np.zeros(len(frames), dtype=np.bool_)
        for i, p in enumerate(np.asarray(probs, dtype=np.float64).reshape(-1).tolist()):
            if p >= self._threshold:
                self._speaking = True
            elif p < self._neg_threshold:
                self._speaking = False
            voiced[i] = self._speaking
        return voiced


def silero_model_path() -> Path:
    """The Silero VAD model inside the installed faster-whisper, found without importing it."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable(
            "the Silero voice activity detector uses the model shipped with faster-whisper: "
            "pip install faster-whisper"
        )
    assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
    models = sorted(assets.glob("silero_vad*.onnx"))
    if not models:
        raise EngineUnavailable(
            f"no silero_vad*.onnx in {assets}; the installed faster-whisper is too old or damaged: "
            "pip install -U faster-whisper"
        )
    return models[-1]


def _load_silero(path: Path) -> Any:
    try:
        import onnxruntime
    except ImportError:
        raise EngineUnavailable(
            "the Silero voice activity detector needs onnxruntime: pip install onnxruntime"
        ) from None
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    try:
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable models
        raise EngineUnavailable(f"cannot load the Silero VAD model {path}: {exc}") from exc
    names = {i.name for i in session.get_inputs()}
    if names != {"input", "h", "c"}:
        raise EngineUnavailable(
            f"the Silero VAD model {path} has inputs {sorted(names)}, not the v6 'input', 'h', 'c' this "
            "detector drives: pip install -U faster-whisper"
        )
    return session
