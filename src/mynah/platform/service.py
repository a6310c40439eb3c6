"""The platform of one server: keys, limits, metering, metrics, speech cache, quality bounds.

`Platform.open(runtime)` builds it over the runtime's store when the server starts; `close()` (on a
clean shutdown) writes the usage still in memory. `install(app, settings)` wires it into an app.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import anyio.to_thread
from fastapi import FastAPI
from starlette.types import Scope

from mynah.config import Settings
from mynah.platform.auth import Authenticator
from mynah.platform.cache import SpeechCache
from mynah.platform.canary import CanaryTask
from mynah.platform.context import RequestContext, install_logging
from mynah.platform.keys import ADMIN_FROM_SETTINGS, KeyStore
from mynah.platform.limits import Limiter
from mynah.platform.metrics import Metrics
from mynah.platform.middleware import PlatformMiddleware
from mynah.platform.quality import QualityReport
from mynah.platform.usage import UsageEvent, UsageMeter

if TYPE_CHECKING:
    from mynah.runtime import Runtime
    from mynah.tts.render import AudioStage

__all__ = ["Platform", "count_job_audio", "install"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class FinishedJob(Protocol):
    """What the platform reads of a finished job (`mynah.jobs.Job`; the jobs package builds on this
    one, so it is named by shape, not imported)."""

    @property
    def id(self) -> str: ...
    @property
    def owner(self) -> str | None: ...


class JobUsage(Protocol):
    """What the platform reads of what a job used (`mynah.jobs.metering.Served`)."""

    @property
    def audio_seconds(self) -> float: ...


@dataclass
class Platform:
    settings: Settings
    keys: KeyStore
    auth: Authenticator
    limiter: Limiter
    meter: UsageMeter
    metrics: Metrics
    runtime: Runtime
    cache: SpeechCache | None = None
    canary: CanaryTask | None = None
    stage_factories: list[Callable[[], AudioStage]] = field(default_factory=list)
    _ended: deque[tuple[Any, ...]] = field(default_factory=deque)
    """Requests that have ended, not yet metered (see `finish`, `settle`)."""
    _quality: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="mynah-quality")
    )
    """Where the responses' audio is measured (one thread: each monitor's blocks in order)."""
    """Extra sample stages for every rendered response, before loudness and quality measurement
    (a DSP plug-in; the tests put a deliberate defect here)."""

    @classmethod
    def open(cls, runtime: Runtime, metrics: Metrics | None = None) -> Platform:
        settings = runtime.settings
        options = settings.platform
        metrics = metrics or Metrics()
        keys = KeyStore(runtime.store)
        meter = UsageMeter(
            runtime.store,
            flush_seconds=options.usage_flush_seconds,
            batch_size=options.usage_batch_size,
            on_written=metrics.usage_written.inc,
        )
        limiter = Limiter.open(
            redis_url=settings.redis_url, defaults=options.limits, prefix=options.redis_prefix
        )
        cache_settings = options.speech_cache
        cache = None
        if cache_settings.enabled and cache_settings.max_bytes > 0:
            cache = SpeechCache(
                cache_settings.directory or settings.data_dir / "speech-cache",
                max_bytes=cache_settings.max_bytes,
            )
        metrics.watch_models(runtime.models)
        metrics.watch_cluster(runtime.cluster.status if runtime.cluster is not None else None)
        metrics.watch_usage(lambda: meter.pending)
        platform = cls(
            settings=settings,
            keys=keys,
            auth=Authenticator(keys, settings.server.api_key, docs=options.docs, metrics=options.metrics),
            limiter=limiter,
            meter=meter,
            metrics=metrics,
            runtime=runtime,
            cache=cache,
        )
        meter.before_flush = platform.settle
        meter.start()
        if options.canary.enabled:
            platform.canary = CanaryTask(runtime, on_report=metrics.canary_report)
            platform.canary.start()
        return platform

    def close(self) -> None:
        if self.canary is not None:
            self.canary.stop()
        self._quality.shutdown(wait=True)  # every measurement reported, then the usage written
        self.meter.close()

    def defer_quality(self, work: Callable[[], None]) -> None:
        """Run a quality monitor's measuring off the response path, in the request's context (its
        id reaches the anomaly's log line)."""
        try:
            self._quality.submit(contextvars.copy_context().run, work)
        except RuntimeError:  # shut down (the server is stopping): measure here
            work()

    def quality_settled(self, timeout: float = 30.0) -> None:
        """Wait until every measurement handed on so far has been made and reported."""
        with contextlib.suppress(RuntimeError, TimeoutError):
            self._quality.submit(lambda: None).result(timeout=timeout)

    def job_finished(self, job: FinishedJob, served: JobUsage) -> None:
        """A job (run by this process's workers) has succeeded: count the audio it made or
        transcribed against its owner's day, as a request's is (its characters were spent when it
        was submitted)."""
        count_job_audio(self.limiter, self.keys, job, served)

    def quality_report(self, report: QualityReport) -> None:
        """A response's audio was measured: count and log what is out of bounds."""
        for kind in report.anomalies:
            self.metrics.anomalies.labels(kind, report.voice).inc()
        if report.anomalies:
            log.warning(
                "speech audio anomaly (%s) on voice %s: %s",
                ", ".join(report.anomalies),
                report.voice,
                report.as_json(),
                extra={"anomalies": ",".join(report.anomalies)},
            )

    async def run_limiter(self, call: Callable[[], T]) -> T:
        """The limiter's storage: in memory it is a dict (called here), on Redis a round trip (in a
        worker thread, off the event loop)."""
        if self.limiter.remote:
            return await anyio.to_thread.run_sync(call)
        return call()

    def count_audio(self, ctx: RequestContext, status: int, headers: dict[str, str]) -> None:
        """Count the response's audio against the key's daily minutes. The middleware calls this just
        before the response's last message, so a client that has the whole answer and sends its next
        request is judged on the minutes it has already used; `finish` does it otherwise."""
        ctx.audio_counted = True
        if ctx.key is None or status >= 400 or self.limiter.limits_for(ctx.key).audio_minutes_per_day is None:
            return
        seconds = ctx.seconds() or _float(headers.get("x-mynah-audio-seconds"))
        if seconds <= 0:
            return
        try:
            self.limiter.record_audio(ctx.key, seconds)
        except Exception:
            log.warning("audio minutes not counted for %s", ctx.key.id, exc_info=True)

    def finish(
        self,
        ctx: RequestContext,
        scope: Scope,
        status: int,
        first_byte: float | None,
        headers: dict[str, str],
    ) -> None:
        """The request has ended: its audio counted against the key (when not yet), and the request
        noted, a tuple on a queue. `settle` meters it once and observes its metrics, in batches in
        the usage writer's thread (and before a scrape, a usage report or a shutdown), so the
        request path pays for an append only."""
        end = time.perf_counter()
        if not ctx.audio_counted:
            self.count_audio(ctx, status, headers)
        if callable(ctx.audio_seconds):  # read now: the queue must not keep the render alive
            ctx.audio_seconds = ctx.seconds()
        self._ended.append(
            (
                ctx,
                scope.get("route"),
                scope["path"],
                scope.get("method", "WS"),
                status,
                first_byte,
                end,
                headers,
            )
        )

    def settle(self) -> None:
        """Meter and observe every request that has ended (each exactly once: taken off the queue)."""
        ended = self._ended
        while True:
            try:
                item = ended.popleft()
            except IndexError:
                return
            try:
                self._settle(*item)
            except Exception:  # one bad record must not stop the others
                log.exception("metering failed for request %s", item[0].request_id)

    def _settle(
        self,
        ctx: RequestContext,
        route_object: Any,
        path: str,
        method: str,
        status: int,
        first_byte: float | None,
        end: float,
        headers: dict[str, str],
    ) -> None:
        route = getattr(route_object, "path", None) or ("(unmatched)" if status == 404 else path)
        kind = ctx.kind
        ok = status < 400
        if kind == "speech":
            ctx.engine = ctx.engine or headers.get("x-mynah-engine")
            ctx.model = ctx.model or headers.get("x-mynah-voice")
        elif kind == "transcription":
            ctx.engine = ctx.engine or headers.get("x-mynah-engine")
            ctx.model = ctx.model or headers.get("x-mynah-model")
        ctx.cached = ctx.cached or headers.get("x-mynah-cache") == "hit"
        seconds = (ctx.seconds() or _float(headers.get("x-mynah-audio-seconds"))) if ok else 0.0
        self.meter.record(
            UsageEvent(
                at=ctx.at,
                request_id=ctx.request_id,
                key_id=ctx.key.id if ctx.key is not None else None,
                kind=kind,
                route=route,
                status=status,
                latency_ms=(end - ctx.started) * 1000.0,
                engine=ctx.engine if kind != "other" else None,
                model=(ctx.engine if kind == "speech" else ctx.model) if kind != "other" else None,
                voice=ctx.model if kind == "speech" else None,
                chars=ctx.chars if ok or ctx.charged_chars else 0,
                audio_seconds=seconds,
                cached=ctx.cached,
            )
        )
        m = self.metrics
        m.child(m.requests, route, method, str(status)).inc()
        m.child(m.latency, route).observe(end - ctx.started)
        if "x-mynah-fallback" in headers:
            m.child(m.fallbacks, kind).inc()
        if not ok or ctx.cached:
            return
        if kind == "speech" and ctx.engine:
            voice = ctx.model or "-"
            if first_byte is not None:
                m.child(m.first_byte, ctx.engine, voice).observe(first_byte - ctx.started)
            if seconds > 0:
                m.child(m.speech_rtf, ctx.engine, voice).observe((end - ctx.started) / seconds)
        elif kind == "transcription" and ctx.model and seconds > 0:
            m.child(m.transcription_rtf, ctx.model).observe((end - ctx.started) / seconds)

    def scrape(self) -> bytes:
        """The metrics text, with every request that has ended observed in it."""
        self.quality_settled()
        self.settle()
        return self.metrics.render()


def count_job_audio(limiter: Limiter, keys: KeyStore, job: FinishedJob, served: JobUsage) -> None:
    """Count a finished job's audio seconds against its owner's daily audio minutes."""
    if job.owner is None or job.owner == ADMIN_FROM_SETTINGS.id or served.audio_seconds <= 0:
        return
    try:
        limiter.record_audio(keys.get(job.owner), served.audio_seconds)
    except Exception:
        log.warning("audio minutes of job %s not counted for %s", job.id, job.owner, exc_info=True)


def _route_of(scope: Scope) -> str:
    """The route template (a bounded label), also for a request refused before routing."""
    route = scope.get("route")
    if route is None and "app" in scope:
        from starlette.routing import Match

        for candidate in scope["app"].router.routes:
            if candidate.matches(scope)[0] is Match.FULL:
                route = candidate
                break
    return str(getattr(route, "path", None) or "(unmatched)")


def _float(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0


def install(app: FastAPI, settings: Settings) -> None:
    """Wire the platform into `app`: its routes, the gate around everything, and its start and
    stop inside the app's lifespan (after the runtime started, before it closes)."""
    from mynah.platform.routes import router

    if not settings.platform.enabled:
        return
    metrics = Metrics()
    app.state.platform = None
    app.include_router(router)
    install_logging(json_logs=settings.platform.json_logs)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            platform = _platform_of(app_, metrics)
            try:
                yield state
            finally:
                app_.state.platform = None
                if platform is not None:
                    await anyio.to_thread.run_sync(platform.close)

    app.router.lifespan_context = lifespan

    def current(scope: Scope) -> Platform | None:
        return _platform_of(scope["app"], metrics)

    app.add_middleware(PlatformMiddleware, platform=current)


def _platform_of(app: Any, metrics: Metrics) -> Platform | None:
    """The app's platform, opened on first need once the runtime is there."""
    platform: Platform | None = getattr(app.state, "platform", None)
    if platform is None:
        runtime = getattr(app.state, "runtime", None)
        if runtime is None:
            return None
        platform = app.state.platform = Platform.open(runtime, metrics)
        _watch_app(app, platform)
    return platform


def _watch_app(app: Any, platform: Platform) -> None:
    """What the app runs beside the platform, in the metrics: its admission gates (queue depths) and
    its jobs (the job queue by state, callback deliveries by outcome), and the audio its finished
    jobs made, in the limits. Both are duck-typed, so this package need not import the server's or
    the jobs' modules."""
    metrics = platform.metrics
    admissions = getattr(app.state, "admissions", None)
    if admissions is not None:
        metrics.watch_admissions([admissions.speech, admissions.transcription])
    jobs = getattr(app.state, "jobs", None)
    metrics.watch_jobs(jobs.store.counts if jobs is not None else None)
    if jobs is not None:
        jobs.on_delivery(lambda outcome: metrics.callbacks.labels(outcome).inc())
        jobs.on_finished(platform.job_finished)
