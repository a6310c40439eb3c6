"""A voice made through the whole consent flow speaks through the tiny Pocket TTS model (the real
pocket-tts loader and streaming on a model of the real architecture, built by
tests/fixtures/tiny_pocket.py): over /v1/audio/speech in mp3, opus, wav and flac and as an SSE
stream, and over /v1/mynah/speech, each carrying the disclosure header and tags naming the voice and its consent record, every
synthesis audited with the audio's hash. Another key cannot see or use it; once revoked it is 404."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest

from mynah.cloning.audit import AuditLog
from mynah.config import ModelSettings
from mynah.models import ModelManager
from tests.platform.conftest import PlatformServer, ServerFactory, bearer, keys_of, make_server
from tests.real.conftest import copy_cache, real_cache

__all__ = ["make_server", "real_cache"]

pytest.importorskip("torch", reason="Pocket TTS needs torch: pip install torch==2.13.0")
pytest.importorskip("pocket_tts", reason="Pocket TTS is not installed: pip install 'mynah[cloning]'")

REFERENCE_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish. "
    "Rice is often served in round bowls. The juice of lemons makes fine punch."
)


@pytest.fixture
def server(make_server: ServerFactory, real_cache: Path, tmp_path: Path) -> Iterator[PlatformServer]:
    from tests.fixtures.tiny_pocket import build_tiny_pocket

    cache = copy_cache(real_cache, tmp_path / "models")
    ModelManager(cache_dir=cache).pull("pocket:tiny", source_dir=build_tiny_pocket(tmp_path / "tiny-pocket"))
    with make_server(
        engines=["espeak", "piper", "whisper", "pocket"],
        models=ModelSettings(cache_dir=cache, offline=True),
        cloning={"recogniser": "whisper:base"},
        engine_options={"pocket": {"model": "pocket:tiny"}},
    ) as running:
        yield running


def _say(
    client: httpx.Client, text: str, voice: str = "piper:en_US-joe-medium", fmt: str = "wav"
) -> httpx.Response:
    body = {"model": "tts-1", "input": text, "voice": voice, "response_format": fmt}
    return client.post("/v1/audio/speech", json=body)


def _tags(data: bytes) -> dict[str, str]:
    with av.open(io.BytesIO(data)) as container:
        found = dict(container.metadata)
        found.update(container.streams.audio[0].metadata)
        frames = sum(f.samples for f in container.decode(audio=0))
    assert frames > 0
    return found


def test_a_consented_voice_speaks_with_disclosure_only_for_its_key(server: PlatformServer) -> None:
    keys = keys_of(server)
    owner = keys.create("owner", scopes=["voices", "speech"])
    stranger = keys.create("stranger", scopes=["voices", "speech"])
    with httpx.Client(base_url=server.url, timeout=300, headers=bearer(owner.token)) as client:
        challenge = client.post(
            "/v1/mynah/voices/consent", json={"speaker_name": "Ada Lovelace", "organisation": "Acme"}
        ).json()
        consent = _say(client, challenge["statement"]).content
        reference = _say(client, REFERENCE_TEXT).content
        created = client.post(
            "/v1/mynah/voices",
            data={"name": "Ada narrator", "speaker_name": "Ada Lovelace", "challenge_id": challenge["id"]},
            files={"consent_recording": ("c.wav", consent), "reference_recording": ("r.wav", reference)},
        )
        assert created.status_code == 201, created.text
        voice = created.json()
        voice_id = f"pocket:{voice['id']}"
        listed = client.get("/v1/audio/voices").json()["voices"]
        assert [v["id"] for v in listed if v.get("cloned")] == [voice_id]

        hashes = []
        for fmt in ("mp3", "opus", "wav", "flac"):
            spoken = _say(client, "Hello from a cloned voice.", voice=voice_id, fmt=fmt)
            assert spoken.status_code == 200, spoken.text
            assert spoken.headers["x-mynah-cloned-voice"] == voice["id"]
            assert spoken.headers["x-mynah-consent-record"] == voice["consent_record"]
            tags = _tags(spoken.content)
            assert voice["id"] in tags["comment"] and voice["consent_record"] in tags["comment"], (fmt, tags)
            hashes.append(hashlib.sha256(spoken.content).hexdigest())

        body = {"model": "tts-1", "input": "A stream.", "voice": voice_id, "response_format": "mp3"}
        events = client.post("/v1/audio/speech", json={**body, "stream_format": "sse"})
        assert events.status_code == 200 and events.headers["x-mynah-cloned-voice"] == voice["id"]
        deltas = [json.loads(line[6:]) for line in events.text.splitlines() if line.startswith("data: ")]
        audio = b"".join(base64.b64decode(e["audio"]) for e in deltas if e["type"] == "speech.audio.delta")
        assert voice["consent_record"] in _tags(audio)["comment"]

        other = bearer(stranger.token)
        assert all(
            not v.get("cloned") for v in client.get("/v1/audio/voices", headers=other).json()["voices"]
        )
        refused = client.post("/v1/audio/speech", json=body, headers=other)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "unknown_voice"

        native = client.post(
            "/v1/mynah/speech", json={"input": "Timed.", "voice": voice_id, "response_format": "flac"}
        )
        assert native.status_code == 200, native.text
        assert native.headers["x-mynah-cloned-voice"] == voice["id"]
        assert voice["consent_record"] in _tags(base64.b64decode(native.json()["audio"]))["comment"]

        admin = keys.create("admin", scopes=["admin"])
        shared = client.post(
            f"/v1/mynah/voices/{voice['id']}/share",
            json={"key_id": stranger.key.id},
            headers=bearer(admin.token),
        )
        assert shared.status_code == 200, shared.text
        assert (
            client.post(f"/v1/mynah/voices/{voice['id']}/share", json={"key_id": stranger.key.id}).status_code
            == 403
        )
        assert [
            v["id"] for v in client.get("/v1/audio/voices", headers=other).json()["voices"] if v.get("cloned")
        ] == [voice_id]
        assert client.post("/v1/audio/speech", json=body, headers=other).status_code == 200

        assert client.post(f"/v1/mynah/voices/{voice['id']}/revoke").status_code == 200
        gone = client.post("/v1/audio/speech", json=body)
        assert gone.status_code == 404, gone.text
        assert not (server.runtime.settings.data_dir / "cloned-voices" / voice["id"]).exists()

    log = AuditLog(server.runtime.store)
    syntheses = [e for e in log.entries(voice_id=voice["id"]) if e.event == "voice.synthesis"]
    assert [e.details["audio_sha256"] for e in syntheses[:4]] == hashes
    assert [e.key_id for e in syntheses] == [owner.key.id] * 6 + [stranger.key.id]
    assert all(e.details["chars"] > 0 and e.details["complete"] for e in syntheses)
    assert len(syntheses) == 7, (
        "four files, a stream, a timed one, one by the key it was shared with; no refusal"
    )
    events = [e.event for e in log.entries(voice_id=voice["id"])]
    assert "voice.shared" in events and events[-1] == "voice.revoked"
    assert log.verify().ok
