"""Speaker diarization: who spoke when, and who said each word of a transcript.

    Diarizer (protocol)        diarize(audio, rate, *, num_speakers, min_speakers, max_speakers) -> [SpeakerTurn]
    ├── MfccDiarizer           default: MFCC statistics + spectral clustering, numpy/scipy only, offline
    ├── ResemblyzerDiarizer    Resemblyzer's neural d-vectors + the same clustering (needs torch, resemblyzer)
    └── PyannoteDiarizer       a pyannote.audio pipeline from weights the user supplies (needs pyannote.audio)
    diarize_channels           one speaker per channel (stereo calls): per-channel VAD, crosstalk removed
    assign_speakers            a speaker on every word; segments split where the speaker changes
    utterances                 the transcript as runs of one speaker's words

Speakers are named `SPEAKER_0`, `SPEAKER_1`, ... in order of first appearance (by channel index for
`diarize_channels`). Optional engines import their libraries only when built and raise
`mynah.errors.EngineUnavailable` with the pip command when those are missing; nothing is loaded at
import time.
"""

from __future__ import annotations

from mynah.errors import InvalidRequest
from mynah.stt.diarize.assign import Utterance, assign_speakers, utterances
from mynah.stt.diarize.base import Diarizer, SpeakerTurn
from mynah.stt.diarize.channels import diarize_channels
from mynah.stt.diarize.embeddings import MfccDiarizer
from mynah.stt.diarize.pyannote import PyannoteDiarizer
from mynah.stt.diarize.resemblyzer import ResemblyzerDiarizer

__all__ = [
    "DIARIZERS",
    "Diarizer",
    "MfccDiarizer",
    "PyannoteDiarizer",
    "ResemblyzerDiarizer",
    "SpeakerTurn",
    "Utterance",
    "assign_speakers",
    "create_diarizer",
    "default_diarizer",
    "diarize_channels",
    "utterances",
]

DIARIZERS = ("mfcc", "resemblyzer", "pyannote")
"""The names `create_diarizer` takes."""


def default_diarizer() -> Diarizer:
    """The diarizer that works everywhere: `MfccDiarizer` (no model files, no torch)."""
    return MfccDiarizer()


def create_diarizer(
    name: str = "mfcc", *, model: str | None = None, token: str | None = None, device: str = "cpu"
) -> Diarizer:
    """A diarizer by name (one of `DIARIZERS`).

    `model` and `token` are for "pyannote" (a Hugging Face pipeline name or a local directory, and
    an access token); `device` ("cpu", "cuda", ...) for the neural engines. An engine that cannot
    load raises `mynah.errors.EngineUnavailable`; an unknown name raises `InvalidRequest`.
    """
    key = name.strip().lower()
    if key == "mfcc":
        return MfccDiarizer()
    if key == "resemblyzer":
        return ResemblyzerDiarizer(device=device)
    if key == "pyannote":
        if model is None:
            return PyannoteDiarizer(token=token, device=device)
        return PyannoteDiarizer(model, token=token, device=device)
    raise InvalidRequest(f"unknown diarizer {name!r}; use one of {', '.join(DIARIZERS)}", param="diarizer")
