"""Diarization with a pyannote.audio pipeline, for users who have its weights (an optional extra).

pyannote's pretrained pipelines (`pyannote/speaker-diarization-3.1`,
`pyannote/speaker-diarization-community-1`, ...) are gated on Hugging Face: accept the model's
conditions on its page, then either give a Hugging Face access token, or download the pipeline once
and give its local directory (or its `config.yaml`). mynah never downloads them on its own behalf
beyond what `Pipeline.from_pretrained` does with the name and token given.

    pip install pyannote.audio

pyannote.audio 3.x returns an `Annotation`; 4.x returns a `DiarizeOutput` holding one (and an
"exclusive" variant without overlapping turns, meant for aligning with transcripts). Both work.
"""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import Any

import numpy as np

from mynah.errors import EngineFailed, EngineUnavailable
from mynah.stt.diarize.base import (
    DIARIZE_RATE,
    SpeakerTurn,
    check_speaker_counts,
    mono_16k,
    relabel_in_order,
)
from mynah.types import Samples

__all__ = ["DEFAULT_PIPELINE", "INSTALL", "PyannoteDiarizer"]

INSTALL = "pip install pyannote.audio"
DEFAULT_PIPELINE = "pyannote/speaker-diarization-3.1"


class PyannoteDiarizer:
    """Speaker diarization with `pyannote.audio.Pipeline.from_pretrained(model)`.

    `model` is a Hugging Face pipeline name (needs `token`, or a token saved by `huggingface-cli
    login`, and the model's conditions accepted) or a local directory / `config.yaml` of a downloaded
    pipeline. `exclusive` asks pyannote 4 for turns without overlap (pyannote 3 always overlaps where
    two people speak). The pipeline is loaded here; anything that stops it (pyannote.audio missing,
    weights missing or gated, a bad token) raises `mynah.errors.EngineUnavailable` saying what to do.
    """

    name = "pyannote"

    def __init__(
        self,
        model: str | Path = DEFAULT_PIPELINE,
        *,
        token: str | None = None,
        cache_dir: Path | None = None,
        device: str = "cpu",
        exclusive: bool = False,
    ) -> None:
        self.model = str(model)
        self.exclusive = exclusive
        self._lock = threading.Lock()
        try:
            import torch
            from pyannote.audio import Pipeline
        except ImportError as exc:
            raise EngineUnavailable(
                f"the pyannote diarizer needs pyannote.audio ({exc.name or exc} is missing): {INSTALL}"
            ) from None
        source = _source(model)
        self._torch = torch
        try:
            pipeline = Pipeline.from_pretrained(source, **_auth(Pipeline.from_pretrained, token, cache_dir))
        except Exception as exc:  # hub, yaml and torch errors have no common base
            raise EngineUnavailable(f"cannot load the pyannote pipeline {self.model!r}: {exc}") from exc
        if pipeline is None:  # pyannote 3 returns None (and prints why) when the hub refuses
            raise EngineUnavailable(
                f"cannot load the pyannote pipeline {self.model!r}: it is gated on Hugging Face; accept its "
                "conditions on the model page and give an access token, or give the local directory of a "
                "downloaded copy"
            )
        try:
            pipeline.to(torch.device(device))
        except Exception as exc:  # an unknown or unavailable device
            raise EngineUnavailable(f"cannot move the pyannote pipeline to {device!r}: {exc}") from exc
        self._pipeline = pipeline

    def diarize(
        self,
        audio: Samples,
        sample_rate: int,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> list[SpeakerTurn]:
        check_speaker_counts(num_speakers, min_speakers, max_speakers)
        mono = mono_16k(audio, sample_rate)
        if len(mono) == 0:
            return []
        waveform = self._torch.from_numpy(np.ascontiguousarray(mono[np.newaxis, :]))
        counts = {
            key: value
            for key, value in (
                ("num_speakers", num_speakers),
                ("min_speakers", min_speakers),
                ("max_speakers", max_speakers),
            )
            if value is not None
        }
        try:
            with self._lock:
                output = self._pipeline({"waveform": waveform, "sample_rate": DIARIZE_RATE}, **counts)
        except Exception as exc:  # a pipeline failure on valid audio
            raise EngineFailed(f"the pyannote pipeline failed: {exc}") from exc
        return relabel_in_order(
            [
                SpeakerTurn(float(segment.start), float(segment.end), str(label))
                for segment, _, label in _annotation(output, exclusive=self.exclusive).itertracks(
                    yield_label=True
                )
            ]
        )


def _source(model: str | Path) -> str:
    """The name or path to hand to `from_pretrained`; a path that does not exist is an error now."""
    text = str(model)
    looks_local = (
        isinstance(model, Path) or text.startswith((".", "/", "~")) or text.endswith((".yaml", ".yml"))
    )
    if looks_local:
        path = Path(text).expanduser()
        if not path.exists():
            raise EngineUnavailable(
                f"no pyannote pipeline at {str(path)!r}: give the directory (or config.yaml) of a downloaded "
                f"pipeline, or a Hugging Face name such as {DEFAULT_PIPELINE!r} with a token"
            )
        return str(path)
    return text


def _auth(from_pretrained: Any, token: str | None, cache_dir: Path | None) -> dict[str, Any]:
    """Keyword arguments for `from_pretrained`: pyannote 4 calls the token `token`, 3 `use_auth_token`."""
    try:
        parameters: set[str] = set(inspect.signature(from_pretrained).parameters)
    except (TypeError, ValueError):
        parameters = set()
    kwargs: dict[str, Any] = {}
    if token is not None:
        kwargs["token" if "token" in parameters else "use_auth_token"] = token
    if cache_dir is not None:
        kwargs["cache_dir"] = str(cache_dir)
    return kwargs


def _annotation(output: Any, *, exclusive: bool) -> Any:
    if exclusive and hasattr(output, "exclusive_speaker_diarization"):
        return output.exclusive_speaker_diarization
    if hasattr(output, "speaker_diarization"):
        return output.speaker_diarization
    return output
