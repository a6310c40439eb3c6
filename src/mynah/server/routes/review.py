"""The review queue over HTTP (`mynah.stt.review`).

GET  /v1/mynah/review              spans of words below the confidence threshold: status (open,
                                   corrected, all), job_id, transcript_id, limit; each with its
                                   audio offsets
POST /v1/mynah/review/{id}         {"text": "...", "reviewer": "..."}: the correction, applied to the
                                   stored transcript (a job's result reads through it), recorded
                                   with who made it (the reviewer named, else the API key's id)

Transcripts get there with `review=true` on every transcription route: POST /v1/audio/transcriptions,
/api/v1/pulse/get_text (query), /whisperapi (form), transcription jobs (and the Pulse and WhisperAPI
routes' webhook jobs), `"review": true` in a live stream's configuration (each final queued) and in
an OpenAI Realtime session's transcription object (each `.completed` transcript queued). A job's
review transcripts are deleted with the job (`mynah.jobs.store.JobStore.delete`).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from mynah.platform.hooks import key_id
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.stt.review import MAX_CORRECTION, ReviewQueue

router = APIRouter(dependencies=[Depends(require_api_key)])


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=MAX_CORRECTION, pattern=r"\S", description="What was said in the span"
    )
    reviewer: str | None = Field(default=None, max_length=200, description="Who corrected it")


@router.get("/v1/mynah/review")
async def list_review(
    status: Literal["open", "corrected", "all"] = Query("open", description="open, corrected or all"),
    job_id: str | None = Query(None),
    transcript_id: str | None = Query(None, description="One transcript's spans (a response's review id)"),
    limit: int = Query(100, ge=1, le=1000),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    queue = ReviewQueue(runtime.store)
    wanted = None if status == "all" else status
    items = await run_in_threadpool(
        lambda: queue.items(status=wanted, job_id=job_id, transcript_id=transcript_id, limit=limit)
    )
    return {"items": items, "threshold": runtime.settings.stt.low_confidence}


@router.post("/v1/mynah/review/{item_id}")
async def correct_review(
    item_id: str, correction: Correction, request: Request, runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    by = correction.reviewer or key_id(request) or "anonymous"
    queue = ReviewQueue(runtime.store)
    return await run_in_threadpool(queue.correct, item_id, correction.text, by)
