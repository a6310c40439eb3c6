"""Finding the installed engines and the voices and models they offer.

`EngineRegistry.discover` reads the entry-point groups `mynah.tts_engines` and `mynah.stt_engines`,
constructs each engine with the `EngineConfig` that `config_for(name)` returns, and keeps the ones that
work. An engine that cannot load (its import fails, its constructor raises `EngineUnavailable` or
anything else, or the object is not an engine) is recorded with the reason instead, for `/health`; one
broken plug-in never stops the others. Nothing is discovered at import time.

Voice ids read `engine:name`. `find_voice` looks for the id among the engine's listed voices, then asks
the engine's `resolve_voice(name)` when it has one (espeak resolves variants such as `en-us+f3` and
language codes such as `fr-fr`). `find_stt_model` likewise asks an STT engine's `resolve_model(name)`
(faster-whisper resolves models it can fetch on first use, or says why it cannot).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Literal, Protocol, runtime_checkable

from mynah.engines.base import EngineConfig, SttEngine, SttModel, TtsEngine, Voice
from mynah.errors import EngineUnavailable, MynahError, UnknownModel, UnknownVoice

__all__ = ["STT_GROUP", "TTS_GROUP", "EngineRegistry", "ModelResolver", "Unavailable", "VoiceResolver"]

TTS_GROUP = "mynah.tts_engines"
STT_GROUP = "mynah.stt_engines"

_LOG = logging.getLogger(__name__)

Kind = Literal["tts", "stt"]


@runtime_checkable
class VoiceResolver(Protocol):
    """Optional for a TTS engine: turn a voice name it does not list (a variant, an alias) into a Voice."""

    def resolve_voice(self, name: str) -> Voice: ...


@runtime_checkable
class ModelResolver(Protocol):
    """Optional for an STT engine: turn a model name it does not list (one it can fetch on first use)
    into an SttModel, or raise `UnknownModel` saying why it cannot serve."""

    def resolve_model(self, name: str) -> SttModel: ...


@dataclass(frozen=True)
class Unavailable:
    """An engine that was found but could not be used, and why."""

    name: str
    kind: Kind
    reason: str


class EngineRegistry:
    """The engines this process can use. Build it with `discover`, or directly from engines in tests."""

    def __init__(
        self,
        tts: Mapping[str, TtsEngine] | None = None,
        stt: Mapping[str, SttEngine] | None = None,
        unavailable: Collection[Unavailable] = (),
    ) -> None:
        self.tts_engines: dict[str, TtsEngine] = dict(tts or {})
        self.stt_engines: dict[str, SttEngine] = dict(stt or {})
        self.unavailable: list[Unavailable] = list(unavailable)

    @classmethod
    def discover(
        cls, config_for: Callable[[str], EngineConfig], *, enabled: Collection[str] | None = None
    ) -> EngineRegistry:
        """Construct every engine installed through entry points (only those in `enabled`, if given).

        `config_for(name)` gives each engine its `EngineConfig` (its cache directory and options)."""
        registry = cls()
        groups: tuple[tuple[Kind, str], ...] = (("tts", TTS_GROUP), ("stt", STT_GROUP))
        for kind, group in groups:
            loaded: dict[str, Any] = registry.tts_engines if kind == "tts" else registry.stt_engines
            for point in _unique(entry_points(group=group)):
                if enabled is not None and point.name not in enabled:
                    continue
                engine, reason = _construct(point, kind, config_for)
                if engine is None:
                    _LOG.info("%s engine %r not available: %s", kind, point.name, reason)
                    registry.unavailable.append(Unavailable(point.name, kind, reason))
                else:
                    loaded[point.name] = engine
        return registry

    # ------------------------------------------------------------------------------------- voices

    def all_voices(self) -> list[Voice]:
        """Every voice of every loaded TTS engine, engine by engine in name order."""
        return [voice for name in sorted(self.tts_engines) for voice in self.tts_engines[name].voices()]

    def find_voice(self, voice_id: str) -> tuple[TtsEngine, Voice]:
        """The engine and voice for an id like `espeak:en-us`; raises `UnknownVoice`."""
        engine_name, sep, name = voice_id.partition(":")
        engine = self.tts_engines.get(engine_name) if sep else None
        if engine is not None and name:
            for voice in engine.voices():
                if voice.id == voice_id or voice.name.lower() == name.lower():
                    return engine, voice
            if isinstance(engine, VoiceResolver):
                try:
                    return engine, engine.resolve_voice(name)
                except UnknownVoice as exc:
                    raise UnknownVoice(f"{exc.message}; {_HOW_TO_LIST}", param="voice") from exc
        raise UnknownVoice(
            _unknown_voice_message(voice_id, engine_name if sep else None, self), param="voice"
        )

    # ------------------------------------------------------------------------------------- models

    def all_stt_models(self) -> list[SttModel]:
        """Every model of every loaded STT engine."""
        return [model for name in sorted(self.stt_engines) for model in self.stt_engines[name].models()]

    def find_stt_model(self, model_id: str) -> tuple[SttEngine, SttModel]:
        """The engine and model for an id like `pocketsphinx:en-us`; raises `UnknownModel`."""
        engine_name, sep, name = model_id.partition(":")
        engine = self.stt_engines.get(engine_name) if sep else None
        if engine is not None:
            for model in engine.models():
                if model.id == model_id or model.name.lower() == name.lower():
                    return engine, model
            if name and isinstance(engine, ModelResolver):
                return engine, engine.resolve_model(name)
        known = ", ".join(m.id for m in self.all_stt_models()) or "none"
        raise UnknownModel(f"unknown model {model_id!r}; models available: {known}", param="model")

    # ------------------------------------------------------------------------------------- preload

    def preload(self, model_ids: Sequence[str]) -> list[str]:
        """Load (and pin) each model of the preload list through its engine's `preload(name)`. A model
        that cannot load is logged and skipped; start-up goes on. Returns the ids that loaded."""
        loaded = []
        for model_id in model_ids:
            engine_name, _, name = model_id.strip().partition(":")
            engine: object = self.tts_engines.get(engine_name) or self.stt_engines.get(engine_name)
            load = getattr(engine, "preload", None)
            if load is None:
                _LOG.warning(
                    "cannot preload %s: no loaded engine %r that preloads models", model_id, engine_name
                )
                continue
            try:
                load(name)
            except MynahError as exc:
                _LOG.warning("cannot preload %s: %s", model_id, exc.message)
                continue
            loaded.append(model_id)
        return loaded

    # ------------------------------------------------------------------------------------- health

    def status(self) -> dict[str, Any]:
        """For /health: `loaded` engine names by kind, `unavailable` engine name -> reason, and the
        `capabilities` of each loaded engine by kind. An engine name unavailable as both TTS and STT
        appears once per kind, as `name (tts)` and `name (stt)`."""
        names = [u.name for u in self.unavailable]
        unavailable = {
            (f"{u.name} ({u.kind})" if names.count(u.name) > 1 else u.name): u.reason
            for u in self.unavailable
        }
        return {
            "loaded": {"tts": sorted(self.tts_engines), "stt": sorted(self.stt_engines)},
            "unavailable": unavailable,
            "capabilities": {
                "tts": {n: dataclasses.asdict(e.capabilities) for n, e in sorted(self.tts_engines.items())},
                "stt": {n: dataclasses.asdict(e.capabilities) for n, e in sorted(self.stt_engines.items())},
            },
        }


def _unique(points: Collection[EntryPoint]) -> list[EntryPoint]:
    """One entry point per name: the first one installed wins, as importlib.metadata orders them."""
    seen: dict[str, EntryPoint] = {}
    for point in points:
        if point.name in seen and seen[point.name].value != point.value:
            _LOG.warning("engine %r declared twice; using %s", point.name, seen[point.name].value)
        seen.setdefault(point.name, point)
    return list(seen.values())


def _construct(point: EntryPoint, kind: Kind, config_for: Callable[[str], EngineConfig]) -> tuple[Any, str]:
    """(engine, "") or (None, reason)."""
    try:
        factory = point.load()
    except Exception as exc:  # a broken plug-in must not take the server down
        return None, f"cannot import {point.value}: {type(exc).__name__}: {exc}"
    try:
        engine = factory(config_for(point.name))
    except EngineUnavailable as exc:
        return None, str(exc)
    except Exception as exc:  # likewise: record, log, carry on
        _LOG.exception("%s engine %r failed to start", kind, point.name)
        return None, f"failed to start: {type(exc).__name__}: {exc}"
    protocol: type = TtsEngine if kind == "tts" else SttEngine
    if not isinstance(engine, protocol):
        return None, f"{point.value} does not implement {protocol.__name__}"
    name = getattr(engine, "name", None)
    if name != point.name:
        return None, f"{point.value} calls itself {name!r}, but is installed as {point.name!r}"
    return engine, ""


def _unknown_voice_message(voice_id: str, engine_name: str | None, registry: EngineRegistry) -> str:
    if engine_name is None:
        return (
            f"unknown voice {voice_id!r}: voice ids read 'engine:name', e.g. 'espeak:en-us'; " + _HOW_TO_LIST
        )
    if engine_name not in registry.tts_engines:
        engines = ", ".join(sorted(registry.tts_engines)) or "none"
        return (
            f"unknown voice {voice_id!r}: no TTS engine {engine_name!r} (loaded: {engines}); " + _HOW_TO_LIST
        )
    return f"unknown voice {voice_id!r}; " + _HOW_TO_LIST


_HOW_TO_LIST = "list voices with GET /v1/audio/voices or `mynah voices`"
