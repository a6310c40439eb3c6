"""What OpenAI's names mean on this machine: the best voice or model installed now, by one ranking.

OpenAI's voice names (alloy ... cedar) and model names (tts-1, whisper-1, ...) are not voices or models
of their own here. Each request resolves them again, so a `mynah models pull` or `rm` changes what they
mean at the next request, without a restart:

    1. the user's own chain, when one is configured, in its order
       (MYNAH_TTS__VOICE_ALIASES='{"alloy": ["piper:en_US-amy-medium"]}',
       MYNAH_STT__DEFAULT_MODEL='["whisper:small"]'; a model named there may be fetched on first use)
    2. then every voice or model installed, best first:
       voices  neural before embedded: kokoro, piper, any other engine, flite, espeak-ng;
               the alias's accent (en-US; en-GB for ballad, fable, sage) before other English;
               higher quality first (Piper high > medium > low > x_low);
               the alias's own voice (alloy: kokoro af_alloy, piper en_US-lessac-medium, espeak en-us+f3);
               the alias's gender; then by id
       models  only those that can do what was asked (translate; the language);
               whisper before any other engine before pocketsphinx;
               larger first (size on disk; sizes within 25 % of each other count as equal);
               for English, an English-only model before a multilingual one of that size; then by id

`rank_voices` and `rank_models` are pure functions of what is installed; the services call them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from mynah.engines.base import SttModel, Voice
from mynah.models.catalog import lookup

__all__ = [
    "EMBEDDED_ENGINES",
    "OPENAI_VOICES",
    "SUGGESTED_PULL",
    "VoiceWish",
    "can_translate",
    "rank_models",
    "rank_voices",
    "skip_note",
]


@dataclass(frozen=True)
class VoiceWish:
    """What an OpenAI voice name asks of a native voice."""

    language: str
    """The accent, a BCP-47 tag; voices of the same base language (en) qualify."""
    gender: str
    prefer: tuple[str, ...]
    """Native voices that fit the name best, tried first among voices of equal engine and quality."""


def _wish(language: str, gender: str, *prefer: str) -> VoiceWish:
    return VoiceWish(language, gender, prefer)


OPENAI_VOICES: dict[str, VoiceWish] = {
    "alloy": _wish(
        "en-US", "female", "kokoro:af_alloy", "piper:en_US-lessac-medium", "flite:slt", "espeak:en-us+f3"
    ),
    "ash": _wish(
        "en-US", "male", "kokoro:am_adam", "piper:en_US-ryan-medium", "flite:rms", "espeak:en-us+m3"
    ),
    "ballad": _wish(
        "en-GB",
        "male",
        "kokoro:bm_george",
        "piper:en_GB-alan-medium",
        "flite:awb",
        "espeak:en-gb-scotland+m2",
    ),
    "coral": _wish(
        "en-US", "female", "kokoro:af_heart", "piper:en_US-amy-medium", "flite:slt", "espeak:en-us+f2"
    ),
    "echo": _wish(
        "en-US", "male", "kokoro:am_echo", "piper:en_US-ryan-medium", "flite:rms", "espeak:en-us+m1"
    ),
    "fable": _wish(
        "en-GB", "male", "kokoro:bm_fable", "piper:en_GB-alan-medium", "flite:awb", "espeak:en-gb+m3"
    ),
    "nova": _wish(
        "en-US", "female", "kokoro:af_nova", "piper:en_US-amy-medium", "flite:slt", "espeak:en-us+f4"
    ),
    "onyx": _wish(
        "en-US", "male", "kokoro:am_onyx", "piper:en_US-ryan-medium", "flite:rms", "espeak:en-us+m7"
    ),
    "sage": _wish(
        "en-GB", "female", "kokoro:bf_emma", "piper:en_GB-alba-medium", "flite:slt", "espeak:en-gb+f3"
    ),
    "shimmer": _wish(
        "en-US", "female", "kokoro:af_bella", "piper:en_US-lessac-medium", "flite:slt", "espeak:en-us+f5"
    ),
    "verse": _wish(
        "en-US", "male", "kokoro:am_michael", "piper:en_US-ryan-medium", "flite:kal16", "espeak:en-us+m2"
    ),
    "marin": _wish(
        "en-US", "female", "kokoro:af_sarah", "piper:en_US-lessac-medium", "flite:slt", "espeak:en-us+f1"
    ),
    "cedar": _wish(
        "en-US", "male", "kokoro:am_liam", "piper:en_US-ryan-medium", "flite:rms", "espeak:en-us+m4"
    ),
}
"""OpenAI's voice names and what each asks for; `rank_voices` turns that into installed voices."""

