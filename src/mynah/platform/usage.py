"""Usage metering: every request and job recorded exactly once, written in batches.

    meter = UsageMeter(store, flush_seconds=1.0, batch_size=500)
    meter.start()
    meter.record(UsageEvent(...))      # appends to a list in memory: next to nothing on the hot path
    meter.close()                      # stops the writer and writes what is left (clean shutdown)
    meter.report(start, end, group_by="key", prices=settings.platform.prices)

A writer thread inserts what has gathered every `flush_seconds`, or at once when `batch_size` events
wait. A batch that fails to write (the database away) stays in memory and is tried again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Table, func, insert, select

from mynah.config import PriceSettings
from mynah.errors import InvalidRequest
from mynah.platform.tables import UsageRow, create_tables
from mynah.store import Store

__all__ = ["GroupBy", "UsageEvent", "UsageMeter", "cost_of", "parse_period"]

log = logging.getLogger(__name__)
GroupBy = Literal["key", "day", "model", "voice"]
GROUPS: tuple[str, ...] = ("key", "day", "model", "voice")


@dataclass(frozen=True)
class UsageEvent:
    at: datetime
    request_id: str
    key_id: str | None
    kind: str
    """speech, transcription, job or other."""
    route: str
    status: int
    latency_ms: float
    engine: str | None = None
    model: str | None = None
    voice: str | None = None
    chars: int = 0
    audio_seconds: float = 0.0
    cached: bool = False


_USAGE_TABLE = cast(Table, UsageRow.__table__)
_COLUMNS = tuple(f.name for f in fields(UsageEvent))
"""The event's fields, each a column of `usage_events` (`dataclasses.asdict` deep-copies every value:
slower than the insert itself)."""


def cost_of(kind: str, engine: str | None, chars: int, audio_seconds: float, prices: PriceSettings) -> float:
    """USD for `chars` billable characters and `audio_seconds` of audio of one kind on one engine."""
    if kind == "speech":
        per_chars, per_hour = prices.speech_per_million_chars, prices.speech_per_audio_hour
    elif kind == "transcription":
        per_chars, per_hour = prices.transcription_per_million_chars, prices.transcription_per_audio_hour
    else:
        return 0.0
    override = prices.engines.get(engine or "", {})
    per_chars = override.get("per_million_chars", per_chars)
    per_hour = override.get("per_audio_hour", per_hour)
    return chars / 1e6 * per_chars + audio_seconds / 3600.0 * per_hour


class UsageMeter:
    def __init__(
        self,
        store: Store,
        *,
        flush_seconds: float = 1.0,
        batch_size: int = 500,
        on_written: Callable[[int], None] | None = None,
    ) -> None:
        self._store = store
        create_tables(store)
        self._flush_seconds = flush_seconds
        self._batch_size = batch_size
        self._on_written = on_written
        self._pending: list[UsageEvent] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.before_flush: Callable[[], None] | None = None
        """Called first by every flush (the platform meters the requests that have ended)."""

    # ------------------------------------------------------------------------------------ writing

    def record(self, event: UsageEvent) -> None:
        with self._lock:
            self._pending.append(event)
            full = len(self._pending) >= self._batch_size
        if full:
            self._wake.set()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mynah-usage", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._flush_seconds)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # kept in memory, tried again next round
                log.warning("usage not written yet (%d events wait)", self.pending, exc_info=True)

    def flush(self) -> int:
        """Write every pending event now; returns how many. On failure they stay pending and it raises."""
        if self.before_flush is not None:
            self.before_flush()
        with self._write_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                rows = [{name: getattr(e, name) for name in _COLUMNS} for e in batch]
                with self._store.session(write=True) as session:  # a Core executemany: a third of
                    session.execute(insert(_USAGE_TABLE), rows)  # the ORM bulk path's CPU
            except BaseException:
                with self._lock:
                    self._pending[:0] = batch
                raise
            if self._on_written is not None:
                self._on_written(len(batch))
            return len(batch)

    def close(self) -> None:
        """Stop the writer and write everything still pending."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        for attempt in range(3):
            try:
                self.flush()
                return
            except Exception:
                if attempt == 2:
                    log.error("%d usage events could not be written at shutdown", self.pending, exc_info=True)

    # ------------------------------------------------------------------------------------ reading

    def report(
        self,
        start: datetime | None,
        end: datetime | None,
        *,
        group_by: str,
        prices: PriceSettings,
        key_id: str | None = None,
    ) -> dict[str, Any]:
        """Totals per group (key, day, model or voice) over [start, end), with a cost estimate."""
        if group_by not in GROUPS:
            raise InvalidRequest(f"group_by must be one of {', '.join(GROUPS)}", param="group_by")
        self.flush()
        column = self._group_column(group_by)
        errors = func.sum(func.cast(UsageRow.status >= 400, UsageRow.status.type))
        query = select(
            column.label("group"),
            UsageRow.kind,
            UsageRow.engine,
            func.count(),
            errors,
            func.coalesce(func.sum(UsageRow.chars), 0),
            func.coalesce(func.sum(UsageRow.audio_seconds), 0.0),
            func.sum(func.cast(UsageRow.cached, UsageRow.status.type)),
        ).group_by(column, UsageRow.kind, UsageRow.engine)
        if start is not None:
            query = query.where(UsageRow.at >= start)
        if end is not None:
            query = query.where(UsageRow.at < end)
        if key_id is not None:
            query = query.where(UsageRow.key_id == key_id)
        groups: dict[str, dict[str, Any]] = {}
        with self._store.session() as session:
            rows = session.execute(query).all()
        for group, kind, engine, count, failed, chars, seconds, cached in rows:
            name = str(group) if group is not None else "(none)"
            entry = groups.setdefault(
                name,
                {
                    "group": name,
                    "requests": 0,
                    "errors": 0,
                    "cached": 0,
                    "chars": 0,
                    "audio_seconds": 0.0,
                    "cost_usd": 0.0,
                },
            )
            entry["requests"] += int(count)
            entry["errors"] += int(failed or 0)
            entry["cached"] += int(cached or 0)
            entry["chars"] += int(chars or 0)
            entry["audio_seconds"] += float(seconds or 0.0)
            entry["cost_usd"] += cost_of(kind, engine, int(chars or 0), float(seconds or 0.0), prices)
        data = sorted(groups.values(), key=lambda g: g["group"])
        totals = {
            k: sum(g[k] for g in data)
            for k in ("requests", "errors", "cached", "chars", "audio_seconds", "cost_usd")
        }
        for entry in [*data, totals]:
            entry["audio_seconds"] = round(entry["audio_seconds"], 3)
            entry["cost_usd"] = round(entry["cost_usd"], 6)
        return {
            "object": "usage",
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "group_by": group_by,
            "data": data,
            "total": totals,
        }

    def _group_column(self, group_by: str) -> ColumnElement[Any]:
        if group_by == "key":
            return UsageRow.key_id  # type: ignore[return-value]
        if group_by == "model":
            return UsageRow.model  # type: ignore[return-value]
        if group_by == "voice":
            return UsageRow.voice  # type: ignore[return-value]
        if self._store.dialect == "postgresql":
            return func.to_char(func.timezone("UTC", UsageRow.at), "YYYY-MM-DD")
        return func.strftime("%Y-%m-%d", UsageRow.at)


def parse_period(value: str | date | None, *, param: str, end: bool = False) -> datetime | None:
    """An ISO date (a whole UTC day: `to` includes it) or date-time (naive is UTC); None stays None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return moment + timedelta(days=1) if end else moment
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(
            f"{param} must be an ISO date or date-time, got {value!r}", param=param
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
