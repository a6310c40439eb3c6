"""Which model serves a transcription request, and whether it can do what is asked.

`ModelResolver.resolve_model` turns a name (an OpenAI name such as whisper-1, an engine name, a model
id) into the chain of models that can serve it, best first; `check_options` checks a request's
options against the first of them. The transcription service (`mynah.stt.service`) uses both before
any audio is read.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from mynah.aliases import EMBEDDED_ENGINES, SUGGESTED_PULL, can_translate, rank_models, skip_note
from mynah.config import OPENAI_STT_MODELS, SttSettings
from mynah.engines.base import SttEngine, SttModel
from mynah.engines.registry import EngineRegistry
from mynah.errors import InvalidRequest, ModelNotDownloaded, MynahError, NotSupported, UnknownModel
from mynah.models.catalog import FEATURED
from mynah.stt.requests import ResolvedModel, TranscribeOptions
from mynah.transcript import Finisher

__all__ = ["ModelResolver", "cannot_serve", "check_options", "normalise_language", "unfit"]


class ModelResolver:
    """The model chains of one registry, as `settings` (the default chain) say."""

    def __init__(self, registry: EngineRegistry, settings: SttSettings) -> None:
        self._registry = registry
        self._settings = settings

    def model_ids(self) -> list[str]:
        native = [m.id for engine in self._registry.stt_engines.values() for m in engine.models()]
        return [*OPENAI_STT_MODELS, *native]

    def resolve_model(self, model: str | None, options: TranscribeOptions | None = None) -> ResolvedModel:
        """The model that serves `model` here, and the ones behind it. An OpenAI name (whisper-1, ...)
        is the user's chain (MYNAH_STT__DEFAULT_MODEL), then the installed models that can do what
        `options` ask (translate, the language), best first (mynah.aliases); an engine name is that
        engine's models, ranked alike; a model id is that model."""
        requested = (model or OPENAI_STT_MODELS[0]).strip()
        if requested not in OPENAI_STT_MODELS and requested not in self._registry.stt_engines:
            return self._explicit(requested)
        options = options or TranscribeOptions()
        only = requested if requested in self._registry.stt_engines else None
        chain = list(self._settings.default_model) if only is None else []
        skipped: list[str] = []
        found: list[tuple[SttEngine, SttModel]] = []
        language = normalise_language(options.language)
        for candidate in chain:
            try:
                engine, found_model = self._registry.find_stt_model(candidate)
            except (UnknownModel, ModelNotDownloaded) as exc:
                if not found:
                    skipped.append(skip_note(candidate, exc.message))
                continue
            if (reason := unfit(engine, found_model, options.task, language)) is not None:
                if not found:
                    skipped.append(f"{candidate}: {reason}")
                continue
            found.append((engine, found_model))
        have = {m.id for _, m in found}
        installed = [m for m in self._registry.all_stt_models() if only in (None, m.engine)]
        cannot: list[str] = []
        for ranked in rank_models(installed, language=language):
            engine = self._registry.stt_engines[ranked.engine]
            if ranked.id in have:
                continue
            if (reason := unfit(engine, ranked, options.task, language)) is not None:
                cannot.append(f"{ranked.id}: {reason}")
                continue
            found.append((engine, ranked))
        if not found:
            raise self._none_can_serve(requested, options, [*skipped, *cannot])
        if not skipped and found[0][0].name in EMBEDDED_ENGINES:
            skipped += [*self._nothing_installed(only), *cannot]
        (engine, first), rest = found[0], tuple(found[1:])
        return ResolvedModel(engine, first, requested, tuple(skipped), rest)

    def _explicit(self, model_id: str) -> ResolvedModel:
        """A model id: that model, or why not (not downloaded: the pull; unknown: the closest ids)."""
        try:
            engine, model = self._registry.find_stt_model(model_id)
        except ModelNotDownloaded:
            raise
        except UnknownModel as exc:
            close = difflib.get_close_matches(model_id, self._known_model_ids(), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            typo = exc.message.startswith("unknown model") or "does not know where to fetch" in exc.message
            reason = "" if typo else exc.message
            raise UnknownModel(
                f"unknown transcription model {model_id!r}{' (' + reason + ')' if reason else ''}{hint}; "
                f"installed: {', '.join(self.model_ids())}",
                param="model",
            ) from None
        return ResolvedModel(engine, model, model_id)

    def _none_can_serve(self, requested: str, options: TranscribeOptions, tried: list[str]) -> MynahError:
        why = f" ({'; '.join(tried)})" if tried else ""
        if options.task == "translate":
            pull = SUGGESTED_PULL["whisper"]
            return NotSupported(
                f"no model installed here can translate{why}; `mynah models pull {pull}` adds one "
                "(Whisper models that are not English-only translate)",
                param="model",
            )
        if options.language:
            return NotSupported(
                f"no model installed here knows language {options.language!r}{why}", param="language"
            )
        return UnknownModel(f"no model can serve {requested!r} here{why}", param="model")

    def _nothing_installed(self, only: str | None) -> list[str]:
        notes = []
        for name, engine in sorted(self._registry.stt_engines.items()):
            if name in EMBEDDED_ENGINES or only not in (None, name) or engine.models():
                continue
            pull = SUGGESTED_PULL.get(name)
            notes.append(
                f"{name}: no model installed" + (f" (`mynah models pull {pull}` adds one)" if pull else "")
            )
        return notes

    def _known_model_ids(self) -> list[str]:
        ids = self.model_ids()
        ids += [e.id for e in FEATURED if e.kind == "stt" and e.engine in self._registry.stt_engines]
        return ids


def check_options(resolved: ResolvedModel, options: TranscribeOptions) -> TranscribeOptions:
    """`options` checked against the model that serves them, normalised (language lower-cased);
    raises NotSupported or InvalidRequest naming the option."""
    if options.task not in ("transcribe", "translate"):
        raise NotSupported(f"unknown task {options.task!r}; use transcribe or translate", param="task")
    language = normalise_language(options.language)
    problem = unfit(resolved.engine, resolved.model, options.task, language)
    if problem is not None:
        raise NotSupported(problem, param="model" if options.task == "translate" else "language")
    for name in ("num_speakers", "min_speakers", "max_speakers"):
        value = getattr(options, name)
        if value is not None and not 1 <= value <= 32:
            raise InvalidRequest(f"{name} must be between 1 and 32, got {value}", param=name)
    if options.min_speakers and options.max_speakers and options.min_speakers > options.max_speakers:
        raise InvalidRequest("min_speakers is larger than max_speakers", param="min_speakers")
    if options.num_speakers is not None and not (
        (options.min_speakers or 1) <= options.num_speakers <= (options.max_speakers or 32)
    ):
        raise InvalidRequest(
            f"num_speakers ({options.num_speakers}) is outside min_speakers..max_speakers",
            param="num_speakers",
        )
    if options.channels not in ("auto", "mix", "split"):
        raise InvalidRequest("channels must be auto, mix or split", param="channels")
    if options.format not in ("auto", "smart", "raw"):
        raise InvalidRequest(f"format must be auto, smart or raw, not {options.format!r}", param="format")
    redaction = Finisher.check(
        options.redact, options.redact_policy, options.redact_audio, options.redact_audio_fill
    )
    if redaction is not None:
        options = replace(options, redact=redaction.entities, redact_policy=redaction.policy)
    return replace(options, language=language)


def unfit(engine: SttEngine, model: SttModel, task: str, language: str | None) -> str | None:
    """Why `model` cannot do `task` in `language` (None: it can)."""
    if task == "translate" and not can_translate(model, engine.capabilities.translate):
        return (
            f"model {model.id} cannot translate (English-only, or its engine cannot); "
            "whisper-1 picks the best installed model that can"
        )
    if language and model.languages and not language_supported(language, model):
        return f"model {model.id} does not know language {language!r}; it knows {', '.join(model.languages)}"
    return None


def cannot_serve(engine: SttEngine, model: SttModel, options: TranscribeOptions) -> str | None:
    """Why a model later in the chain cannot do what `options` ask (translate, a language), or None."""
    try:
        check_options(ResolvedModel(engine, model, model.id), options)
    except MynahError as exc:
        return exc.message
    return None


def normalise_language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    return language.strip().replace("_", "-").lower()


def language_supported(language: str, model: SttModel) -> bool:
    known = {lang.lower() for lang in model.languages}
    return language in known or language.split("-")[0] in {k.split("-")[0] for k in known}
