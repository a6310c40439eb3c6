"""The platform's tables, in the store's metadata: API keys (hashes only) and usage events.

They are created by `create_tables(store)` when the platform opens, so the rest of mynah need not
import this package for `Store.open` to make them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mynah.store import Store
from mynah.store.models import Base, UtcDateTime


class ApiKeyRow(Base):
    """One API key. The token itself is never stored: `hash` is its SHA-256, `prefix` its first
    characters, enough to tell keys apart in a list."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    limits: Mapped[dict[str, float]] = mapped_column(JSON)
    defaults: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class UsageRow(Base):
    """One metered request or job: who, what, how much, how it ended."""

    __tablename__ = "usage_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    request_id: Mapped[str] = mapped_column(String(128))
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    """speech, transcription, job or other."""
    route: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str | None] = mapped_column(String(64), nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The model that served: the engine for speech, the model id for transcription."""
    voice: Mapped[str | None] = mapped_column(String(200), nullable=True)
    chars: Mapped[int] = mapped_column(Integer)
    audio_seconds: Mapped[float] = mapped_column(Float)
    status: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_usage_events_at_key", "at", "key_id"),)


def create_tables(store: Store) -> None:
    """Create the platform's tables if missing, in a write transaction (on SQLite BEGIN IMMEDIATE,
    so it queues behind other processes' and threads' transactions instead of deadlocking them)."""
    tables = [ApiKeyRow.__table__, UsageRow.__table__]
    with store.session(write=True) as session:
        Base.metadata.create_all(session.connection(), tables=tables)  # type: ignore[arg-type]
