"""`JobService`: the one jobs API behind the routes, the CLI's worker and the in-process pool.

    submit_transcription / submit_speech   check the request as a synchronous one would (same
                                           errors), check the callback target and the priority,
                                           store the input blob, queue the job
    get / list / result / cancel / delete  follow it (results rendered by mynah.jobs.results)
    process(job, ...)                      run a claimed job (mynah.jobs.worker calls it)
    deliver_due()                          send the callbacks that are due
    cleanup()                              retention: finished jobs past `jobs.retention_hours`, and
                                           blobs no job refers to

Everything here is synchronous and short (each store call is one transaction); the server calls
it from worker threads.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mynah.errors import InvalidRequest, MynahError, NotFound
from mynah.jobs import execute
from mynah.jobs.blobs import BlobStore
from mynah.jobs.callbacks import Sender, backoff, check_callback_url, load_secret, next_attempt
from mynah.jobs.metering import Served, usage_row
from mynah.jobs.records import DEFAULT_PRIORITY, MAX_PRIORITY, MIN_PRIORITY
from mynah.jobs.results import Rendered, Results
from mynah.jobs.store import Job, JobStore, NewJob
from mynah.runtime import Runtime
from mynah.stt.formats import parse_transcript_format
from mynah.stt.service import TranscribeOptions
from mynah.text.billable import billable_chars

log = logging.getLogger(__name__)

SHAPES = ("mynah", "whisperapi", "pulse")
INPUT_TYPES = ("text", "ssml", "markdown", "auto")
_FRESH_BLOB_SECONDS = 5.0


class JobAbandoned(BaseException):
    """Raised inside a running job when its lease is gone (cancelled, or taken over): stop, store
    nothing. A BaseException, so no engine's `except Exception` turns it into a failure."""


class JobHandedBack(BaseException):
    """Raised inside a running job when its worker shuts down: give the job back to the queue."""


@dataclass(frozen=True)
class Callback:
    url: str | None = None
    headers: Mapping[str, str] | None = None
    extra: Mapping[str, str] | None = None


