"""The tables. Every timestamp is stored and returned as an aware UTC datetime on every backend."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, Float, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """DateTime that is always aware UTC, also on SQLite (which keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class LexiconRow(Base):
    """A pronunciation lexicon: the document as uploaded, and a summary of what it parsed to."""

    __tablename__ = "lexicons"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    format: Mapped[str] = mapped_column(String(8))
    """"pls" or "json"."""
    content_type: Mapped[str] = mapped_column(String(127))
    language: Mapped[str | None] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    """Counts replacements, so a process can tell whether its parsed copy is still current."""
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TranscriptRow(Base):
    """A cached transcription (see mynah.store.transcripts): `key` hashes audio, model and options."""

    __tablename__ = "transcript_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ReviewTranscriptRow(Base):
    """A transcript whose low-confidence words wait for review (mynah.stt.review); a job's go with it."""

    __tablename__ = "review_transcripts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    job_id: Mapped[str | None] = mapped_column(String(40), index=True)
    owner: Mapped[str | None] = mapped_column(String(64))
    transcript: Mapped[str] = mapped_column(Text)
    """JSON: the transcript as served (mynah.stt.cache.CachedTranscript), corrections applied."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewItemRow(Base):
    """A run of words below the confidence threshold, and what reviewers changed it to."""

    __tablename__ = "review_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    transcript_id: Mapped[str] = mapped_column(String(40), index=True)
    segment: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    """The span's words: segment.words[first:last] when collected (a correction makes them one word)."""
    last: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    """The words as recognised."""
    probability: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), index=True)
    """open or corrected."""
    history: Mapped[str] = mapped_column(Text, default="[]")
    """JSON [{"from", "to", "by", "at"}]: every correction, who made it and when."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
