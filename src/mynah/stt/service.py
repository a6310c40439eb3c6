"""Audio in, a Transcription out: model resolution, limits, decoding, the engine call.

upload bytes / file  ->  limits  ->  audio.decode (engine's rate, mono)  ->  engine.transcribe
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mynah.audio.decode import decode_audio
from mynah.config import OPENAI_STT_MODELS, SttSettings
from mynah.engines.base import SttEngine, SttModel, Transcription, TranscriptionOptions
from mynah.engines.registry import EngineRegistry
from mynah.errors import EngineFailed, InvalidAudio, MynahError, NotSupported, PayloadTooLarge, UnknownModel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedModel:
    engine: SttEngine
    model: SttModel
    requested: str
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class TranscriptResult:
    transcription: Transcription
    model: ResolvedModel


class TranscriptionService:
    def __init__(self, registry: EngineRegistry, settings: SttSettings) -> None:
        self._registry = registry
        self._settings = settings

    def model_ids(self) -> list[str]:
        native = [m.id for engine in self._registry.stt_engines.values() for m in engine.models()]
        return [*OPENAI_STT_MODELS, *native]

    def resolve_model(self, model: str | None) -> ResolvedModel:
        requested = (model or OPENAI_STT_MODELS[0]).strip()
        if requested in OPENAI_STT_MODELS:
            chain = list(self._settings.default_model)
        elif requested in self._registry.stt_engines:
            chain = [m.id for m in self._registry.stt_engines[requested].models()]
        else:
            chain = [requested]
        skipped: list[str] = []
        for candidate in chain:
            try:
                engine, found = self._registry.find_stt_model(candidate)
            except UnknownModel as exc:
                skipped.append(f"{candidate}: {exc.message}")
                continue
            return ResolvedModel(engine=engine, model=found, requested=requested, skipped=tuple(skipped))
        raise UnknownModel(
            f"unknown transcription model {requested!r}; use one of {', '.join(self.model_ids())}",
            param="model",
        )

    def check_upload_size(self, size: int) -> None:
        if size == 0:
            raise InvalidAudio("the uploaded file is empty", param="file")
        if size > self._settings.max_upload_bytes:
            raise PayloadTooLarge(
                f"upload is {size:,} bytes; the limit is {self._settings.max_upload_bytes:,}", param="file"
            )

    def transcribe(
        self,
        source: bytes | Path | BinaryIO,
        *,
        resolved: ResolvedModel,
        language: str | None = None,
        prompt: str | None = None,
        task: str = "transcribe",
        word_timestamps: bool = True,
    ) -> TranscriptResult:
        caps = resolved.engine.capabilities
        if task == "translate" and not caps.translate:
            raise NotSupported(
                f"model {resolved.model.id} cannot translate; no translation engine is available here",
                param="model",
            )
        if task not in ("transcribe", "translate"):
            raise NotSupported(f"unknown task {task!r}; use transcribe or translate", param="task")
        language = _normalise_language(language)
        if language and resolved.model.languages and not _language_supported(language, resolved.model):
            raise NotSupported(
                f"model {resolved.model.id} does not know language {language!r}; "
                f"it knows {', '.join(resolved.model.languages)}",
                param="language",
            )
        audio = decode_audio(source, caps.sample_rate, max_seconds=self._settings.max_audio_seconds)
        options = TranscriptionOptions(
            model=resolved.model.name,
            language=language,
            prompt=prompt or None,
            task="translate" if task == "translate" else "transcribe",
            word_timestamps=word_timestamps,
        )
        try:
            transcription = resolved.engine.transcribe(audio, options)
        except MynahError:
            raise
        except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
            log.exception("engine %s failed", resolved.engine.name)
            raise EngineFailed(f"engine {resolved.engine.name} failed: {exc}") from exc
        return TranscriptResult(transcription=transcription, model=resolved)


def _normalise_language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    return language.strip().replace("_", "-").lower()


def _language_supported(language: str, model: SttModel) -> bool:
    known = {lang.lower() for lang in model.languages}
    return language in known or language.split("-")[0] in {k.split("-")[0] for k in known}
