"""The jobs tables: one row per job, one row per callback delivery attempt.

They live on the store's metadata (`mynah.store.models.Base`), so `Store.open` creates them with the
rest; `JobStore` also creates them when it opens, in case the store was opened before this module
was imported, and adds the columns a table made by an older mynah lacks (`add_missing_columns`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, Float, ForeignKey, Index, Integer, String, Text, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from mynah.store.models import Base, UtcDateTime

KINDS = ("transcription", "speech")
STATES = ("queued", "running", "succeeded", "failed", "cancelled")
FINISHED = ("succeeded", "failed", "cancelled")


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str | None] = mapped_column(String(64))
    """The API key id that submitted the job, once keys exist; None for the server's own key."""
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Higher is claimed first (mynah.jobs.claims); -10..10, 0 when not given."""
    shape: Mapped[str] = mapped_column(String(16), default="mynah")
    """The API shape it came in through (mynah, whisperapi, pulse): how its result is delivered."""
    request: Mapped[str] = mapped_column(Text)
    """JSON: the model and every option, as checked at submission."""
    input_ref: Mapped[str | None] = mapped_column(String(64))
    """sha256 of the input blob (audio, or the text document)."""
    input_name: Mapped[str | None] = mapped_column(String(255))
    result_ref: Mapped[str | None] = mapped_column(String(64))
    result_type: Mapped[str | None] = mapped_column(String(127))
    error: Mapped[str | None] = mapped_column(Text)
    """JSON: the error body a synchronous request would have got, with its HTTP status."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    """Fraction done, 0..1."""
    seconds_done: Mapped[float] = mapped_column(Float, default=0.0)
    seconds_total: Mapped[float | None] = mapped_column(Float)
    worker: Mapped[str | None] = mapped_column(String(128))
    lease_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    run_after: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    callback_url: Mapped[str | None] = mapped_column(Text)
    callback_headers: Mapped[str | None] = mapped_column(Text)
    """JSON {name: value}: a custom auth header the receiver asked to get back."""
    callback_extra: Mapped[str | None] = mapped_column(Text)
    """JSON {k: v}: Pulse-style webhook_extra, echoed in the delivery."""
    secret_ref: Mapped[str | None] = mapped_column(String(64))
    """Which secret signs the callbacks: "server" (per key, once keys exist)."""
    webhook_id: Mapped[str | None] = mapped_column(String(64))
    """The `webhook-id` of every delivery attempt: the receiver's idempotency key."""
    result_url: Mapped[str | None] = mapped_column(Text)
    delivery_state: Mapped[str | None] = mapped_column(String(16))
    """None (no callback), pending, delivered, gone (410), exhausted, refused."""
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivery_next_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivery_lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_jobs_queue", "state", "kind", "run_after"),
        Index("ix_jobs_created", "created_at", "id"),
        Index("ix_jobs_delivery", "delivery_state", "delivery_next_at"),
    )


class DeliveryRow(Base):
    """One attempt to deliver a job's callback."""

    __tablename__ = "job_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(40), ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    webhook_id: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)
    next_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


_ADDED_COLUMNS = {"priority": "INTEGER NOT NULL DEFAULT 0"}
"""Columns added to `jobs` after its first release, with their DDL: a database made before them
gets them when a JobStore opens it (`create_all` creates missing tables, never missing columns)."""


def add_missing_columns(engine: Engine) -> None:
    """Add the `_ADDED_COLUMNS` an existing jobs table lacks (SQLite and PostgreSQL alike)."""
    present = {column["name"] for column in inspect(engine).get_columns(JobRow.__tablename__)}
    missing = [name for name in _ADDED_COLUMNS if name not in present]
    if not missing:
        return
    guard = "IF NOT EXISTS " if engine.dialect.name == "postgresql" else ""  # another process may race
    for name in missing:
        try:
            with engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE jobs ADD COLUMN {guard}{name} {_ADDED_COLUMNS[name]}"))
        except OperationalError:  # SQLite: another process added it first
            if name not in {c["name"] for c in inspect(engine).get_columns(JobRow.__tablename__)}:
                raise
