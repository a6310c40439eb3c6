"""The transcription cache: results keyed by a hash of the audio bytes, the model and the options.

A repeat of the same audio with the same options answers from here at once. Entries are small JSON
documents (a Transcription), written after a transcription finishes and never updated; `prune` keeps
the table to a bounded number of the most recent entries.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from mynah.store.db import Store
from mynah.store.models import TranscriptRow


class TranscriptCacheStore:
    """`mynah.stt.service.TranscriptCache` on the database."""

    def __init__(self, store: Store, *, max_entries: int = 10_000) -> None:
        self._store = store
        self._max_entries = max_entries

    def get(self, key: str) -> dict[str, Any] | None:
        with self._store.session() as session:
            row = session.get(TranscriptRow, key)
            if row is None:
                return None
            value: dict[str, Any] = json.loads(row.result)
            return value

    def put(self, key: str, model: str, value: dict[str, Any]) -> None:
        row = TranscriptRow(key=key, model=model, result=json.dumps(value), created_at=datetime.now(UTC))
        try:
            with self._store.session(write=True) as session:
                session.add(row)
        except IntegrityError:  # the same audio finished twice at once: the first one stays
            return
        self.prune()

    def prune(self) -> None:
        with self._store.session(write=True) as session:
            count = session.scalar(select(func.count()).select_from(TranscriptRow)) or 0
            if count <= self._max_entries:
                return
            cutoff = session.scalars(
                select(TranscriptRow.created_at)
                .order_by(TranscriptRow.created_at.desc())
                .offset(self._max_entries)
            ).first()
            if cutoff is not None:
                session.execute(delete(TranscriptRow).where(TranscriptRow.created_at <= cutoff))