class JobService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings.jobs
        self.store = JobStore(runtime.store, starvation_seconds=self.settings.starvation_seconds)
        self.blobs = BlobStore(runtime.settings.data_dir / "jobs" / "blobs")
        self.results = Results(runtime, self.store, self.blobs)
        self.sender = Sender(self.settings, load_secret(self.settings, runtime.settings.data_dir))
        self._listeners: list[Callable[[], None]] = []
        self._delivery_listeners: list[Callable[[str], None]] = []
        self._finish_listeners: list[Callable[[Job, Served], None]] = []
        self._lock = threading.Lock()
        self.metering = runtime.settings.platform.enabled
        """Jobs record their usage (the platform's table) as they finish."""
        if self.metering:
            from mynah.platform.tables import create_tables

            create_tables(runtime.store)

    # ------------------------------------------------------------------------------ submitting

    def on_submit(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every submission from this process (an in-process pool wakes up)."""
        with self._lock:
            self._listeners.append(listener)

    def on_delivery(self, listener: Callable[[str], None]) -> None:
        """Call `listener(outcome)` after every callback attempt: delivered, gone, refused, pending
        (to be retried) or exhausted (the metrics count them)."""
        with self._lock:
            self._delivery_listeners.append(listener)

    def on_finished(self, listener: Callable[[Job, Served], None]) -> None:
        """Call `listener(job, served)` when a job run by this process has succeeded (the limits count
        the audio it made or transcribed against its owner's day): just before it is marked so, so
        anyone who sees it succeeded sees it counted (a run whose lease was lost meanwhile is counted
        too; it is rare, and it errs against the key, never for it)."""
        with self._lock:
            self._finish_listeners.append(listener)

    def check_callback(self, callback: Callback, *, param: str = "callback_url") -> Callback:
        if callback.url is None or not callback.url.strip():
            return Callback()
        if callback.headers:
            for name, value in callback.headers.items():
                if not name.strip() or any(c in name + value for c in "\r\n"):
                    raise InvalidRequest(
                        "a callback header name or value is not valid", param="callback_headers"
                    )
        return Callback(
            check_callback_url(callback.url, self.settings, param=param), callback.headers, callback.extra
        )

    def submit_transcription(
        self,
        audio: bytes,
        *,
        filename: str | None,
        model: str | None,
        options: TranscribeOptions,
        response_format: str = "json",
        word_timestamps: bool = True,
        shape: str = "mynah",
        callback: Callback = Callback(),
        owner: str | None = None,
        base_url: str | None = None,
        charge: Callable[[int], None] | None = None,
        priority: int | None = None,
    ) -> Job:
        """Check as `/v1/audio/transcriptions` would (model, options, size: the same errors), then queue."""
        rank = check_priority(priority)
        parse_transcript_format(response_format)
        prepared = self.runtime.transcription.prepare(model, options)
        self.runtime.transcription.check_upload_size(len(audio))
        checked = self.check_callback(
            callback,
            param="callbackURL"
            if shape == "whisperapi"
            else "webhook_url"
            if shape == "pulse"
            else "callback_url",
        )
        if charge is not None:  # the key's daily budget (mynah.platform.hooks.admit_job): none to spend
            charge(0)
        ref = self.blobs.put(audio)
        request = {
            "model": model,
            "options": asdict(prepared.options),
            "response_format": response_format,
            "word_timestamps": word_timestamps,
        }
        return self._queue("transcription", request, ref, filename, shape, checked, owner, base_url, rank)

    def submit_speech(
        self,
        text: str,
        *,
        voice: str | None,
        model: str | None,
        response_format: str = "mp3",
        input_type: str = "auto",
        speed: float = 1.0,
        sample_rate: int | None = None,
        lexicons: tuple[str, ...] = (),
        normalize: bool | list[str] = True,
        loudness: float | None = None,
        callback: Callback = Callback(),
        owner: str | None = None,
        base_url: str | None = None,
        charge: Callable[[int], None] | None = None,
        priority: int | None = None,
    ) -> Job:
        """Check as the speech routes would (voice, format, text: `tts.max_input_chars` applies to the
        document), then queue. `input_type` markdown reads a Markdown document chapter by chapter."""
        from mynah.audio.formats import parse_format, validate_sample_rate
        from mynah.jobs.documents import markdown_to_ssml
        from mynah.tts.plan import categories_of

        rank = check_priority(priority)
        if input_type not in INPUT_TYPES:
            raise InvalidRequest(f"input_type must be one of {', '.join(INPUT_TYPES)}", param="input_type")
        fmt = parse_format(response_format, param="response_format")
        if sample_rate is not None:
            validate_sample_rate(fmt, sample_rate, param="sample_rate")
        if loudness is not None and not -60.0 <= loudness <= 0.0:
            raise InvalidRequest(
                "loudness is a target in LUFS between -60 and 0 (e.g. -16)", param="loudness"
            )
        spoken = markdown_to_ssml(text) if input_type == "markdown" else text
        ssml = True if input_type in ("ssml", "markdown") else None if input_type == "auto" else False
        self.runtime.speech.prepare(
            spoken,
            voice=voice,
            model=model,
            speed=speed,
            sample_rate=sample_rate,
            lexicons=lexicons,
            normalization=categories_of(normalize),
            ssml=ssml,
        )
        checked = self.check_callback(callback)
        if charge is not None:  # its billable characters, spent against the key's day (or RateLimited)
            charge(billable_chars(spoken))
        ref = self.blobs.put(text.encode("utf-8"))
        request = {
            "voice": voice,
            "model": model,
            "response_format": fmt.value,
            "input_type": input_type,
            "speed": speed,
            "sample_rate": sample_rate,
            "lexicons": list(lexicons),
            "normalize": normalize,
            "loudness": loudness,
        }
        return self._queue("speech", request, ref, None, "mynah", checked, owner, base_url, rank)

    def _queue(
        self,
        kind: str,
        request: dict[str, Any],
        ref: str,
        name: str | None,
        shape: str,
        callback: Callback,
        owner: str | None,
        base_url: str | None,
        priority: int,
    ) -> Job:
        job = self.store.create(
            NewJob(
                kind=kind,
                request=request,
                max_attempts=self.settings.max_attempts,
                shape=shape,
                owner=owner,
                priority=priority,
                input_ref=ref,
                input_name=name,
                callback_url=callback.url,
                callback_headers=callback.headers,
                callback_extra=callback.extra,
                result_url=(self.settings.public_url or base_url or "").rstrip("/") or None,
            )
        )
        log.info("job %s queued (%s)", job.id, kind)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
        return job

    # ------------------------------------------------------------------------------ following

    def get(self, job_id: str) -> Job:
        return self.store.get(job_id)

    def describe(self, job: Job) -> dict[str, Any]:
        body = job.public()
        body["result_url"] = self.result_url(job)
        if job.callback_url is not None:
            body["callback"]["deliveries"] = [d.public() for d in self.store.deliveries(job.id)]
        return body

    def result_url(self, job: Job) -> str:
        return f"{job.result_url or ''}/v1/mynah/jobs/{job.id}/result"

    def result(self, job_id: str, fmt: str | None = None) -> Rendered:
        """The result of a succeeded job; 409 naming the state for any other (mynah.jobs.results)."""
        return self.results.render_result(job_id, fmt)

    def render_transcript(self, job: Job, fmt: str | None) -> Rendered:
        return self.results.render_transcript(job, fmt)

    def redacted_audio(self, job_id: str) -> bytes:
        """The recording of a transcription job asked with redact_audio, its redacted spans filled."""
        return self.results.redacted_audio(job_id)

    def list_jobs(self, **query: Any) -> tuple[list[Job], str | None]:
        return self.store.list_jobs(**query)

    def cancel(self, job_id: str) -> Job:
        return self.store.cancel(job_id)

    def delete(self, job_id: str) -> tuple[Job, bool]:
        """DELETE: cancel a queued or running job (False: kept, cancelled); remove a finished one
        with its files (True)."""
        job = self.store.get(job_id)
        if not job.finished:
            return self.store.cancel(job_id), False
        removed = self.store.delete(job_id)
        self._remove_unreferenced([r for r in (removed.input_ref, removed.result_ref) if r])
        return removed, True

    def _remove_unreferenced(self, refs: list[str]) -> None:
        referenced = self.store.referenced_blobs()
        import time

        for ref in refs:
            path = self.blobs.path(ref)
            try:
                fresh = time.time() - path.stat().st_mtime < _FRESH_BLOB_SECONDS
            except FileNotFoundError:
                continue
            # a blob touched a moment ago may belong to a submission whose row is not committed yet;
            # the cleanup task removes it later if it stays unreferenced
            if ref not in referenced and not fresh:
                self.blobs.delete(ref)

    # ------------------------------------------------------------------------------ running

    def process(self, job: Job, report: execute.Report) -> str:
        """Run a claimed job to its end: "succeeded", "failed", "retry", "lost" or "handed back"."""
        callback = job.callback_url is not None
        try:
            output = execute.run(self.runtime, self.blobs, job, report)
        except JobAbandoned:
            log.info("job %s: lease lost (cancelled or taken over); stopped", job.id)
            return "lost"
        except JobHandedBack:
            self.store.release(job)
            log.info("job %s handed back to the queue", job.id)
            return "handed back"
        except MynahError as exc:
            body = execute.error_body(exc)
            retry = execute.is_transient(exc) and job.attempts < job.max_attempts
            retry_at = self._retry_at(job.attempts) if retry else None
            usage = self._usage(job, None, status=exc.status_code)
            if not self.store.fail(job, body, retry_at=retry_at, callback=callback, usage=usage):
                return "lost"
            log.warning(
                "job %s attempt %d failed: %s%s",
                job.id,
                job.attempts,
                exc.message,
                " (will retry)" if retry else "",
            )
            return "retry" if retry else "failed"
        usage = self._usage(job, output.served, status=200)
        if output.served is not None:  # counted before the job shows as done, so the owner's next
            self._finished(job, output.served)  # request (after seeing it succeed) is judged with it
        if not self.store.succeed(job, output.ref, output.media_type, callback=callback, usage=usage):
            log.info("job %s finished after its lease was lost; its result is not kept", job.id)
            return "lost"
        log.info("job %s succeeded (attempt %d)", job.id, job.attempts)
        return "succeeded"

    def _finished(self, job: Job, served: Served) -> None:
        for listener in list(self._finish_listeners):
            try:
                listener(job, served)
            except Exception:  # counting must not fail a job that is done
                log.warning("job %s: a finish listener failed", job.id, exc_info=True)

    def _usage(self, job: Job, served: Served | None, *, status: int) -> dict[str, Any] | None:
        """The job's usage event when the platform meters usage (mynah.jobs.metering)."""
        return usage_row(job, served, status=status) if self.metering else None

    def _retry_at(self, attempt: int) -> datetime:
        wait = backoff(attempt, self.settings.retry_base_seconds, 600.0)
        return datetime.now(UTC) + timedelta(seconds=wait)

    # ------------------------------------------------------------------------------ callbacks

    def payload(self, job: Job) -> dict[str, Any]:
        """What a callback carries. The mynah shape is a Standard Webhooks envelope
        {type, timestamp, data: the job (+ result inline when small)}; the hosted shapes carry their
        synchronous response body with the job's id and status, and `webhook_extra` echoed."""
        result: dict[str, Any] | None = None
        if job.state == "succeeded" and job.kind == "transcription":
            rendered = self.render_transcript(job, None)
            result = rendered.body if isinstance(rendered.body, dict) else {"text": rendered.body}
            if len(json.dumps(result)) > self.settings.callback_max_inline_bytes:
                result = None
        if job.shape in ("whisperapi", "pulse"):
            body: dict[str, Any] = {
                "id": job.id,
                "request_id": job.id,
                "status": job.state,
                "result_url": self.result_url(job),
            }
            if job.shape == "pulse" and job.state == "succeeded":
                body["status"] = "success"
            if result is not None:
                body |= result
                body["status"] = "success" if job.shape == "pulse" else job.state
            if job.error is not None:
                body["error"] = job.error["error"]
            if job.callback_extra:
                body["webhook_extra"] = job.callback_extra
            return body
        data = job.public()
        data.pop("request", None)
        data["result_url"] = self.result_url(job)
        if result is not None:
            data["result"] = result
        if job.callback_extra:
            data["webhook_extra"] = job.callback_extra
        return {"type": f"{job.kind}.{job.state}", "timestamp": _now_iso(), "data": data}

    def deliver_due(self) -> int:
        """Send every callback that is due now; returns how many attempts were made."""
        made = 0
        while (job := self.store.claim_delivery(self.settings.callback_timeout * 3)) is not None:
            self._deliver(job)
            made += 1
        return made

    def _deliver(self, job: Job) -> None:
        assert job.callback_url is not None and job.webhook_id is not None
        try:
            payload = self.payload(job)
        except (MynahError, OSError, ValueError) as exc:  # the result went missing: say so
            payload = {
                "type": f"{job.kind}.{job.state}",
                "timestamp": _now_iso(),
                "data": {"id": job.id, "status": job.state, "error": str(exc)},
            }
        attempt = self.sender.send(
            job.callback_url, job.webhook_id, payload, dict(job.callback_headers or {})
        )
        next_at: datetime | None = None
        if attempt.delivered:
            state = "delivered"
        elif attempt.gone:
            state = "gone"
        elif attempt.status_code is None and (attempt.error or "").startswith("refused"):
            state = "refused"
        else:
            first = job.finished_at or datetime.now(UTC)
            next_at = next_attempt(job.delivery_attempts + 1, first, self.settings, attempt.retry_after)
            state = "pending" if next_at is not None else "exhausted"
        log.info(
            "job %s callback attempt %d: %s",
            job.id,
            job.delivery_attempts + 1,
            attempt.status_code or attempt.error,
        )
        self.store.record_delivery(
            job,
            status_code=attempt.status_code,
            error=attempt.error,
            seconds=attempt.seconds,
            state=state,
            next_at=next_at,
        )
        with self._lock:
            listeners = list(self._delivery_listeners)
        for listener in listeners:
            listener(state)

    # ------------------------------------------------------------------------------ retention

    def cleanup(self, *, orphan_grace_seconds: float = 3600.0) -> tuple[int, int]:
        """Remove finished jobs past retention, then every blob no job refers to (older than the
        grace period, so a submission in flight keeps its input). Returns (jobs, blobs) removed."""
        jobs = 0
        for job_id in self.store.expired(timedelta(hours=self.settings.retention_hours)):
            try:
                self.store.delete(job_id)
                jobs += 1
            except (NotFound, InvalidRequest):
                continue
        orphans = self.blobs.orphans(self.store.referenced_blobs(), older_than=orphan_grace_seconds)
        for ref in orphans:
            self.blobs.delete(ref)
        self.blobs.clean_tmp(older_than=orphan_grace_seconds)
        if jobs or orphans:
            log.info("jobs cleanup: %d jobs and %d files removed", jobs, len(orphans))
        return jobs, len(orphans)


def check_priority(priority: int | None) -> int:
    """A submission's priority: a whole number from MIN_PRIORITY to MAX_PRIORITY (higher is claimed
    first), DEFAULT_PRIORITY when not given; anything else is a 400 naming `priority`."""
    if priority is None:
        return DEFAULT_PRIORITY
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InvalidRequest(
            f"priority must be a whole number from {MIN_PRIORITY} to {MAX_PRIORITY}, not {priority!r}",
            param="priority",
        )
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise InvalidRequest(
            f"priority {priority} is out of range: use {MIN_PRIORITY} (lowest) to {MAX_PRIORITY} "
            f"(highest); {DEFAULT_PRIORITY} is the default",
            param="priority",
        )
    return priority


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
