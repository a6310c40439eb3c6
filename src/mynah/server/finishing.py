"""What every transcription route does after recognition, the same way on each: smart formatting
(`format`), redaction (`redact`, `redact_policy`, `redact_audio`, `redact_audio_fill`) and the review
queue (`review`), read from a form or a query, and added to the answer.

    text_format(value), redaction(...)        the fields as TranscribeOptions fields (400 when bad)
    queue_for_review(request, runtime, result) the transcript as served kept, its low-confidence
                                               spans queued (`mynah.stt.review`)
    add_finishing(body, result, queued)       `redactions`, `redacted_audio`, `review` in the JSON
    finishing_headers(headers, result, queued) x-mynah-redactions, x-mynah-review
"""

from __future__ import annotations

import base64
from typing import Any, Literal

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from mynah.errors import InvalidRequest
from mynah.runtime import Runtime
from mynah.stt.service import PreparedTranscription, TranscriptResult

__all__ = [
    "FORMAT_HELP",
    "REDACT_HELP",
    "REVIEW_HELP",
    "add_finishing",
    "finishing_headers",
    "queue_for_review",
    "redaction",
    "review_flag",
    "text_format",
]

FORMAT_HELP = "smart (numbers, dates, money, e-mail written out), raw, or auto (smart for pocketsphinx)"
REDACT_HELP = (
    "true (every entity type) or a comma-separated list: PHONE_NUMBER,CREDIT_CARD,EMAIL_ADDRESS,PERSON,..."
)
REVIEW_HELP = "true: queue the low-confidence words for review (GET /v1/mynah/review)"


def text_format(value: str | None) -> Literal["auto", "smart", "raw"]:
    """The `format` field: empty is auto; the service refuses anything it does not know."""
    return (value or "auto").strip().lower() or "auto"  # type: ignore[return-value]  # checked by the service


def review_flag(value: str | bool | None) -> bool:
    """`review` as a form or query gives it: true/false, 1/0, yes/no, on/off; empty is false."""
    if isinstance(value, bool):
        return value
    text = (value or "").strip().lower() or "false"
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise InvalidRequest(f"review must be true or false, not {value!r}", param="review")


def redaction(
    redact: str | None, policy: str | None, audio: str | bool | None, fill: str | None
) -> dict[str, Any]:
    """The redaction fields of a form or query as TranscribeOptions fields; a bad entity type or
    policy is a 400 here, before the upload is read (the service checks the rest)."""
    from mynah.transcript.redact import parse_entities

    asked = parse_entities(redact, policy)
    wants_audio = audio if isinstance(audio, bool) else (audio or "").strip().lower() in ("true", "1", "yes")
    return {
        "redact": asked.entities if asked else (),
        "redact_policy": asked.policy if asked else (policy or "label").strip().lower(),
        "redact_audio": wants_audio,
        "redact_audio_fill": (fill or "silence").strip().lower(),
    }


async def queue_for_review(
    request: Request, runtime: Runtime, result: TranscriptResult, prepared: PreparedTranscription
) -> dict[str, Any] | None:
    """With `review` asked for: the transcript as served (formatted, redacted) kept and its spans
    under `MYNAH_STT__LOW_CONFIDENCE` queued; `{"transcript_id", "items"}`. Else None."""
    if not prepared.options.review:
        return None
    from mynah.platform.hooks import key_id
    from mynah.stt.cache import CachedTranscript
    from mynah.stt.review import queue_transcript

    served = CachedTranscript(result.transcription, result.engine, result.model, result.skipped)
    threshold = runtime.settings.stt.low_confidence
    return await run_in_threadpool(
        lambda: queue_transcript(runtime.store, threshold, served, owner=key_id(request))
    )


def add_finishing(
    body: dict[str, Any], result: TranscriptResult, queued: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`redactions` (type, score, audio times, replacement), the redacted recording as base64 WAV,
    and `review` (the transcript id and the spans queued)."""
    if result.redactions is not None:
        body["redactions"] = [span.as_json() for span in result.redactions]
    if result.redacted_audio is not None:
        body["redacted_audio"] = {
            "format": "wav",
            "media_type": "audio/wav",
            "base64": base64.b64encode(result.redacted_audio).decode("ascii"),
        }
    if queued is not None:
        body["review"] = queued
    return body


def finishing_headers(
    headers: dict[str, str], result: TranscriptResult, queued: dict[str, Any] | None = None
) -> dict[str, str]:
    if result.redactions is not None:
        headers["x-mynah-redactions"] = str(len(result.redactions))
    if queued is not None:
        headers["x-mynah-review"] = queued["transcript_id"]
    return headers