_VOICE_TIERS = {"kokoro": 0, "piper": 1, "flite": 3, "espeak": 4}
_OTHER_VOICE_TIER = 2
_MODEL_TIERS = {"whisper": 0, "pocketsphinx": 2}
_OTHER_MODEL_TIER = 1
_PIPER_QUALITY = {"high": 0, "medium": 1, "low": 2, "x_low": 3}

EMBEDDED_ENGINES = frozenset({"espeak", "flite", "pocketsphinx"})
"""Engines that need no model files: an alias served by one of them while a neural engine is loaded
says so (`x-mynah-fallback`), with the pull that would give it a neural voice or model."""

SUGGESTED_PULL = {
    "piper": "piper:en_US-lessac-medium",
    "kokoro": "kokoro:v1.0",
    "whisper": "whisper:base",
}
"""What to pull for a neural engine that has nothing installed."""


def rank_voices(voices: Iterable[Voice], wish: VoiceWish) -> list[Voice]:
    """The voices that speak `wish`'s language, best first (see the module docstring)."""
    base = _base(wish.language)
    fitting = {v.id: v for v in voices if _base(v.language) == base}
    prefer = {voice_id: index for index, voice_id in enumerate(wish.prefer)}

    def key(voice: Voice) -> tuple[int, int, int, int, int, str]:
        accent = 0 if voice.language.lower() == wish.language.lower() else 1
        gender = 0 if voice.gender == wish.gender else 1 if voice.gender is None else 2
        return (
            _VOICE_TIERS.get(voice.engine, _OTHER_VOICE_TIER),
            accent,
            _quality(voice),
            prefer.get(voice.id, len(prefer)),
            gender,
            voice.id,
        )

    return sorted(fitting.values(), key=key)


def can_translate(model: SttModel, engine_translates: bool) -> bool:
    """Whether `model` translates into English: its engine can, and the model is multilingual (the
    catalog knows the exceptions, such as large-v3-turbo)."""
    if not engine_translates:
        return False
    entry = lookup(model.id)
    if entry is not None and entry.kind == "stt":
        return entry.translate
    return len(model.languages) != 1


def rank_models(models: Iterable[SttModel], *, language: str | None = None) -> list[SttModel]:
    """`models` best first (see the module docstring); filtering by what a request asks is the
    caller's (`TranscriptionService`, which knows the engines)."""
    english = language is not None and _base(language) == "en"

    def key(model: SttModel) -> tuple[int, int, int, str]:
        size = model.size_bytes or _catalog_bytes(model)
        size_class = -round(math.log(size, 1.25)) if size else 0
        english_only = tuple(lang.lower() for lang in model.languages) == ("en",)
        return (
            _MODEL_TIERS.get(model.engine, _OTHER_MODEL_TIER),
            size_class,
            0 if english_only == english else 1,
            model.id,
        )

    return sorted({m.id: m for m in models}.values(), key=key)


def _catalog_bytes(model: SttModel) -> int:
    entry = lookup(model.id)
    return entry.disk_mb * 2**20 if entry is not None else 0


def _quality(voice: Voice) -> int:
    if voice.engine != "piper":
        return 0
    return _PIPER_QUALITY.get(voice.name.split("#", 1)[0].rsplit("-", 1)[-1], 1)


def _base(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


def skip_note(candidate: str, message: str) -> str:
    """`id: reason` for a candidate passed over (the form of `x-mynah-fallback` and `/health`)."""
    return f"{candidate}: {message.removeprefix(candidate + ' is ')}"
