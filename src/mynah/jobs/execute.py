"""Running one job through the same service code a synchronous request uses.

    transcription: TranscriptionService.prepare(model, options) -> transcribe(input file, progress=...)
                   -> the result stored as JSON (the transcription and what served it), rendered in
                   any transcript format when it is read
    speech:        SpeechService.prepare(text, voice, ...) -> mynah.tts.render.Render into a file
                   (or, with loudness normalisation, the service's stream -> loudness_normalize ->
                   encode_audio) -> the audio file

Errors are the `mynah.errors` tree, so a failed job keeps the very body (`error_body`) the
synchronous route would have answered with. `is_transient` tells what deserves another attempt.
"""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mynah.audio.formats import AudioFormat, media_type, parse_format
from mynah.errors import EngineFailed, EngineUnavailable, MynahError
from mynah.jobs.blobs import BlobStore
from mynah.jobs.documents import markdown_to_ssml
from mynah.jobs.metering import Served
from mynah.jobs.store import Job
from mynah.runtime import Runtime
from mynah.stt.cache import CachedTranscript
from mynah.stt.service import TranscribeOptions
from mynah.text.billable import billable_chars
from mynah.tts.plan import categories_of
from mynah.tts.render import Render

Report = Callable[[float, float, float | None], None]
"""`report(fraction, seconds_done, seconds_total)`; it raises to stop the job."""

RESULT_JSON = "application/json"


def error_body(exc: MynahError) -> dict[str, Any]:
    """The error as the server's one handler renders it, with the HTTP status it maps to."""
    return {
        "status": exc.status_code,
        "error": {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code},
    }


def is_transient(exc: MynahError) -> bool:
    """Worth another attempt: an engine that could not load or failed on valid input. Bad input, an
    unknown model or a refused option fails at once."""
    return isinstance(exc, EngineUnavailable | EngineFailed)


def transcribe_options(values: dict[str, Any]) -> TranscribeOptions:
    values = dict(values)
    values["hotwords"] = tuple(values.get("hotwords", ()))
    values["redact"] = tuple(values.get("redact", ()))
    return TranscribeOptions(**values)


@dataclass(frozen=True)
class Output:
    """A finished job's result, stored as a blob, and what making it used (for metering)."""

    ref: str
    media_type: str
    served: Served | None = None


def run(runtime: Runtime, blobs: BlobStore, job: Job, report: Report) -> Output:
    try:
        if job.kind == "transcription":
            return _transcription(runtime, blobs, job, report)
        return _speech(runtime, blobs, job, report)
    except MynahError:
        raise
    except Exception as exc:  # a bug must fail the job with a body, like the server's handler does
        raise EngineFailed(f"job {job.id} failed: {type(exc).__name__}: {exc}") from exc


def _transcription(runtime: Runtime, blobs: BlobStore, job: Job, report: Report) -> Output:
    request = job.request
    prepared = runtime.transcription.prepare(request.get("model"), transcribe_options(request["options"]))
    assert job.input_ref is not None

    def progress(done: float, total: float) -> None:
        report(done / total if total else 0.0, done, total or None)

    result = runtime.transcription.transcribe(blobs.path(job.input_ref), prepared, progress=progress)
    stored = CachedTranscript(result.transcription, result.engine, result.model, result.skipped).to_json()
    stored["task"] = prepared.options.task
    if result.redactions is not None:
        stored["redactions"] = [span.as_json() for span in result.redactions]
    if result.redacted_audio is not None:  # inside the result: it lives and is deleted with it
        stored["redacted_audio"] = base64.b64encode(result.redacted_audio).decode("ascii")
    if prepared.options.review:
        from mynah.stt.review import ReviewQueue

        transcript_id, items = ReviewQueue(runtime.store).collect(
            CachedTranscript(result.transcription, result.engine, result.model, result.skipped),
            runtime.settings.stt.low_confidence,
            job_id=job.id,
            owner=job.owner,
        )
        stored["review"] = {"transcript_id": transcript_id, "items": len(items)}
    data = json.dumps(stored, ensure_ascii=False, sort_keys=True).encode("utf-8")
    served = Served(result.engine, result.model, 0, float(result.transcription.duration))
    return Output(blobs.put(data), RESULT_JSON, served)


def _speech(runtime: Runtime, blobs: BlobStore, job: Job, report: Report) -> Output:
    request = job.request
    assert job.input_ref is not None
    text = blobs.read(job.input_ref).decode("utf-8")
    input_type = request.get("input_type", "text")
    if input_type == "markdown":
        text = markdown_to_ssml(text)
    fmt = parse_format(request.get("response_format", "mp3"), param="response_format")
    prepared = runtime.speech.prepare(
        text,
        voice=request.get("voice"),
        model=request.get("model"),
        speed=float(request.get("speed", 1.0)),
        sample_rate=request.get("sample_rate"),
        lexicons=request.get("lexicons", ()),
        normalization=categories_of(request.get("normalize", True)),
        ssml=True if input_type in ("ssml", "markdown") else None if input_type == "auto" else False,
    )
    loudness = request.get("loudness")
    with tempfile.TemporaryFile() as out:
        if loudness is None:
            render = Render.open(runtime.speech, prepared, fmt, file=out)
            try:
                for _piece in render:
                    report(0.0, prepared.state.seconds, None)
            finally:
                render.close()
        else:
            out.write(_normalised(runtime, prepared, fmt, float(loudness), report))
        out.seek(0)
        ref = blobs.put_file(out)
    state, resolved = prepared.state, prepared.resolved
    served = Served(
        state.engine or resolved.engine.name,
        (state.voice or resolved.voice).id,
        billable_chars(text),
        float(state.seconds),
    )
    return Output(ref, media_type(fmt), served)


def _normalised(runtime: Runtime, prepared: Any, fmt: AudioFormat, target: float, report: Report) -> bytes:
    from mynah.audio.encode import encode_audio
    from mynah.audio.loudness import loudness_normalize

    parts = []
    for chunk in runtime.speech.stream(prepared):
        parts.append(chunk.samples)
        report(0.0, prepared.state.seconds, None)
    samples = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    rate = prepared.sample_rate
    return encode_audio(loudness_normalize(samples, rate, target), rate, fmt, rate)


def result_path(blobs: BlobStore, job: Job) -> Path:
    assert job.result_ref is not None
    return blobs.path(job.result_ref)
