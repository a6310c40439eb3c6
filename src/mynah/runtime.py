"""The running pieces of mynah, built once from Settings and shared by the server and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mynah.config import Settings
from mynah.engines.base import EngineConfig
from mynah.engines.registry import EngineRegistry
from mynah.models.manager import ModelManager
from mynah.store import LexiconStore, Store, TranscriptCacheStore, database_url
from mynah.stt.service import TranscriptionService
from mynah.stt.vad import SileroVad, VoiceActivityDetector, WebRtcVad
from mynah.tts.service import ClipLoader, FetchBytes, SpeechService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    registry: EngineRegistry
    speech: SpeechService
    transcription: TranscriptionService
    store: Store
    lexicons: LexiconStore
    models: ModelManager | None = None
    """Neural model files and loaded models, shared by the engines (mynah.models)."""

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        models = ModelManager(settings.models, cache_dir=settings.data_dir / "models")

        def config_for(engine: str) -> EngineConfig:
            return EngineConfig(
                cache_dir=settings.data_dir / "engines" / engine,
                options=dict(settings.engine_options.get(engine, {})),
                models=models,
            )

        enabled = set(settings.engines) if settings.engines is not None else None
        registry = EngineRegistry.discover(config_for, enabled=enabled)
        registry.preload(settings.models.preload)
        store = Store.open(database_url(settings))
        lexicons = LexiconStore(store)
        return cls(
            settings=settings,
            registry=registry,
            speech=SpeechService(
                registry,
                settings.tts,
                clip_loader=ClipLoader(_fetcher(settings)),
                matcher_for=lexicons.matcher_for,
            ),
            transcription=TranscriptionService(
                registry,
                settings.stt,
                vad=_vad(settings),
                cache=TranscriptCacheStore(store) if settings.stt.cache else None,
            ),
            store=store,
            lexicons=lexicons,
            models=models,
        )


def _fetcher(settings: Settings) -> FetchBytes:
    """URL fetching with the SSRF protections of mynah.net.fetch and the configured limits."""
    from mynah.net.fetch import fetch_url

    def fetch(url: str, max_bytes: int) -> bytes:
        return fetch_url(
            url,
            max_bytes=max_bytes,
            timeout=settings.net.fetch_timeout,
            max_redirects=settings.net.max_redirects,
            allow_private=settings.net.allow_private_urls,
        ).data

    return fetch


def _vad(settings: Settings) -> VoiceActivityDetector:
    """The configured detector; Silero needs faster-whisper, and says so (EngineUnavailable) if missing."""
    if settings.stt.vad == "silero":
        return SileroVad()
    return WebRtcVad()
