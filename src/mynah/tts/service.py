"""Text in, audio chunks out: voice resolution with fallback chains, validation, sentence streaming.

The service does everything that must happen before the first byte of a response leaves (resolve the
voice, check the text and the parameters) in `prepare`, and only then streams in `stream`, so a bad
request is always a clean 4xx and never an error in the middle of a 200.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from mynah.config import OPENAI_TTS_MODELS, TtsSettings
from mynah.engines.base import AudioChunk, SynthesisOptions, TtsEngine, Voice, WordTiming
from mynah.engines.registry import EngineRegistry
from mynah.errors import (
    EngineFailed,
    InvalidRequest,
    InvalidText,
    MynahError,
    PayloadTooLarge,
    UnknownModel,
    UnknownVoice,
)
from mynah.tts.sentences import split_sentences

log = logging.getLogger(__name__)

MIN_SPEED = 0.25
MAX_SPEED = 4.0


@dataclass(frozen=True)
class ResolvedVoice:
    """The voice that will speak, and how it was chosen from what was asked."""

    engine: TtsEngine
    voice: Voice
    requested: str
    skipped: tuple[str, ...] = ()
    """Voices earlier in the chain that could not serve (`id: reason`), so callers can say so."""


@dataclass(frozen=True)
class PreparedSpeech:
    text: str
    resolved: ResolvedVoice
    speed: float = 1.0
    sentences: tuple[tuple[int, int], ...] = field(default=())


class SpeechService:
    def __init__(self, registry: EngineRegistry, settings: TtsSettings) -> None:
        self._registry = registry
        self._settings = settings

    # ------------------------------------------------------------------------------------ resolve

    def model_ids(self) -> list[str]:
        return [*OPENAI_TTS_MODELS, *sorted(self._registry.tts_engines)]

    def resolve_voice(self, voice: str | None, model: str | None = None) -> ResolvedVoice:
        """Turn what a request asked for into one voice that exists here.

        `voice` is a native id (`espeak:en-us`), an alias from the settings (OpenAI's `alloy`...), or a
        bare engine voice name when `model` names the engine. `model` is an OpenAI model name (any voice),
        or an engine name (only that engine's voices)."""
        engine_filter = self._engine_filter(model)
        requested = (voice or self._settings.default_voice).strip()
        if not requested:
            raise UnknownVoice("voice must not be empty", param="voice")
        chain = self._settings.voice_aliases.get(requested.lower())
        if chain is None:
            if ":" not in requested and engine_filter is not None:
                chain = [f"{engine_filter}:{requested}"]
            else:
                chain = [requested]
        skipped: list[str] = []
        for candidate in chain:
            if engine_filter is not None and candidate.split(":", 1)[0] != engine_filter:
                skipped.append(f"{candidate}: not from engine {engine_filter}")
                continue
            try:
                engine, found = self._registry.find_voice(candidate)
            except UnknownVoice as exc:
                skipped.append(f"{candidate}: {exc.message}")
                continue
            if skipped and candidate != chain[0]:
                log.info("voice %r served by %s (skipped: %s)", requested, found.id, "; ".join(skipped))
            return ResolvedVoice(engine=engine, voice=found, requested=requested, skipped=tuple(skipped))
        if len(chain) == 1 and not skipped[0].startswith(chain[0] + ": not from"):
            raise UnknownVoice(
                f"unknown voice {requested!r}; GET /v1/audio/voices (or `mynah voices`) lists the voices here",
                param="voice",
            )
        raise UnknownVoice(
            f"no voice can serve {requested!r} here (tried {'; '.join(skipped)})",
            param="voice",
        )

    def _engine_filter(self, model: str | None) -> str | None:
        if model is None or model in OPENAI_TTS_MODELS:
            return None
        if model in self._registry.tts_engines:
            return model
        raise UnknownModel(
            f"unknown speech model {model!r}; use one of {', '.join(self.model_ids())}", param="model"
        )

    # ------------------------------------------------------------------------------------ prepare

    def prepare(
        self, text: str, *, voice: str | None = None, model: str | None = None, speed: float = 1.0
    ) -> PreparedSpeech:
        """Check everything about a request; raise before any audio is made."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidText("input must not be empty", param="input")
        if len(text) > self._settings.max_input_chars:
            raise PayloadTooLarge(
                f"input is {len(text):,} characters; the limit is {self._settings.max_input_chars:,}",
                param="input",
            )
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise InvalidRequest(
                f"speed must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}", param="speed"
            )
        resolved = self.resolve_voice(voice, model)
        if speed != 1.0 and not resolved.engine.capabilities.native_speed:
            raise InvalidRequest(
                f"voice {resolved.voice.id} cannot change speed; use speed 1.0", param="speed"
            )
        return PreparedSpeech(
            text=text, resolved=resolved, speed=speed, sentences=tuple(split_sentences(text))
        )

    # ------------------------------------------------------------------------------------ stream

    def stream(self, prepared: PreparedSpeech) -> Iterator[AudioChunk]:
        """Synthesise sentence by sentence. Word timings come out global: seconds from the start of the
        whole stream, character offsets into the request's text."""
        engine, voice = prepared.resolved.engine, prepared.resolved.voice
        options = SynthesisOptions(voice=voice.name, speed=prepared.speed)
        elapsed = 0.0
        for start, end in prepared.sentences:
            sentence = prepared.text[start:end]
            try:
                for chunk in engine.synthesize(sentence, options):
                    words = tuple(_shift(w, elapsed, start) for w in chunk.words)
                    elapsed += chunk.duration
                    yield replace(chunk, words=words)
            except MynahError:
                raise
            except Exception as exc:  # an engine bug must not become a bare 500 with a traceback
                log.exception("engine %s failed on voice %s", engine.name, voice.id)
                raise EngineFailed(f"engine {engine.name} failed: {exc}") from exc


def _shift(word: WordTiming, seconds: float, chars: int) -> WordTiming:
    return replace(
        word,
        start=word.start + seconds,
        end=word.end + seconds,
        text_start=word.text_start + chars,
        text_end=word.text_end + chars,
    )
