"""The cloning flow over real HTTP, with the real-weights tier (whisper:base hears the statement,
Piper's en_US-joe-medium speaks it; without the package index every test here skips saying why).

Refusals — wrong words, wrong or missing code, a reused or expired challenge, a short recording, a
reference of a different speaker (real people of ../shared/data) — each name their reason and leave
nothing but their audit entry. A voice made through the whole flow belongs to its key (another key
cannot see it), and the speaker's revocation token revokes it: 404 afterwards, its files gone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from mynah.cloning.audit import AuditLog
from mynah.cloning.consent import CODE_WORDS, ChallengeRow
from mynah.config import ModelSettings
from mynah.store import Store
from tests.platform.conftest import PlatformServer, ServerFactory, bearer, keys_of, make_server
from tests.real.conftest import real_cache
from tests.store.conftest import postgres_url

__all__ = ["make_server", "postgres_url", "real_cache"]

DATA = next(
    (p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir()),
    None,
)
REFERENCE_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It is easy to tell the depth of a well. These days a chicken leg is a rare dish. "
    "Rice is often served in round bowls. The juice of lemons makes fine punch."
)


@pytest.fixture
def server(make_server: ServerFactory, real_cache: Path) -> Iterator[PlatformServer]:
    with make_server(
        engines=["espeak", "piper", "whisper"],
        models=ModelSettings(cache_dir=real_cache, offline=True),
        cloning={"recogniser": "whisper:base"},
    ) as running:
        yield running


def _say(client: httpx.Client, text: str) -> bytes:
    body = {"model": "tts-1", "input": text, "voice": "piper:en_US-joe-medium", "response_format": "wav"}
    response = client.post("/v1/audio/speech", json=body)
    assert response.status_code == 200, response.text
    return response.content


def _challenge(client: httpx.Client) -> dict[str, str]:
    response = client.post(
        "/v1/mynah/voices/consent", json={"speaker_name": "Mary Smith", "organisation": "Acme"}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _create(client: httpx.Client, challenge_id: str, consent: bytes, reference: bytes) -> httpx.Response:
    return client.post(
        "/v1/mynah/voices",
        data={"name": "Ada narrator", "speaker_name": "Mary Smith", "challenge_id": challenge_id},
        files={
            "consent_recording": ("consent.wav", consent, "audio/wav"),
            "reference_recording": ("reference.wav", reference, "audio/wav"),
        },
    )


def _refused(response: httpx.Response, code: str) -> None:
    assert response.status_code in (400, 404), response.text
    assert response.json()["error"]["code"] == code, response.text


def _store(server: PlatformServer) -> Store:
    return server.runtime.store


def test_refusals_name_their_reason_and_keep_nothing_but_the_audit(server: PlatformServer) -> None:
    keys = keys_of(server)
    owner = keys.create("owner", scopes=["voices", "speech"])
    with httpx.Client(base_url=server.url, timeout=300, headers=bearer(owner.token)) as client:
        reference = _say(client, REFERENCE_TEXT)

        challenge = _challenge(client)
        code = challenge["statement"].rsplit("My code is ", 1)[1].rstrip(".")
        other = " ".join(CODE_WORDS[(CODE_WORDS.index(w) + 3) % 10] for w in code.split())
        wrong_code = _say(client, challenge["statement"].replace(code, other))
        _refused(_create(client, challenge["id"], wrong_code, reference), "consent_code_mismatch")
        _refused(_create(client, challenge["id"], wrong_code, reference), "challenge_used")

        challenge = _challenge(client)
        no_code = _say(client, challenge["statement"].split(" My code is")[0])
        _refused(_create(client, challenge["id"], no_code, reference), "consent_code_mismatch")

        challenge = _challenge(client)
        code = challenge["statement"].rsplit("My code is ", 1)[1].rstrip(".")
        wrong_words = _say(
            client, f"I would rather keep my own voice to myself, thank you. My code is {code}."
        )
        _refused(_create(client, challenge["id"], wrong_words, reference), "consent_statement_mismatch")

        challenge = _challenge(client)
        _refused(_create(client, challenge["id"], _say(client, "Yes."), reference), "consent_too_short")

        challenge = _challenge(client)
        with _store(server).session(write=True) as session:
            row = session.get(ChallengeRow, challenge["id"])
            assert row is not None
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        _refused(
            _create(client, challenge["id"], _say(client, challenge["statement"]), reference),
            "challenge_expired",
        )

        if DATA is not None:  # the speaker check: a real person's recording as the reference
            challenge = _challenge(client)
            jfk = (DATA / "speech" / "jfk.flac").read_bytes()
            _refused(
                _create(client, challenge["id"], _say(client, challenge["statement"]), jfk),
                "speaker_mismatch",
            )

        assert client.get("/v1/mynah/voices").json()["data"] == []
    assert not (server.runtime.settings.data_dir / "cloned-voices").exists() or not any(
        (server.runtime.settings.data_dir / "cloned-voices").iterdir()
    )
    log = AuditLog(_store(server))
    refusals = [e.details["reason"] for e in log.entries() if e.event == "consent.refused"]
    assert refusals[:2] == ["consent_code_mismatch", "challenge_used"]
    assert "consent_statement_mismatch" in refusals and "challenge_expired" in refusals
    assert all(e.event in ("consent.issued", "consent.refused") for e in log.entries())
    assert log.verify().ok


def test_a_voice_made_with_consent_is_its_keys_and_revocable_by_the_speaker(server: PlatformServer) -> None:
    _made_owned_and_revoked(server)


def test_the_same_on_postgresql(make_server: ServerFactory, real_cache: Path, postgres_url: str) -> None:
    with make_server(
        engines=["espeak", "piper", "whisper"],
        models=ModelSettings(cache_dir=real_cache, offline=True),
        cloning={"recogniser": "whisper:base"},
        database_url=postgres_url,
    ) as running:
        assert running.runtime.store.dialect == "postgresql"
        _made_owned_and_revoked(running)


def _made_owned_and_revoked(server: PlatformServer) -> None:
    keys = keys_of(server)
    owner = keys.create("owner", scopes=["voices", "speech"])
    stranger = keys.create("stranger", scopes=["voices", "speech"])
    with httpx.Client(base_url=server.url, timeout=300, headers=bearer(owner.token)) as client:
        challenge = _challenge(client)
        created = _create(
            client, challenge["id"], _say(client, challenge["statement"]), _say(client, REFERENCE_TEXT)
        )
        assert created.status_code == 201, created.text
        voice = created.json()
        assert voice["owner"] == owner.key.id and voice["speaker"] == "Mary Smith"
        assert voice["checks"]["speaker_distance"] <= voice["checks"]["speaker_threshold"]
        folder = server.runtime.settings.data_dir / "cloned-voices" / voice["id"]
        assert {p.name for p in folder.iterdir()} == {"consent.wav", "reference.wav", "profile.json"}
        assert [v["id"] for v in client.get("/v1/mynah/voices").json()["data"]] == [voice["id"]]

        other = {"Authorization": f"Bearer {stranger.token}"}
        assert client.get("/v1/mynah/voices", headers=other).json()["data"] == []
        _refused(client.get(f"/v1/mynah/voices/{voice['id']}", headers=other), "unknown_voice")
        _refused(client.post(f"/v1/mynah/voices/{voice['id']}/revoke", headers=other), "unknown_voice")

        wrong = httpx.post(
            f"{server.url}/v1/mynah/consent/revoke",
            json={"voice_id": voice["id"], "token": "mynah_revoke_nope"},
        )
        assert wrong.status_code == 403
        revoked = httpx.post(
            f"{server.url}/v1/mynah/consent/revoke",
            json={"voice_id": voice["id"], "token": voice["revocation_token"]},
        )
        assert revoked.status_code == 200, revoked.text
        _refused(client.get(f"/v1/mynah/voices/{voice['id']}"), "unknown_voice")
        assert client.get("/v1/mynah/voices").json()["data"] == []
        assert not folder.exists()
    log = AuditLog(_store(server))
    events = [e for e in log.entries(voice_id=voice["id"])]
    assert [e.event for e in events] == ["consent.verified", "voice.created", "voice.revoked"]
    again = httpx.delete(f"{server.url}/v1/mynah/voices/{voice['id']}", headers=bearer(owner.token))
    assert again.status_code == 404, "already revoked"
    assert events[-1].details["by"] == "speaker_token" and len(events[-1].details["reference_sha256"]) == 64
    assert events[0].hash == voice["consent_record"]
    assert log.verify().ok
