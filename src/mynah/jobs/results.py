"""A finished job's result as the API hands it out: the stored transcript rendered in the format
asked for (or the job's API shape), a speech job's audio, a redacted recording.

`render_result` is what GET /v1/mynah/jobs/{id}/result answers (409 `ResultNotReady` naming the
state until the job succeeded); callbacks inline `render_transcript(job, None)`.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from mynah.errors import InvalidRequest, MynahError, NotFound
from mynah.jobs.blobs import BlobStore
from mynah.jobs.store import Job, JobStore
from mynah.runtime import Runtime
from mynah.stt.cache import CachedTranscript
from mynah.stt.formats import MEDIA_TYPES, parse_transcript_format, pulse_json, render, whisperapi_json


class ResultNotReady(MynahError):
    """409: the job has no result (yet); the message names its state."""

    status_code = 409
    code = "job_not_finished"
    type = "invalid_request_error"


@dataclass(frozen=True)
class Rendered:
    """A job's result as asked for: a JSON body, text, or the audio file."""

    body: dict[str, Any] | str | bytes
    media_type: str


class Results:
    """Renders the results of the jobs in `store` whose files are in `blobs`."""

    def __init__(self, runtime: Runtime, store: JobStore, blobs: BlobStore) -> None:
        self.runtime = runtime
        self.store = store
        self.blobs = blobs

    def render_result(self, job_id: str, fmt: str | None = None) -> Rendered:
        """The result of a succeeded job; 409 naming the state for any other."""
        job = self.store.get(job_id)
        if job.state != "succeeded" or job.result_ref is None:
            detail = ""
            if job.state == "failed" and job.error:
                detail = f": {job.error.get('error', {}).get('message', '')}"
            raise ResultNotReady(f"job {job.id} is {job.state}; it has no result{detail}", param="id")
        if job.kind == "speech":
            if fmt not in (None, "", job.request.get("response_format")):
                raise InvalidRequest("a speech job's result is the audio it was asked for", param="format")
            return Rendered(self.blobs.read(job.result_ref), job.result_type or "application/octet-stream")
        return self.render_transcript(job, fmt)

    def render_transcript(self, job: Job, fmt: str | None) -> Rendered:
        assert job.result_ref is not None
        stored = json.loads(self.blobs.read(job.result_ref))
        transcription = CachedTranscript.from_json(stored).transcription
        if "review" in stored:  # corrections made in the review queue are the transcript now
            from mynah.stt.review import ReviewQueue

            reviewed = ReviewQueue(self.runtime.store).transcript_for_job(job.id)
            transcription = reviewed.transcription if reviewed is not None else transcription
        low = self.runtime.settings.stt.low_confidence
        wanted = (fmt or "").strip().lower() or {"whisperapi": "whisperapi", "pulse": "pulse"}.get(
            job.shape, job.request.get("response_format", "json")
        )
        extra = {"redactions": stored["redactions"]} if "redactions" in stored else {}
        if wanted == "whisperapi":
            diarized = bool(job.request["options"].get("diarize"))
            return Rendered(whisperapi_json(transcription, diarized=diarized) | extra, "application/json")
        if wanted == "pulse":
            words = bool(job.request.get("word_timestamps", True))
            return Rendered(
                pulse_json(transcription, word_timestamps=words, low_confidence=low) | extra,
                "application/json",
            )
        parsed = parse_transcript_format(wanted)
        body = render(
            transcription,
            parsed,
            granularities=("segment", "word"),
            task=stored.get("task", "transcribe"),
            low_confidence=low,
        )
        if isinstance(body, dict):
            body["model"] = stored["served"]["model"]
            if "redactions" in stored:
                body["redactions"] = stored["redactions"]
            return Rendered(body, "application/json")
        return Rendered(body, MEDIA_TYPES[parsed])

    def redacted_audio(self, job_id: str) -> bytes:
        """The recording of a transcription job asked with redact_audio, its redacted spans filled."""
        self.render_result(job_id, "json")  # 409 until it succeeded, like the result
        job = self.store.get(job_id)
        assert job.result_ref is not None
        stored = json.loads(self.blobs.read(job.result_ref))
        if "redacted_audio" not in stored:
            raise NotFound(f"job {job.id} was not asked for redact_audio", param="id")
        return base64.b64decode(stored["redacted_audio"])
