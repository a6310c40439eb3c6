"""A voice made through the whole consent flow speaks through the tiny Pocket TTS model (the real
pocket-tts loader and streaming on a model of the real architecture, built by
tests/fixtures/tiny_pocket.py): over /v1/audio/speech in mp3, opus, wav and flac and as an SSE
stream, and over /v1/mynah/speech, each carrying the disclosure header and tags naming the voice and its consent record, every
synthesis audited with the audio's hash. Another key cannot see or use it; once revoked it is 404."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx

from mynah.cloning.audit import AuditLog
from tests.cloning.flow import create_voice, say, tags
from tests.platform.conftest import PlatformServer, bearer, keys_of


def test_a_consented_voice_speaks_with_disclosure_only_for_its_key(pocket_server: PlatformServer) -> None:
    server = pocket_server
    keys = keys_of(server)
    owner = keys.create("owner", scopes=["voices", "speech"])
    stranger = keys.create("stranger", scopes=["voices", "speech"])
    with httpx.Client(base_url=server.url, timeout=300, headers=bearer(owner.token)) as client:
        voice = create_voice(client)
        voice_id = f"pocket:{voice['id']}"
        listed = client.get("/v1/audio/voices").json()["voices"]
        assert [v["id"] for v in listed if v.get("cloned")] == [voice_id]

        hashes = []
        for fmt in ("mp3", "opus", "wav", "flac"):
            spoken = say(client, "Hello from a cloned voice.", voice=voice_id, fmt=fmt)
            assert spoken.status_code == 200, spoken.text
            assert spoken.headers["x-mynah-cloned-voice"] == voice["id"]
            assert spoken.headers["x-mynah-consent-record"] == voice["consent_record"]
            found = tags(spoken.content)
            assert voice["id"] in found["comment"] and voice["consent_record"] in found["comment"], (
                fmt,
                found,
            )
            hashes.append(hashlib.sha256(spoken.content).hexdigest())

        body = {"model": "tts-1", "input": "A stream.", "voice": voice_id, "response_format": "mp3"}
        events = client.post("/v1/audio/speech", json={**body, "stream_format": "sse"})
        assert events.status_code == 200 and events.headers["x-mynah-cloned-voice"] == voice["id"]
        deltas = [json.loads(line[6:]) for line in events.text.splitlines() if line.startswith("data: ")]
        audio = b"".join(base64.b64decode(e["audio"]) for e in deltas if e["type"] == "speech.audio.delta")
        assert voice["consent_record"] in tags(audio)["comment"]

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
        assert voice["consent_record"] in tags(base64.b64decode(native.json()["audio"]))["comment"]

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
