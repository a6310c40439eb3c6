"""The running pieces of mynah, built once from Settings and shared by the server and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mynah.config import Settings
from mynah.engines.base import EngineConfig
from mynah.engines.registry import EngineRegistry
from mynah.stt.service import TranscriptionService
from mynah.tts.service import SpeechService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    registry: EngineRegistry
    speech: SpeechService
    transcription: TranscriptionService

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        def config_for(engine: str) -> EngineConfig:
            return EngineConfig(cache_dir=settings.data_dir / "engines" / engine)

        enabled = set(settings.engines) if settings.engines is not None else None
        registry = EngineRegistry.discover(config_for, enabled=enabled)
        for name, reason in registry.status().get("unavailable", {}).items():
            log.info("engine %s not available: %s", name, reason)
        return cls(
            settings=settings,
            registry=registry,
            speech=SpeechService(registry, settings.tts),
            transcription=TranscriptionService(registry, settings.stt),
        )
