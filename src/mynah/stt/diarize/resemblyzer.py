"""Diarization with Resemblyzer's neural speaker embeddings (an optional extra).

Resemblyzer (https://github.com/resemble-ai/Resemblyzer, Apache-2.0) ships a 3-layer LSTM speaker
encoder (GE2E loss, trained on LibriSpeech, VoxCeleb 1 and 2) inside its wheel, so nothing is
downloaded at run time. It needs PyTorch and librosa:

    pip install torch resemblyzer

(CPU-only PyTorch is much smaller: pip install torch --index-url https://download.pytorch.org/whl/cpu
first.) Resemblyzer declares a dependency on the `webrtcvad` source package, which needs a C compiler
and installs the same module as the `webrtcvad-wheels` mynah uses; `pip install --no-deps resemblyzer`
followed by `pip install librosa` avoids that, and is how it was installed for mynah's tests.

    ResemblyzerDiarizer.diarize(audio, rate)
      -> 16 kHz, loudness raised to Resemblyzer's -30 dBFS, WebRTC VAD speech regions
      -> windows of 1.6 s (the encoder's own partial-utterance length) every 0.4 s over the speech
         (every 0.8 s to count the speakers)
      -> the encoder's 40-band mel spectrogram of the whole recording, one 160-frame slice per window,
         all windows through the network in batches: a 256-dimensional unit vector per window
      -> cosine distances, the count and the clustering of `mynah.stt.diarize.clustering`
         (`single_threshold` measured for these embeddings, see the class), turns as the MFCC engine
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mynah.errors import EngineUnavailable
from mynah.stt.diarize.base import (
    DIARIZE_RATE,
    SpeakerTurn,
    Window,
    check_speaker_counts,
    mono_16k,
    speech_windows,
    turns_from_windows,
)
from mynah.stt.diarize.clustering import estimate_num_speakers, spectral_clustering
from mynah.stt.diarize.embeddings import cosine_distances
from mynah.stt.vad import VoiceActivityDetector, WebRtcVad
from mynah.types import Samples

__all__ = ["INSTALL", "ResemblyzerDiarizer"]

INSTALL = "pip install torch resemblyzer"

FloatArray = npt.NDArray[np.float64]

_PARTIAL_FRAMES = 160
"""Mel frames (10 ms each) per encoder input: Resemblyzer's `partials_n_frames`."""

_BATCH = 64


