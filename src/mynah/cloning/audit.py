"""The cloning audit log: append-only, every entry carrying the hash of the one before it.

    log = AuditLog(store)
    log.append("consent.issued", key_id="key_...", voice_id=None, details={"challenge": "ch_..."})
    log.verify()            # AuditReport: ok, entries, head hash, or the first bad entry and why
    for line in log.export(): ...   # one JSON object per entry, in order

An entry's hash is the SHA-256 of the previous entry's hash and the canonical JSON of its own fields
(sequence number, time, event, key, voice, details), so changing any field of an entry, deleting one
or swapping two breaks the chain at that entry, and `verify` names it. Deleting the newest entries
leaves a shorter chain that is still whole; `audit_head` (written in the same transaction as every
append) remembers the count and the newest hash, and `verify(expect_head=...)` checks against a
head copied elsewhere (printed by `mynah audit verify`). Someone who may rewrite the whole database
can rebuild the chain: keep a copy of the head (or the export) outside it to catch that.

Appends are serialised: on SQLite by the write transaction (BEGIN IMMEDIATE), on PostgreSQL by a
transaction-level advisory lock, so two servers on one database never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from mynah.store import Store
from mynah.store.models import Base, UtcDateTime

__all__ = ["EVENTS", "GENESIS", "AuditEntry", "AuditLog", "AuditReport", "entry_hash"]

GENESIS = "0" * 64
"""The `prev_hash` of the first entry."""
EVENTS = (
    "consent.issued",
    "consent.verified",
    "consent.refused",
    "voice.created",
    "voice.synthesis",
    "voice.shared",
    "voice.unshared",
    "voice.revoked",
    "voice.deleted",
)
_LOCK_ID = 0x6D796E6168  # "mynah": the advisory lock PostgreSQL appends hold
_HEAD = 1


class AuditRow(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    voice_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    details: Mapped[str] = mapped_column(Text)
    """Canonical JSON (sorted keys, no spaces), hashed exactly as stored."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """One row: how many entries the log holds and the newest one's hash."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    event: str
    key_id: str | None
    voice_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": _iso(self.at),
            "event": self.event,
            "key_id": self.key_id,
            "voice_id": self.voice_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int
    head: str
    """The hash of the newest entry that checked out (GENESIS for an empty log)."""
    bad_seq: int | None = None
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "bad_seq": self.bad_seq,
            "reason": self.reason,
        }


def canonical(details: dict[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str, seq: int, at: datetime, event: str, key_id: str | None, voice_id: str | None, details: str
) -> str:
    body = canonical(
        {
            "seq": seq,
            "at": _iso(at),
            "event": event,
            "key_id": key_id,
            "voice_id": voice_id,
            "details": details,
        }
    )
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def create_tables(store: Store) -> None:
    tables = [AuditRow.__table__, AuditHeadRow.__table__]
    with store.session(write=True) as session:
        Base.metadata.create_all(session.connection(), tables=tables)  # type: ignore[arg-type]


class AuditLog:
    def __init__(self, store: Store) -> None:
        self._store = store
        create_tables(store)

    def append(
        self,
        event: str,
        *,
        key_id: str | None = None,
        voice_id: str | None = None,
        details: dict[str, Any] | None = None,
        session: Session | None = None,
    ) -> AuditEntry:
        """Add one entry at the end of the chain. Pass `session` to make it part of that unit of
        work (it must be a write session); otherwise it commits on its own."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        if session is not None:
            return self._append(session, event, key_id, voice_id, details or {})
        with self._store.session(write=True) as own:
            return self._append(own, event, key_id, voice_id, details or {})

    def _append(
        self, session: Session, event: str, key_id: str | None, voice_id: str | None, details: dict[str, Any]
    ) -> AuditEntry:
        if self._store.dialect == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        head = session.get(AuditHeadRow, _HEAD)
        last = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).first()
        seq = (last.seq if last else 0) + 1
        prev = last.hash if last else GENESIS
        at = datetime.now(UTC)
        body = canonical(details)
        digest = entry_hash(prev, seq, at, event, key_id, voice_id, body)
        session.add(
            AuditRow(
                seq=seq,
                at=at,
                event=event,
                key_id=key_id,
                voice_id=voice_id,
                details=body,
                prev_hash=prev,
                hash=digest,
            )
        )
        if head is None:
            session.add(AuditHeadRow(id=_HEAD, count=seq, hash=digest))
        else:
            head.count, head.hash = seq, digest
        session.flush()
        return AuditEntry(seq, at, event, key_id, voice_id, details, prev, digest)

    def entries(self, *, voice_id: str | None = None) -> Iterator[AuditEntry]:
        with self._store.session() as session:
            query = select(AuditRow).order_by(AuditRow.seq)
            if voice_id is not None:
                query = query.where(AuditRow.voice_id == voice_id)
            for row in session.scalars(query).yield_per(500):
                yield _entry(row)

    def export(self) -> Iterator[str]:
        """The log as JSON lines, oldest first."""
        for entry in self.entries():
            yield json.dumps(entry.as_json(), ensure_ascii=False)

    def verify(self, *, expect_head: str | None = None) -> AuditReport:
        """Walk the chain from the first entry; stop at the first that does not check out."""
        prev, expected_seq, count = GENESIS, 1, 0
        with self._store.session() as session:
            for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(500):
                label = f"entry {row.seq} ({row.event} at {_iso(row.at)})"
                if row.seq != expected_seq:
                    missing = (
                        f"entry {expected_seq}"
                        if row.seq == expected_seq + 1
                        else (f"entries {expected_seq}-{row.seq - 1}")
                    )
                    return AuditReport(False, count, prev, expected_seq, f"{missing} is missing (deleted)")
                if row.prev_hash != prev:
                    why = f"{label}: its prev_hash does not match entry {row.seq - 1}'s hash (changed or reordered)"
                    return AuditReport(False, count, prev, row.seq, why)
                digest = entry_hash(prev, row.seq, row.at, row.event, row.key_id, row.voice_id, row.details)
                if digest != row.hash:
                    why = f"{label}: its contents do not match its hash (changed)"
                    return AuditReport(False, count, prev, row.seq, why)
                prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
            head = session.get(AuditHeadRow, _HEAD)
        if head is not None and (head.count != count or head.hash != prev):
            why = (
                f"the log ends at entry {count} but its head records {head.count} entries: "
                f"entry {count + 1} onwards is missing (deleted)"
                if head.count > count
                else f"the head ({head.count} entries, {head.hash[:12]}…) does not match the chain"
            )
            return AuditReport(False, count, prev, count + 1 if head.count > count else None, why)
        if head is None and count:
            return AuditReport(False, count, prev, None, "the head row is missing (deleted)")
        if expect_head is not None and expect_head != prev:
            why = f"the chain's head is {prev[:12]}…, not the expected {expect_head[:12]}…"
            return AuditReport(False, count, prev, None, why)
        return AuditReport(True, count, prev)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.seq, row.at, row.event, row.key_id, row.voice_id, json.loads(row.details), row.prev_hash, row.hash
    )


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
