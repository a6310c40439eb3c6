"""What a route tells the platform about its request, in one call each:

    await note_speech(request, prepared)    after planning, before any audio: the voice and engine,
                                            the billable characters (spent against the key's daily
                                            budget: RateLimited if they do not fit), and where the
                                            audio seconds will be read when the response ends
    await admit_job(request)                a job's submission: refused when the key's day is spent;
                                            returns the charge for the job's characters
    note_transcription(request, result)     the model and the seconds of audio transcribed
    key_defaults(request)                   the calling key's request defaults (voice, format, ...)
    speech_extras(request, prepared, ...)   the speech cache entry (a hit, or how to keep a miss) and
                                            the sample stages: loudness, then quality measurement

Each is a no-op outside a server with the platform installed (a bare TestClient app, a library user).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from starlette.requests import HTTPConnection

from mynah.audio.leveler import RunningLoudness, WholeLoudness
from mynah.errors import RateLimited
from mynah.platform.cache import CachedSpeech, speech_key
from mynah.platform.context import RequestContext, context_of
from mynah.platform.quality import QualityMonitor
from mynah.text.billable import billable_chars
from mynah.tts.plan import Clip

if TYPE_CHECKING:
    from mynah.platform.service import Platform
    from mynah.stt.service import TranscriptResult
    from mynah.tts.render import AudioStage
    from mynah.tts.service import PreparedSpeech

__all__ = [
    "SpeechExtras",
    "admit_job",
    "key_defaults",
    "key_id",
    "note_speech",
    "note_transcription",
    "speech_extras",
]


def _context(request: HTTPConnection) -> tuple[RequestContext, Platform] | None:
    ctx = context_of(request.scope)
    platform = getattr(request.app.state, "platform", None)
    if ctx is None or platform is None:
        return None
    return ctx, platform


async def note_speech(request: HTTPConnection, prepared: PreparedSpeech) -> None:
    found = _context(request)
    if found is None:
        return
    ctx, platform = found
    state, resolved = prepared.state, prepared.resolved
    ctx.kind = "speech"
    ctx.engine = resolved.engine.name
    ctx.model = resolved.voice.id
    ctx.chars = billable_chars(prepared.text)
    ctx.audio_seconds = lambda: state.seconds
    if ctx.key is not None:
        try:
            await platform.run_limiter(functools.partial(platform.limiter.charge_chars, ctx.key, ctx.chars))
        except RateLimited as exc:
            ctx.extra_headers.update(exc.headers)
            ctx.chars = 0
            raise
        ctx.charged_chars = True


async def admit_job(request: HTTPConnection) -> Callable[[int], None] | None:
    """A job's submission: RateLimited (429, Retry-After) when the calling key's characters or audio
    minutes for today are spent. Returns the charge for the job's billable characters, which the job
    service calls (from its worker thread) once the job is checked and before it is queued: a job
    whose characters do not fit is refused then, and none are spent. The audio a finished job made
    or transcribed is counted when it finishes (`Platform.job_finished`)."""
    found = _context(request)
    if found is None or found[0].key is None:
        return None
    ctx, platform = found
    key = ctx.key
    assert key is not None
    try:
        ctx.extra_headers.update(
            await platform.run_limiter(functools.partial(platform.limiter.check_daily, key))
        )
    except RateLimited as exc:
        ctx.extra_headers.update(exc.headers)
        raise

    def charge(chars: int) -> None:
        try:
            platform.limiter.charge_chars(key, chars)
        except RateLimited as exc:
            ctx.extra_headers.update(exc.headers)
            raise

    return charge


def note_transcription(request: HTTPConnection, result: TranscriptResult) -> None:
    found = _context(request)
    if found is None:
        return
    ctx, _ = found
    ctx.kind = "transcription"
    ctx.engine = result.engine
    ctx.model = result.model
    ctx.audio_seconds = float(result.transcription.duration)
    ctx.cached = bool(result.cached) or ctx.cached


def key_id(request: HTTPConnection) -> str | None:
    """The id of the calling key (a job's owner), or None on a server that asks for no key."""
    ctx = context_of(request.scope)
    return ctx.key.id if ctx is not None and ctx.key is not None else None


def key_defaults(request: HTTPConnection) -> dict[str, Any]:
    ctx = context_of(request.scope)
    if ctx is None or ctx.key is None:
        return {}
    return dict(ctx.key.defaults)


B = TypeVar("B", bound=BaseModel)
C = TypeVar("C", str, bytes)


def with_key_defaults(request: HTTPConnection, body: B) -> B:
    """`body` with the calling key's defaults for the fields the request left out (validated as if
    the client had sent them)."""
    defaults = {
        k: v
        for k, v in key_defaults(request).items()
        if k in type(body).model_fields and k not in body.model_fields_set
    }
    if not defaults:
        return body
    return type(body).model_validate({**body.model_dump(exclude_unset=True), **defaults})


@dataclass
class SpeechExtras:
    """What the platform adds to one speech response."""

    hit: CachedSpeech | None = None
    """The cached audio, to send at once instead of rendering."""
    stages: list[AudioStage] = field(default_factory=list)
    key: str | None = None
    _platform: Platform | None = None
    _ctx: RequestContext | None = None

    def hit_headers(self) -> dict[str, str]:
        assert self.hit is not None
        return {**self.hit.headers, "x-mynah-cache": "hit"}

    def miss_headers(self) -> dict[str, str]:
        """`x-mynah-cache: miss` when the response could have come from the cache."""
        return {"x-mynah-cache": "miss"} if self.key is not None else {}

    def keep(
        self,
        chunks: Iterator[C],
        headers: dict[str, str],
        seconds: Callable[[], float],
        *,
        complete: Callable[[], bool] | None = None,
    ) -> Iterator[C]:
        """`chunks` (audio bytes, or the text of server-sent events) passed on as they come; once all
        came, and `complete()` says the response is whole (an SSE stream that ended in an `error`
        event is not), kept in the cache with `headers` and the audio's duration (`seconds()`).
        Closing this closes `chunks`."""
        if self.key is None or self._platform is None or self._platform.cache is None:
            yield from chunks
            return
        cache = self._platform.cache
        limit = cache.max_bytes // 10
        kept: list[bytes] | None = []
        size = 0
        try:
            for chunk in chunks:
                if kept is not None:
                    data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
                    size += len(data)
                    kept = kept if size <= limit else None
                    if kept is not None:
                        kept.append(data)
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if kept is not None and (complete is None or complete()):
            self.keep_body(b"".join(kept), headers, float(seconds()))

    def keep_body(self, body: bytes, headers: dict[str, str], seconds: float) -> None:
        """A whole response body (the native route's JSON) kept in the cache."""
        if self.key is None or self._platform is None or self._platform.cache is None:
            return
        headers = {k: v for k, v in headers.items() if k != "x-mynah-cache"}
        self._platform.cache.put(self.key, body, headers=headers, seconds=seconds)


def speech_extras(
    request: HTTPConnection,
    prepared: PreparedSpeech,
    *,
    fmt: str,
    loudness: float | None,
    whole: bool,
    cacheable: bool = True,
    shape: dict[str, Any] | None = None,
) -> SpeechExtras:
    """The cache entry for this request and the stages its audio goes through. `whole`: the response
    is a file (exact loudness), not a stream (running loudness). `shape`: what else the response is
    made of besides the audio (the SSE events and their timings, the native route's JSON), part of
    the cache key. A plan that plays `<audio src>` clips is never cached: what a URL serves may
    change while its address does not."""
    found = _context(request)
    stages: list[AudioStage] = []
    if loudness is not None:
        stages.append(
            WholeLoudness(prepared.sample_rate, loudness)
            if whole
            else RunningLoudness(prepared.sample_rate, loudness)
        )
    if found is None:
        return SpeechExtras(stages=stages)
    ctx, platform = found
    extras = SpeechExtras(_platform=platform, _ctx=ctx)
    clips = any(isinstance(step, Clip) for step in prepared.plan.steps)
    if platform.cache is not None and cacheable and not clips:
        extras.key = speech_key(
            prepared,
            models=platform.runtime.models,
            format=fmt,
            loudness=loudness,
            whole=whole,
            **({"shape": shape} if shape else {}),
        )
        extras.hit = platform.cache.get(extras.key)
        platform.metrics.cache.labels("hit" if extras.hit is not None else "miss").inc()
        if extras.hit is not None:
            ctx.cached = True
            ctx.audio_seconds = extras.hit.seconds
            return extras
    voice = ctx.model or prepared.resolved.voice.id
    quality = platform.settings.platform.quality
    if quality.enabled:
        stages.append(
            QualityMonitor(
                prepared.sample_rate, voice, quality, platform.quality_report, platform.defer_quality
            )
        )
    extras.stages = [*(factory() for factory in platform.stage_factories), *stages]
    return extras