class ResemblyzerDiarizer:
    """Speaker diarization with Resemblyzer's d-vectors and spectral clustering.

    The encoder is loaded when the diarizer is built (about 0.1 s; importing torch and librosa takes
    a few seconds more the first time), and kept until the diarizer is dropped. Raises
    `mynah.errors.EngineUnavailable` when resemblyzer or torch is not installed.

    `single_threshold`: l1 of the self-tuned cosine graph (windows overlapping by half) at or above
    which the recording is one speaker. Measured on the recordings the MFCC engine was tuned on
    (`mynah.stt.diarize.embeddings`), every multi-speaker recording gives 0.60 or less (the pyannote
    phone call: 0.60, the built conversations 0.43 or less) and every one-speaker recording 0.72 or
    more; 0.66 is the middle. More than one speaker: the largest eigengap, right for all eight
    two-speaker conversations and one of the two three-speaker ones.
    """

    name = "resemblyzer"

    def __init__(
        self,
        *,
        vad: VoiceActivityDetector | None = None,
        device: str = "cpu",
        hop_seconds: float = 0.4,
        single_threshold: float = 0.66,
        min_turn_seconds: float = 0.3,
        max_windows: int = 1000,
        count_windows: int = 70,
    ) -> None:
        self._encoder, self._mel = _load(device)
        self._torch = _import_torch()
        self._lock = threading.Lock()
        self._vad = vad if vad is not None else WebRtcVad()
        self.device = device
        self.window_seconds = _PARTIAL_FRAMES / 100
        self.hop_seconds = hop_seconds
        self.single_threshold = single_threshold
        self.min_turn_seconds = min_turn_seconds
        self.max_windows = max_windows
        self.count_windows = count_windows

    def diarize(
        self,
        audio: Samples,
        sample_rate: int,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> list[SpeakerTurn]:
        low, high = check_speaker_counts(num_speakers, min_speakers, max_speakers)
        mono = mono_16k(audio, sample_rate)
        regions = self._vad.speech_regions(mono, DIARIZE_RATE)
        windows = speech_windows(regions, self.window_seconds, self.hop_seconds)
        if not windows:
            return []
        windows = _thin(windows, self.max_windows)
        if num_speakers is not None:
            count = num_speakers
        else:
            # counted on windows that overlap by half: denser windows chain into one another and
            # pull l1 down for one speaker and several alike (measured: the gap between them shrinks)
            sparse = _thin(
                speech_windows(regions, self.window_seconds, self.window_seconds / 2), self.count_windows
            )
            count = estimate_num_speakers(
                cosine_distances(self.embed(mono, sparse)),
                single_threshold=self.single_threshold,
                beyond_two="eigengap",
                min_speakers=low,
                max_speakers=high,
            )
        labels = spectral_clustering(cosine_distances(self.embed(mono, windows)), count)
        return turns_from_windows(windows, labels, regions, min_turn_seconds=self.min_turn_seconds)

    def embed(self, audio: Samples, windows: Sequence[Window]) -> FloatArray:
        """One unit-length 256-dimensional speaker embedding per window of 16 kHz mono `audio`."""
        # Resemblyzer's preprocess_wav raises quiet speech to -30 dBFS (RMS over the speech)
        speech = np.zeros(len(audio), dtype=np.bool_)
        for window in windows:
            speech[round(window.start * DIARIZE_RATE) : round(window.end * DIARIZE_RATE)] = True
        level = float(np.sqrt(np.mean(np.square(audio[speech], dtype=np.float64)))) if speech.any() else 0.0
        gain = max(1.0, 10 ** (-30 / 20) / level) if level > 0 else 1.0
        mel = np.asarray(self._mel(np.asarray(audio * gain, dtype=np.float32)), dtype=np.float32)
        if len(mel) < _PARTIAL_FRAMES:
            mel = np.pad(mel, ((0, _PARTIAL_FRAMES - len(mel)), (0, 0)))
        slices = []
        for window in windows:
            centre = round(window.centre * 100)
            first = min(max(0, centre - _PARTIAL_FRAMES // 2), len(mel) - _PARTIAL_FRAMES)
            slices.append(mel[first : first + _PARTIAL_FRAMES])
        batch = np.stack(slices)
        torch = self._torch
        out = []
        with self._lock, torch.no_grad():
            for first in range(0, len(batch), _BATCH):
                chunk = torch.from_numpy(batch[first : first + _BATCH]).to(self.device)
                out.append(self._encoder(chunk).cpu().numpy())
        return np.concatenate(out).astype(np.float64)


def _thin(windows: list[Window], limit: int) -> list[Window]:
    """At most `limit` of `windows`, evenly spread (the rest of the speech takes their labels)."""
    if len(windows) <= limit:
        return windows
    step = len(windows) / limit
    return [windows[int(i * step)] for i in range(limit)]


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise EngineUnavailable(f"the resemblyzer diarizer needs PyTorch: {INSTALL}") from None
    return torch


def _load(device: str) -> tuple[Any, Any]:
    """The VoiceEncoder (on `device`, in eval mode) and Resemblyzer's mel-spectrogram function."""
    _import_torch()
    try:
        with warnings.catch_warnings():
            # resemblyzer 0.1.4 imports scipy.ndimage.morphology, deprecated since SciPy 1.8
            warnings.simplefilter("ignore", DeprecationWarning)
            from resemblyzer import VoiceEncoder
            from resemblyzer.audio import wav_to_mel_spectrogram
    except ImportError as exc:
        raise EngineUnavailable(
            f"the resemblyzer diarizer needs resemblyzer ({exc.name or exc} is missing): {INSTALL}"
        ) from None
    try:
        encoder = VoiceEncoder(device, verbose=False)
    except Exception as exc:  # resemblyzer raises a bare Exception for a missing weights file
        raise EngineUnavailable(f"cannot load the resemblyzer voice encoder: {exc}") from exc
    encoder.eval()
    return encoder, wav_to_mel_spectrogram
