"""What a route tells the platform about its request, in one call each:

    note_speech(request, prepared)          after planning, before any audio: the voice and engine,
                                            the billable characters (spent against the key's daily
                                            budget: RateLimited if they do not fit), and where the
                                            audio seconds will be read when the response ends
    note_transcription(request, result)     the model and the seconds of audio transcribed
    key_defaults(request)                   the calling key's request defaults (voice, format, ...)

Each is a no-op outside a server with the platform installed (a bare TestClient app, a library user).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from starlette.requests import HTTPConnection

from mynah.errors import RateLimited
from mynah.platform.context import RequestContext, context_of

if TYPE_CHECKING:
    from mynah.platform.service import Platform
    from mynah.stt.service import TranscriptResult
    from mynah.tts.service import PreparedSpeech

__all__ = ["billable_chars", "key_defaults", "note_speech", "note_transcription"]


def billable_chars(text: str) -> int:
    """Characters billed for `text`: all of plain text; of SSML the text only, markup excluded (as the
    hosted APIs bill)."""
    stripped = text.lstrip()
    if stripped.startswith("<") and ("<speak" in stripped[:200] or stripped.startswith("<?xml")):
        try:
            return sum(len(piece) for piece in ElementTree.fromstring(stripped).itertext())
        except ElementTree.ParseError:
            pass
    return len(text)


def _context(request: HTTPConnection) -> tuple[RequestContext, Platform] | None:
    ctx = context_of(request.scope)
    platform = getattr(request.app.state, "platform", None)
    if ctx is None or platform is None:
        return None
    return ctx, platform


def note_speech(request: HTTPConnection, prepared: PreparedSpeech) -> None:
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
            platform.limiter.charge_chars(ctx.key, ctx.chars)
        except RateLimited as exc:
            ctx.extra_headers.update(exc.headers)
            ctx.chars = 0
            raise
        ctx.charged_chars = True


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


def key_defaults(request: HTTPConnection) -> dict[str, Any]:
    ctx = context_of(request.scope)
    if ctx is None or ctx.key is None:
        return {}
    return dict(ctx.key.defaults)
