"""Text in, audio out: validation, voice resolution with fallback chains, and running a synthesis plan.

    prepare(text | SSML, voice, speed, ...)   everything that can fail on bad input fails HERE, before
                                               the first byte of a response leaves
    stream(prepared) -> SpeechChunk...         audio at one output rate, with word / sentence / mark
                                               timings whose offsets point into the ORIGINAL input

What an engine cannot do natively is done in DSP after synthesis (speed and SSML rate by time-stretch,
pitch by pitch-shift, volume by gain), so every engine honours every prosody tag.
"""

from __future__ import annotations

import base64
import difflib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from mynah.aliases import EMBEDDED_ENGINES, OPENAI_VOICES, SUGGESTED_PULL, VoiceWish, rank_voices, skip_note
from mynah.audio.decode import decode_audio
from mynah.config import OPENAI_TTS_MODELS, TtsSettings
from mynah.engines.base import TtsEngine, Voice
from mynah.engines.registry import EngineRegistry
from mynah.errors import (
    InvalidRequest,
    InvalidText,
    ModelNotDownloaded,
    MynahError,
    PayloadTooLarge,
    UnknownModel,
    UnknownVoice,
)
from mynah.models.catalog import FEATURED
from mynah.text.ssml import looks_like_ssml, ssml_size
from mynah.tts.plan import Clip, MatcherFor, Normalization, Plan, Say, Script, build_plan
from mynah.tts.runner import Runner, clamp
from mynah.tts.speech import PreparedSpeech, ResolvedVoice, SpeechChunk, SpeechMark, StreamState
from mynah.types import Samples

log = logging.getLogger(__name__)

MIN_SPEED = 0.25
FASTEST_CHARS_PER_SECOND = 30.0
"""An upper bound on any voice's pace at speed 1 (narrators read about 15 characters a second)."""
MAX_SPEED = 4.0
FetchBytes = Callable[[str, int], bytes]
"""`fetch(url, max_bytes) -> bytes`, refusing private addresses (see mynah.net.fetch)."""


