"""Prometheus metrics of one app (its own registry, so several apps in one process do not mix).

    mynah_http_requests_total{route, method, status}
    mynah_http_request_duration_seconds{route}                 histogram
    mynah_speech_first_byte_seconds{engine, voice}             histogram
    mynah_speech_real_time_factor{engine, voice}               histogram: wall time / audio time
    mynah_transcription_real_time_factor{model}                histogram
    mynah_requests_in_progress{kind}                           queue depth at the server: speech,
                                                               transcription, other
    mynah_active_streams                                       speech/transcription responses open
    mynah_queue_depth{queue}                                   requests waiting for an admission slot
                                                               (queue = speech, transcription)
    mynah_admission_running{kind}                              requests holding an admission slot
    mynah_jobs{kind, state}                                    jobs in the store by kind and state
                                                               (queued is the job queue's depth)
    mynah_model_loads_total, mynah_model_unloads_total, mynah_models_loaded,
    mynah_model_resident_memory_bytes{model}                   from the model manager
    mynah_speech_cache_requests_total{result}                  hit | miss
    mynah_fallbacks_total{kind}                                a chain fell past its first choice
    mynah_callback_deliveries_total{outcome}                   job callbacks (delivered, failed, ...)
    mynah_speech_audio_anomalies_total{kind, voice}            see mynah.platform.quality
    mynah_usage_events_written_total, mynah_usage_events_pending
    mynah_canary_drift{voice}                                  1 when the last canary run saw drift

Label values come from route templates and configured voices/models, never from raw paths, so the
number of series stays bounded.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from mynah.models.manager import ModelManager
from mynah.platform.canary import CanaryReport

__all__ = ["CONTENT_TYPE", "Metrics"]

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_KINDS = ("speech", "transcription", "other")
_RTF = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "mynah_http_requests",
            "HTTP requests by route and status",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "mynah_http_request_duration_seconds",
            "Request latency to the last byte",
            ["route"],
            buckets=_LATENCY,
            registry=r,
        )
        self.first_byte = Histogram(
            "mynah_speech_first_byte_seconds",
            "Speech: request start to the first audio byte",
            ["engine", "voice"],
            buckets=_LATENCY,
            registry=r,
        )
        self.speech_rtf = Histogram(
            "mynah_speech_real_time_factor",
            "Speech: wall time / audio time",
            ["engine", "voice"],
            buckets=_RTF,
            registry=r,
        )
        self.transcription_rtf = Histogram(
            "mynah_transcription_real_time_factor",
            "Transcription: wall time / audio time",
            ["model"],
            buckets=_RTF,
            registry=r,
        )
        self.in_progress = Gauge("mynah_requests_in_progress", "Requests being served", ["kind"], registry=r)
        self.live = {kind: 0 for kind in _KINDS}
        """Requests being served by kind, and "streams": the gate counts here (plain ints, changed
        only on the event loop), the gauges read them at a scrape."""
        self.live["streams"] = 0
        for kind in _KINDS:
            self.in_progress.labels(kind).set_function(functools.partial(self.live.__getitem__, kind))
        self.streams = Gauge("mynah_active_streams", "Speech and transcription responses open", registry=r)
        self.streams.set_function(functools.partial(self.live.__getitem__, "streams"))
        self._children: dict[tuple[object, tuple[str, ...]], Any] = {}
        self.cache = Counter("mynah_speech_cache_requests", "Speech cache lookups", ["result"], registry=r)
        self.fallbacks = Counter(
            "mynah_fallbacks", "Requests served past the first choice of a chain", ["kind"], registry=r
        )
        self.callbacks = Counter(
            "mynah_callback_deliveries", "Job callback deliveries", ["outcome"], registry=r
        )
        self.anomalies = Counter(
            "mynah_speech_audio_anomalies",
            "Synthesised audio outside the quality bounds",
            ["kind", "voice"],
            registry=r,
        )
        self.usage_written = Counter(
            "mynah_usage_events_written", "Usage events written to the store", registry=r
        )
        self.queue_depth = Gauge("mynah_queue_depth", "Items waiting per queue", ["queue"], registry=r)
        self.admission_running = Gauge(
            "mynah_admission_running", "Requests holding an admission slot", ["kind"], registry=r
        )
        self._jobs = _JobsCollector()
        r.register(self._jobs)
        self.usage_pending = Gauge("mynah_usage_events_pending", "Usage events not yet written", registry=r)
        self._models: _ModelCollector | None = None
        self._cluster: _ClusterCollector | None = None
        self.canary_drift = Gauge(
            "mynah_canary_drift",
            "1 when the last canary found the voice changed from its baseline",
            ["voice"],
            registry=r,
        )

    def child(self, metric: Counter | Histogram, *labels: str) -> Any:
        """`metric.labels(*labels)`, kept: the library's look-up (checks, a lock) costs more than the
        observation itself, and label values are bounded (route templates, configured voices)."""
        found = self._children.get((metric, labels))
        if found is None:
            if len(self._children) > 50_000:
                self._children.clear()
            found = self._children[(metric, labels)] = metric.labels(*labels)
        return found

    def add_queue(self, name: str, depth: Callable[[], float]) -> None:
        """Report `depth()` as mynah_queue_depth{queue=name} at every scrape (jobs, admission, ...)."""
        self.queue_depth.labels(name).set_function(depth)

    def watch_admissions(self, admissions: Iterable[Any]) -> None:
        """Report each admission gate's waiting (mynah_queue_depth) and running requests; a gate is
        anything with `kind`, `waiting` and `running` (mynah.server.admission.Admission)."""
        for gate in admissions:
            self.add_queue(gate.kind, functools.partial(_attribute, gate, "waiting"))
            self.admission_running.labels(gate.kind).set_function(
                functools.partial(_attribute, gate, "running")
            )

    def watch_jobs(self, counts: Callable[[], Mapping[tuple[str, str], int]] | None) -> None:
        """Report `counts()` ({(kind, state): jobs}) as mynah_jobs at every scrape (None: stop)."""
        self._jobs.counts = counts

    def watch_models(self, manager: ModelManager | None) -> None:
        """Report this model manager's loads, unloads and resident models (replacing an earlier one)."""
        if self._models is not None:
            self.registry.unregister(self._models)
            self._models = None
        if manager is not None:
            self._models = _ModelCollector(manager)
            self.registry.register(self._models)

    def watch_cluster(self, status: Callable[[], dict[str, Any]] | None) -> None:
        """Report the cluster's deployments and replicas (`Cluster.status`) at every scrape."""
        if self._cluster is not None:
            self.registry.unregister(self._cluster)
            self._cluster = None
        if status is not None:
            self._cluster = _ClusterCollector(status)
            self.registry.register(self._cluster)

    def watch_usage(self, pending: Callable[[], float]) -> None:
        self.usage_pending.set_function(pending)

    def canary_report(self, report: CanaryReport) -> None:
        for check in report.voices:
            self.canary_drift.labels(check.voice).set(1.0 if check.status in ("drift", "error") else 0.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _attribute(owner: Any, name: str) -> float:
    return float(getattr(owner, name))


class _JobsCollector(Collector):
    def __init__(self) -> None:
        self.counts: Callable[[], Mapping[tuple[str, str], int]] | None = None

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(
            "mynah_jobs", "Jobs in the store by kind and state", labels=["kind", "state"]
        )
        counts = self.counts
        if counts is not None:
            try:
                found = counts()
            except Exception:  # the store away: the scrape still answers, without this family's values
                log.warning("job counts not available for /metrics", exc_info=True)
                found = {}
            for (kind, state), value in sorted(found.items()):
                family.add_metric([kind, state], float(value))
        yield family


class _ModelCollector(Collector):
    def __init__(self, manager: ModelManager) -> None:
        self.manager = manager

    def collect(self) -> Iterable[Metric]:
        loaded = self.manager.loaded()
        yield CounterMetricFamily("mynah_model_loads", "Models loaded since start", value=self.manager.loads)
        yield CounterMetricFamily(
            "mynah_model_unloads", "Models unloaded since start", value=self.manager.unloads
        )
        yield GaugeMetricFamily("mynah_models_loaded", "Models resident now", value=len(loaded))
        memory = GaugeMetricFamily(
            "mynah_model_resident_memory_bytes", "Estimated memory of each resident model", labels=["model"]
        )
        for model in loaded:
            memory.add_metric([model.id], model.memory_mb * 1024 * 1024)
        yield memory


class _ClusterCollector(Collector):
    """mynah_cluster_*: replicas per deployment and state, and each replica's load (mynah.cluster)."""

    def __init__(self, status: Callable[[], dict[str, Any]]) -> None:
        self.status = status

    def collect(self) -> Iterable[Metric]:
        status = self.status()
        replicas = GaugeMetricFamily(
            "mynah_cluster_replicas", "Replicas of each deployment by state", labels=["deployment", "state"]
        )
        for name, deployment in status["deployments"].items():
            for state, count in deployment["replicas"].items():
                replicas.add_metric([name, state], count)
        yield replicas
        labels = ["replica", "deployment", "node"]
        in_flight = GaugeMetricFamily(
            "mynah_cluster_replica_in_flight", "Calls a replica is serving", labels=labels
        )
        served = CounterMetricFamily(
            "mynah_cluster_replica_served", "Calls a replica has finished", labels=labels
        )
        models = GaugeMetricFamily(
            "mynah_cluster_replica_models_loaded", "Models a replica holds", labels=labels
        )
        for replica in status["replicas"]:
            key = [replica["replica"], replica["family"], replica["node"]]
            in_flight.add_metric(key, replica["in_flight"])
            served.add_metric(key, replica["served"])
            models.add_metric(key, len(replica["models"]))
        yield in_flight
        yield served
        yield models
        yield GaugeMetricFamily(
            "mynah_cluster_replicas_lost",
            "Replicas that died under a call of this front",
            value=len(status["lost"]),
        )
