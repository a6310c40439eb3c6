"""The running pieces of mynah, built once from Settings and shared by the server and the CLI.

`Runtime.start(settings)` builds them; `close()` releases what `start` acquired (the model manager's
reaper thread and loaded models, the database's connections). The server's lifespan closes the
runtime it started on shutdown, the CLI closes it when a command finishes. A runtime can be used as a
context manager:

    with Runtime.start(Settings()) as runtime:
        ...
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from mynah.config import Settings
from mynah.engines.base import EngineConfig
from mynah.engines.registry import EngineRegistry
from mynah.models.manager import ModelManager
from mynah.store import LexiconStore, Store, TranscriptCacheStore, database_url
from mynah.stt.service import TranscriptionService
from mynah.stt.vad import SileroVad, VoiceActivityDetector, WebRtcVad
from mynah.tts.service import ClipLoader, FetchBytes, SpeechService

if TYPE_CHECKING:
    from mynah.cluster import Cluster

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
    cluster: Cluster | None = None
    """The Ray cluster the engines run on (MYNAH_CLUSTER__ADDRESS), None: in this process."""
    _close_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    _closed: threading.Event = field(default_factory=threading.Event, init=False, repr=False, compare=False)

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        models = open_models(settings)
        registry = discover_engines(settings, models)
        try:
            registry.preload(settings.models.preload)
            store = Store.open(database_url(settings))
        except BaseException:
            models.close()
            raise
        lexicons = LexiconStore(store)
        runtime = cls(
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
        if settings.cluster.address is None:
            return runtime
        from mynah.cluster import attach

        try:
            return attach(runtime)
        except BaseException:
            runtime.close()
            raise

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Stop the model manager (its reaper thread ends, idle models are unloaded) and dispose of
        the database engine (its pooled connections close). Idempotent and thread-safe; the first
        call returns once everything is released."""
        with self._close_lock:
            if self._closed.is_set():
                return
            try:
                if self.cluster is not None:
                    self.cluster.close()
                if self.models is not None:
                    self.models.close()
            finally:
                self.store.close()
                self._closed.set()
            log.debug("runtime closed")

    def __enter__(self) -> Runtime:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open_models(settings: Settings) -> ModelManager:
    """The model manager over the configured cache (MYNAH_MODELS__CACHE_DIR, else data_dir/models)."""
    return ModelManager(settings.models, cache_dir=settings.data_dir / "models")


def discover_engines(settings: Settings, models: ModelManager) -> EngineRegistry:
    """Every installed engine that `settings.engines` allows, each with its cache directory, options and
    the shared model manager; the ones that cannot start are recorded with the reason."""

    def config_for(engine: str) -> EngineConfig:
        return EngineConfig(
            cache_dir=settings.data_dir / "engines" / engine,
            options=dict(settings.engine_options.get(engine, {})),
            models=models,
        )

    enabled = set(settings.engines) if settings.engines is not None else None
    return EngineRegistry.discover(config_for, enabled=enabled)


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
