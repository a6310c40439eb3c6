"""The review queue: low-confidence words of a transcript collected for a person to check, and their
corrections applied to the stored transcript with who made them.

    ReviewQueue(store).collect(result, threshold, job_id=..., owner=...) -> (transcript id, items)
    ReviewQueue.items(status=..., job_id=..., transcript_id=..., limit=...) -> open or corrected spans
    ReviewQueue.correct(item_id, text, by)                                -> the item, the new text
    ReviewQueue.transcript_for_job(job_id)                                -> the corrected transcript
    queue_transcript(store, threshold, served, owner=...)                 -> what a response carries

Every transcription route (OpenAI, Pulse, WhisperAPI forms, jobs, the native and OpenAI Realtime
sockets' finals) queues this way when asked with `review` (`mynah.server.finishing`,
`mynah.realtime.transcribe`). A job's transcripts go when the job is deleted (`JobStore.delete`).

A span is a run of consecutive words of one segment whose probability is under the threshold
(`MYNAH_STT__LOW_CONFIDENCE`); its audio offsets are the first word's start and the last word's end.
A correction replaces the span's words with one word of the corrected text spanning them (as smart
formatting does), rebuilds the segment's text, and appends {from, to, by, at} to the item's history.
A job's result is read through its corrected transcript once there is one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from mynah.errors import InvalidRequest, NotFound
from mynah.store.db import Store
from mynah.store.models import ReviewItemRow, ReviewTranscriptRow
from mynah.stt.cache import CachedTranscript
from mynah.types import Transcription, Word, join_words

__all__ = ["ReviewQueue", "low_confidence_spans", "queue_transcript"]

MAX_CORRECTION = 1000


def low_confidence_spans(transcription: Transcription, threshold: float) -> list[tuple[int, int, int]]:
    """(segment, first, last) of every run of words under `threshold`."""
    spans = []
    for index, segment in enumerate(transcription.segments):
        i = 0
        while i < len(segment.words):
            if segment.words[i].probability >= threshold:
                i += 1
                continue
            j = i
            while j < len(segment.words) and segment.words[j].probability < threshold:
                j += 1
            spans.append((index, i, j))
            i = j
    return spans


def _item_json(row: ReviewItemRow, job_id: str | None) -> dict[str, Any]:
    history = json.loads(row.history)
    return {
        "id": row.id,
        "transcript_id": row.transcript_id,
        "job_id": job_id,
        "start": round(row.start, 3),
        "end": round(row.end, 3),
        "text": row.text,
        "probability": round(row.probability, 4),
        "status": row.status,
        "corrected_text": history[-1]["to"] if history else None,
        "history": history,
        "created_at": row.created_at.isoformat(),
    }


def queue_transcript(
    store: Store, threshold: float, served: CachedTranscript, *, owner: str | None = None
) -> dict[str, Any]:
    """`served` kept and its spans queued, as a response carries it: `{"transcript_id", "items"}`."""
    transcript_id, items = ReviewQueue(store).collect(served, threshold, owner=owner)
    return {"transcript_id": transcript_id, "items": items}


class ReviewQueue:
    def __init__(self, store: Store) -> None:
        self._store = store

    def collect(
        self,
        cached: CachedTranscript,
        threshold: float,
        *,
        job_id: str | None = None,
        owner: str | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        """Keep `cached` (the transcript as served) and queue its low-confidence spans."""
        now = datetime.now(UTC)
        transcript_id = "rt_" + uuid.uuid4().hex
        rows = []
        for segment, first, last in low_confidence_spans(cached.transcription, threshold):
            words = cached.transcription.segments[segment].words[first:last]
            rows.append(
                ReviewItemRow(
                    id="rv_" + uuid.uuid4().hex,
                    transcript_id=transcript_id,
                    segment=segment,
                    first=first,
                    last=last,
                    start=words[0].start,
                    end=words[-1].end,
                    text=join_words(words),
                    probability=min(w.probability for w in words),
                    status="open",
                    history="[]",
                    created_at=now,
                )
            )
        with self._store.session(write=True) as session:
            session.add(
                ReviewTranscriptRow(
                    id=transcript_id,
                    job_id=job_id,
                    owner=owner,
                    transcript=json.dumps(cached.to_json(), ensure_ascii=False),
                    created_at=now,
                    updated_at=now,
                )
            )
            session.add_all(rows)
        return transcript_id, [_item_json(r, job_id) for r in rows]

    def items(
        self,
        *,
        status: str | None = "open",
        job_id: str | None = None,
        transcript_id: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        if status not in (None, "open", "corrected"):
            raise InvalidRequest("status must be open or corrected", param="status")
        if not 1 <= limit <= 1000:
            raise InvalidRequest("limit must be 1 to 1000", param="limit")
        query = select(ReviewItemRow, ReviewTranscriptRow.job_id).join(
            ReviewTranscriptRow, ReviewTranscriptRow.id == ReviewItemRow.transcript_id
        )
        if status is not None:
            query = query.where(ReviewItemRow.status == status)
        if job_id is not None:
            query = query.where(ReviewTranscriptRow.job_id == job_id)
        if transcript_id is not None:
            query = query.where(ReviewItemRow.transcript_id == transcript_id)
        query = query.order_by(ReviewItemRow.created_at, ReviewItemRow.start).limit(limit)
        with self._store.session() as session:
            return [_item_json(row, job) for row, job in session.execute(query).all()]

    def correct(self, item_id: str, text: str, by: str) -> dict[str, Any]:
        """Apply a correction to the stored transcript; the item, and the transcript's new text."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_CORRECTION:
            raise InvalidRequest(f"text must be 1 to {MAX_CORRECTION} characters", param="text")
        with self._store.session(write=True) as session:
            item = session.get(ReviewItemRow, item_id)
            if item is None:
                raise NotFound(f"no review item {item_id!r}; GET /v1/mynah/review lists them", param="id")
            stored = session.get(ReviewTranscriptRow, item.transcript_id)
            assert stored is not None
            cached = CachedTranscript.from_json(json.loads(stored.transcript))
            history = json.loads(item.history)
            before = history[-1]["to"] if history else item.text
            cached = replace(cached, transcription=_replace_span(cached.transcription, item, text))
            now = datetime.now(UTC)
            history.append({"from": before, "to": text, "by": by, "at": now.isoformat()})
            item.history = json.dumps(history, ensure_ascii=False)
            item.status = "corrected"
            shift = item.last - item.first - 1
            if shift:  # later spans of the segment move left by the words this one lost
                later = session.scalars(
                    select(ReviewItemRow).where(
                        ReviewItemRow.transcript_id == item.transcript_id,
                        ReviewItemRow.segment == item.segment,
                        ReviewItemRow.first >= item.last,
                    )
                )
                for other in later:
                    other.first -= shift
                    other.last -= shift
            item.last = item.first + 1
            stored.transcript = json.dumps(cached.to_json(), ensure_ascii=False)
            stored.updated_at = now
            body = _item_json(item, stored.job_id)
        body["transcript_text"] = cached.transcription.text
        return body

    def transcript_for_job(self, job_id: str) -> CachedTranscript | None:
        with self._store.session() as session:
            row = session.scalars(
                select(ReviewTranscriptRow).where(ReviewTranscriptRow.job_id == job_id)
            ).first()
            return CachedTranscript.from_json(json.loads(row.transcript)) if row is not None else None


def _replace_span(transcription: Transcription, item: ReviewItemRow, text: str) -> Transcription:
    segments = list(transcription.segments)
    segment = segments[item.segment]
    words = list(segment.words)
    covered = words[item.first : item.last]
    word = Word(
        text,
        covered[0].start,
        covered[-1].end,
        1.0,  # a person checked it
        speaker=covered[0].speaker,
        joins_previous=covered[0].joins_previous,
    )
    words[item.first : item.last] = [word]
    segments[item.segment] = replace(segment, words=tuple(words), text=join_words(words))
    return replace(transcription, segments=tuple(segments))
