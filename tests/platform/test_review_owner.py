"""A transcript kept for review from a live OpenAI Realtime session is owned by the key that opened
the session, as a job's is by the key that submitted it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import select

from mynah.audio.decode import decode_audio
from mynah.store.models import ReviewTranscriptRow
from tests.platform.conftest import ServerFactory, bearer, keys_of
from tests.server.test_review_api import MODEL, openai_session


def test_an_openai_realtime_sessions_review_transcripts_are_owned_by_its_key(
    make_server: ServerFactory, data_dir: Path
) -> None:
    samples = decode_audio(data_dir / "speech" / "jfk.flac", 16000)
    pcm = (samples * 32767).astype("<i2").tobytes()
    with make_server() as server:
        made = keys_of(server).create("live captions", scopes=["transcription"])
        asked = {"model": MODEL, "review": True, "format": "raw"}
        events = asyncio.run(
            openai_session(server.url, asked, pcm, duration=len(samples) / 16000, headers=bearer(made.token))
        )
        kept = {e["review"]["transcript_id"] for e in events if e["type"].endswith(".completed")}
        assert kept, events
        with server.runtime.store.session() as session:
            owners = session.scalars(
                select(ReviewTranscriptRow.owner).where(ReviewTranscriptRow.id.in_(kept))
            ).all()
        assert owners == [made.key.id] * len(kept)
        with httpx.Client(base_url=server.url, headers=bearer(made.token)) as client:
            listed = client.get("/v1/mynah/review", params={"status": "all", "limit": 1000})
        assert listed.status_code == 200
        assert {i["transcript_id"] for i in listed.json()["items"]} <= kept