class SpeechService:
    def __init__(
        self,
        registry: EngineRegistry,
        settings: TtsSettings,
        *,
        matcher_for: MatcherFor | None = None,
        clip_loader: ClipLoader | None = None,
    ) -> None:
        self._registry = registry
        self._settings = settings
        self._matcher_for = matcher_for
        self._clip_loader = clip_loader

    # ------------------------------------------------------------------------------------ resolve

    def model_ids(self) -> list[str]:
        return [*OPENAI_TTS_MODELS, *sorted(self._registry.tts_engines)]

    def aliases(self) -> list[str]:
        """Every name that resolves to a voice chain: OpenAI's voice names, then the user's own."""
        return [*OPENAI_VOICES, *(a for a in self._settings.voice_aliases if a not in OPENAI_VOICES)]

    def is_alias(self, name: str) -> bool:
        return name.strip().lower() in OPENAI_VOICES or name.strip().lower() in self._settings.voice_aliases

    def resolve_voice(self, voice: str | None, model: str | None = None) -> ResolvedVoice:
        """Turn what a request asked for into the voice that will speak, and the ones behind it.

        `voice` is a native id (`espeak:en-us`), an alias (OpenAI's `alloy`..., or one configured in
        MYNAH_TTS__VOICE_ALIASES), or a bare engine voice name when `model` names the engine. An alias
        is the user's chain for it, then the best voices installed now (mynah.aliases). `model` is an
        OpenAI model name (any voice), or an engine name (only that engine's voices)."""
        engine_filter = self._engine_filter(model)
        requested = (self._settings.default_voice if voice is None else voice).strip()
        if not requested:
            raise UnknownVoice("voice must not be empty", param="voice")
        if not self.is_alias(requested):
            wanted = f"{engine_filter}:{requested}" if ":" not in requested and engine_filter else requested
            return self._explicit(wanted, requested, engine_filter)
        chain = self._settings.voice_aliases.get(requested.lower(), [])
        wish = OPENAI_VOICES.get(requested.lower())
        found: list[tuple[TtsEngine, Voice]] = []
        skipped: list[str] = []
        for candidate in chain:
            if engine_filter is not None and candidate.split(":", 1)[0] != engine_filter:
                continue
            try:
                found.append(self._registry.find_voice(candidate))
            except (UnknownVoice, ModelNotDownloaded) as exc:
                if not found:
                    skipped.append(skip_note(candidate, exc.message))
        if wish is not None:
            have = {v.id for _, v in found}
            ranked = [
                (self._registry.tts_engines[v.engine], v)
                for v in rank_voices(self._installed_voices(wish), wish)
                if v.id not in have and engine_filter in (None, v.engine)
            ]
            if not found and ranked and ranked[0][1].engine in EMBEDDED_ENGINES:
                skipped += self._nothing_installed(engine_filter)
            found += ranked
        if not found:
            tried = "; ".join(skipped) or (
                f"no voice of engine {engine_filter}" if engine_filter else "no voice for it is installed"
            )
            raise UnknownVoice(f"no voice can serve {requested!r} here ({tried})", param="voice")
        (engine, first), rest = found[0], tuple(found[1:])
        if skipped:
            log.debug("voice %r served by %s (skipped: %s)", requested, first.id, "; ".join(skipped))
        return ResolvedVoice(engine, first, requested, tuple(skipped), rest)

    def _explicit(self, voice_id: str, requested: str, engine_filter: str | None) -> ResolvedVoice:
        """A native voice id: that voice, or an error saying why not (not downloaded: the pull command;
        unknown: the closest ids that exist)."""
        if engine_filter is not None and voice_id.split(":", 1)[0] != engine_filter:
            raise UnknownVoice(
                f"voice {requested!r} is not a voice of engine {engine_filter} (the model asked for)",
                param="voice",
            )
        try:
            engine, found = self._registry.find_voice(voice_id)
        except ModelNotDownloaded:
            raise
        except UnknownVoice as exc:
            close = difflib.get_close_matches(voice_id, self._known_voice_ids(), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            message = exc.message.split("; list voices with", 1)[0]  # the registry's pointer, said below
            raise UnknownVoice(
                f"{message}{hint}; GET /v1/audio/voices (or `mynah voices`) lists them", param="voice"
            ) from None
        return ResolvedVoice(engine, found, requested)

    def _installed_voices(self, wish: VoiceWish) -> list[Voice]:
        """Every voice listed here (installed models only), plus the wish's own voices of engines that
        need no model files (espeak-ng's variants such as en-us+f3 are not listed)."""
        voices = self._registry.all_voices()
        listed = {v.id for v in voices}
        for voice_id in wish.prefer:
            engine = voice_id.split(":", 1)[0]
            if (
                voice_id in listed
                or engine not in EMBEDDED_ENGINES
                or engine not in self._registry.tts_engines
            ):
                continue
            try:
                voices.append(self._registry.find_voice(voice_id)[1])
            except MynahError:
                continue
        return voices

    def _nothing_installed(self, engine_filter: str | None) -> list[str]:
        """What a neural engine that is loaded but has no voice installed would need. (A cloning
        engine has no installed voices: its voices are made from recorded consent, never aliased.)"""
        notes = []
        for name, engine in sorted(self._registry.tts_engines.items()):
            if name in EMBEDDED_ENGINES or engine_filter not in (None, name) or engine.capabilities.cloning:
                continue
            if engine.voices():
                continue
            pull = SUGGESTED_PULL.get(name)
            notes.append(
                f"{name}: no voice installed" + (f" (`mynah models pull {pull}` adds one)" if pull else "")
            )
        return notes

    def _known_voice_ids(self) -> list[str]:
        ids = [v.id for v in self._registry.all_voices()] + self.aliases()
        ids += [e.id for e in FEATURED if e.kind == "tts" and e.engine in self._registry.tts_engines]
        return ids

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
        self,
        text: str,
        *,
        voice: str | None = None,
        model: str | None = None,
        speed: float = 1.0,
        sample_rate: int | None = None,
        lexicons: Sequence[str] = (),
        normalization: Normalization = Normalization(),  # noqa: B008 - frozen
        ssml: bool | None = None,
    ) -> PreparedSpeech:
        """Check everything about a request and plan it; raise before any audio is made."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidText("input must not be empty", param="input")
        self._check_size(text, looks_like_ssml(text) if ssml is None else ssml)
        if not (isinstance(speed, int | float) and MIN_SPEED <= speed <= MAX_SPEED):
            raise InvalidRequest(
                f"speed must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}", param="speed"
            )
        resolved = self.resolve_voice(voice, model)
        language = resolved.voice.language.split("-")[0].lower() or "en"
        plan = build_plan(
            text,
            language=language,
            lexicons=lexicons,
            matcher_for=self._matcher_for,
            normalization=normalization,
            ssml=ssml,
            max_spoken_chars=self._settings.max_spoken_chars,
        )
        self._check_silence(plan.pause_seconds)
        self._check_length(plan, float(speed))
        if not any(isinstance(s, Say | Clip) for s in plan.steps):
            raise InvalidText("input has nothing to speak", param="input")
        for step in plan.steps:  # voices named inside SSML must exist before the response starts
            if isinstance(step, Say) and step.voice:
                self._voice_for(step, resolved)
        return PreparedSpeech(
            text=text,
            resolved=resolved,
            plan=plan,
            sample_rate=sample_rate or resolved.voice.sample_rate,
            speed=float(speed),
        )

    def _check_size(self, text: str, is_ssml: bool) -> None:
        """The text limit counts what is read aloud: for SSML the text outside the tags (the markup
        has its own limit, MAX_SSML_CHARS); audio embedded in SSML counts toward its own byte limit."""
        limit = self._settings.max_input_chars
        if not is_ssml:
            if len(text) > limit:
                raise PayloadTooLarge(
                    f"input is {len(text):,} characters; the limit is {limit:,} (MYNAH_TTS__MAX_INPUT_CHARS)",
                    param="input",
                )
            return
        size = ssml_size(text)
        if size.text > limit:
            raise PayloadTooLarge(
                f"the SSML's text is {size.text:,} characters; the limit is {limit:,} (MYNAH_TTS__MAX_INPUT_CHARS)",
                param="input",
            )
        if self._clip_loader is None:  # no audio is inserted: <audio> speaks its fallback content
            return
        audio_limit = self._clip_loader.max_bytes
        if size.audio_bytes > audio_limit:
            raise PayloadTooLarge(
                f"the audio embedded in the SSML is {size.audio_bytes:,} bytes; the limit is {audio_limit:,}",
                param="input",
            )

    def _check_length(self, plan: Plan, speed: float) -> None:
        """Refuse before any audio is sent what must run past MAX_OUTPUT_SECONDS: the text, read at
        FASTEST_CHARS_PER_SECOND (about twice any voice's pace) at its speed and SSML rates, plus its
        breaks. What is under this bound but still runs over is cut off in the stream."""
        least = plan.pause_seconds
        for step in plan.steps:
            if isinstance(step, Say):
                pace = FASTEST_CHARS_PER_SECOND * speed * clamp(step.prosody.rate, 0.25, 4.0)
                least += len(step.script.text) / pace
        limit = self._settings.max_output_seconds
        if least > limit:
            raise PayloadTooLarge(
                f"the audio would be at least {least:,.0f} s long; the limit is {limit:,.0f} s "
                "(MYNAH_TTS__MAX_OUTPUT_SECONDS)",
                param="input",
                code="output_seconds_limit",
            )

    def _check_silence(self, seconds: float) -> None:
        limit = min(self._settings.max_pause_seconds, self._settings.max_output_seconds)
        if seconds > limit:
            raise PayloadTooLarge(
                f"the SSML breaks add up to {seconds:,.0f} s of silence; the limit is {limit:,.0f} s "
                "(MYNAH_TTS__MAX_PAUSE_SECONDS)",
                param="input",
                code="pause_limit",
            )

    # ------------------------------------------------------------------------------------ stream

    def stream(self, prepared: PreparedSpeech, *, timings: bool = True) -> Iterator[SpeechChunk]:
        """Run the plan: audio at `prepared.sample_rate`, in order, with timing marks. `timings`:
        the caller reads the marks as they come, so each sentence is held until it is spoken whole
        (its mark carries its duration); False lets a long sentence's parts out one by one
        (`Runner.run`)."""
        runner = Runner(self, prepared, timings=timings)
        return runner.run()

    def _voice_for(self, step: Say, default: ResolvedVoice) -> ResolvedVoice:
        """The voice for one step: a <voice> override, a voice of the same engine for a <lang>, or the
        request's voice."""
        if step.voice:
            if ":" in step.voice or self.is_alias(step.voice):
                return self.resolve_voice(step.voice)
            return self.resolve_voice(f"{default.engine.name}:{step.voice}")
        if step.voice_gender and step.voice_gender != default.voice.gender:
            for voice in default.engine.voices():
                if voice.gender == step.voice_gender and _same_language(
                    voice.language, default.voice.language
                ):
                    return replace(default, voice=voice, alternatives=())
        if step.language and not _same_language(step.language, default.voice.language):
            for voice in self._language_candidates(default.engine, step.language):
                return replace(default, voice=voice, alternatives=())
        return default

    @staticmethod
    def _language_candidates(engine: TtsEngine, language: str) -> list[Voice]:
        wanted = language.lower()
        voices = engine.voices()
        exact = [v for v in voices if v.language.lower() == wanted]
        base = [v for v in voices if v.language.lower().split("-")[0] == wanted.split("-")[0]]
        return exact or base


def _same_language(a: str, b: str) -> bool:
    return a.lower().split("-")[0] == b.lower().split("-")[0]


class ClipLoader:
    """Loads the audio of SSML <audio src>: `data:` URIs always; http(s) through a fetcher if given."""

    def __init__(self, fetch: FetchBytes | None = None, max_bytes: int = 10 * 1024 * 1024) -> None:
        self._fetch = fetch
        self.max_bytes = max_bytes
        """The most bytes one request's inserted audio may have (data: URIs together, each URL)."""

    def load(self, src: str, sample_rate: int) -> Samples:
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            if ";base64" not in header:
                raise InvalidRequest("audio data: URIs must be base64", param="input")
            try:
                data = base64.b64decode(payload, validate=True)
            except ValueError as exc:
                raise InvalidRequest(f"audio data: URI is not valid base64: {exc}", param="input") from None
        elif src.startswith(("http://", "https://")) and self._fetch is not None:
            data = self._fetch(src, self.max_bytes)
        else:
            raise InvalidRequest(f"cannot load audio {src[:80]!r}: use a data: URI or an http(s) URL")
        return decode_audio(data, sample_rate, max_seconds=600)


__all__ = [
    "ClipLoader",
    "PreparedSpeech",
    "ResolvedVoice",
    "Script",
    "SpeechChunk",
    "SpeechMark",
    "SpeechService",
    "StreamState",
]
