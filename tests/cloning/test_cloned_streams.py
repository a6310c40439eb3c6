"""A consented voice (the whole flow, the tiny Pocket TTS model) beyond the OpenAI and native HTTP
routes: the live speech socket, the Waves routes (file, SSE, socket) and `mynah say`. Each carries the
disclosure (headers; on sockets, the `ready` event or every message; the audio's own tags) and writes
one `voice.synthesis` audit entry per use whose hash is of the audio the client got; another key gets
404 (close code 4404 on a socket), and so does everyone once the voice is revoked."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from mynah.cloning.audit import AuditLog
from tests.cloning.flow import create_voice, tags
from tests.platform.conftest import PlatformServer, bearer, keys_of
from tests.support import run_mynah


def _socket(server: PlatformServer, path: str, token: str) -> ClientConnection:
    url = server.url.replace("http://", "ws://") + path
    return connect(url, additional_headers=bearer(token), open_timeout=60)


def _native(server: PlatformServer, token: str, voice: str, text: str) -> tuple[dict[str, Any], bytes]:
    """One utterance over /v1/mynah/speech/stream in mp3: the `ready` event and the audio."""
    with _socket(server, "/v1/mynah/speech/stream", token) as ws:
        ws.send(json.dumps({"voice": voice, "format": "mp3"}))
        ready = json.loads(ws.recv(timeout=120))
        if ready["type"] != "ready":
            return ready, b""
        ws.send(json.dumps({"text": text}))
        ws.send(json.dumps({"text": ""}))
        audio = b""
        while True:
            message = ws.recv(timeout=120)
            if isinstance(message, bytes):
                audio += message
                continue
            event = json.loads(message)
            assert event["type"] in ("done", "sentence", "word"), event
            if event["type"] == "done":
                return ready, audio


def _waves_socket(server: PlatformServer, token: str, voice: str, text: str) -> list[dict[str, Any]]:
    """One request over the Lightning-style socket: its messages up to `complete` or `error`."""
    with _socket(server, "/waves/v1/tts/stream", token) as ws:
        ws.send(json.dumps({"voice_id": voice, "text": text, "output_format": "mp3", "continue": False}))
        messages = []
        while True:
            messages.append(json.loads(ws.recv(timeout=120)))
            if messages[-1]["status"] in ("complete", "error"):
                return messages


def _refused_socket(server: PlatformServer, token: str, voice: str) -> tuple[str, int]:
    """The error code and close code the native socket answers a voice it may not speak with."""
    with _socket(server, "/v1/mynah/speech/stream", token) as ws:
        ws.send(json.dumps({"voice": voice, "format": "pcm"}))
        event = json.loads(ws.recv(timeout=120))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=60)
    assert closed.value.rcvd is not None
    return event["error"]["code"], closed.value.rcvd.code


def _waves(client: httpx.Client, voice: str, path: str, fmt: str, **headers: str) -> httpx.Response:
    body = {"text": "Waves in a cloned voice.", "voice_id": voice, "output_format": fmt}
    return client.post(path, json=body, headers=headers)


def _say_cli(server: PlatformServer, cache: Path, voice: str, out: Path) -> Any:
    settings = server.runtime.settings
    return run_mynah(
        "say",
        "Said on this machine.",
        "--voice",
        voice,
        "-o",
        str(out),
        cwd=out.parent,
        MYNAH_DATA_DIR=str(settings.data_dir),
        MYNAH_MODELS__CACHE_DIR=str(cache),
        MYNAH_ENGINES='["espeak", "pocket"]',
        MYNAH_ENGINE_OPTIONS='{"pocket": {"model": "pocket:tiny"}}',
    )


def _disclosed(audio: bytes, voice: dict[str, Any]) -> None:
    found = tags(audio)  # wav keeps only the title and comment (RIFF INFO), which name both
    assert voice["id"] in found["comment"] and voice["consent_record"] in found["comment"], found


def test_sockets_waves_and_the_cli_check_disclose_and_audit(
    pocket_server: PlatformServer, pocket_cache: Path, tmp_path: Path
) -> None:
    server = pocket_server
    keys = keys_of(server)
    owner = keys.create("owner", scopes=["voices", "speech"])
    stranger = keys.create("stranger", scopes=["voices", "speech"])
    other = bearer(stranger.token)
    with httpx.Client(base_url=server.url, timeout=300, headers=bearer(owner.token)) as client:
        voice = create_voice(client)
        voice_id = f"pocket:{voice['id']}"
        sent: list[tuple[str, bytes]] = []  # (the owner, the bytes it got) per use, in order

        text = "A live stream in a cloned voice."
        ready, audio = _native(server, owner.token, voice_id, text)
        assert ready["cloned_voice"] == voice["id"] and ready["consent_record"] == voice["consent_record"]
        _disclosed(audio, voice)
        sent.append((owner.key.id, audio))

        spoken = _waves(client, voice_id, "/waves/v1/tts", "wav")
        assert spoken.status_code == 200, spoken.text
        assert spoken.headers["x-mynah-cloned-voice"] == voice["id"]
        assert spoken.headers["x-mynah-consent-record"] == voice["consent_record"]
        _disclosed(spoken.content, voice)
        sent.append((owner.key.id, spoken.content))

        events = _waves(client, voice_id, "/waves/v1/tts/stream", "mp3")
        assert events.status_code == 200 and events.headers["x-mynah-cloned-voice"] == voice["id"]
        datas = [json.loads(line[6:]) for line in events.text.splitlines() if line.startswith("data: ")]
        _disclosed(b"".join(base64.b64decode(d["audio"]) for d in datas if "audio" in d), voice)
        assert datas[-1] == {"done": True}
        sent.append((owner.key.id, events.content))

        messages = _waves_socket(server, owner.token, voice_id, "The Waves socket, cloned.")
        assert messages[-1]["status"] == "complete", messages[-1]
        assert all(m["cloned_voice"] == voice["id"] for m in messages), messages
        assert all(m["consent_record"] == voice["consent_record"] for m in messages)
        audio = b"".join(base64.b64decode(m["data"]["audio"]) for m in messages if m["status"] == "chunk")
        _disclosed(audio, voice)
        sent.append((owner.key.id, audio))

        out = tmp_path / "said.mp3"
        said = _say_cli(server, pocket_cache, voice_id, out)
        assert said.returncode == 0, said.stderr
        assert voice["consent_record"] in said.stderr  # the CLI says so too
        _disclosed(out.read_bytes(), voice)
        sent.append(("local", out.read_bytes()))

        # another key: the voice does not exist for it, on every route
        assert _refused_socket(server, stranger.token, voice_id) == ("unknown_voice", 4404)
        for path in ("/waves/v1/tts", "/waves/v1/tts/stream"):
            refused = _waves(client, voice_id, path, "wav", **other)
            assert refused.status_code == 404, (path, refused.text)
        refused_messages = _waves_socket(server, stranger.token, voice_id, "Not mine.")
        assert refused_messages[-1]["status"] == "error" and refused_messages[-1]["code"] == "unknown_voice"

        log = AuditLog(server.runtime.store)
        syntheses = [e for e in log.entries(voice_id=voice["id"]) if e.event == "voice.synthesis"]
        assert [(e.key_id, e.details["audio_sha256"]) for e in syntheses] == [
            (key, hashlib.sha256(data).hexdigest()) for key, data in sent
        ], "one entry per use, by whom, with the hash of what it was sent; none for the refusals"
        assert syntheses[0].details["chars"] == len(text)
        assert all(e.details["complete"] for e in syntheses)

        assert client.post(f"/v1/mynah/voices/{voice['id']}/revoke").status_code == 200
        assert _refused_socket(server, owner.token, voice_id) == ("unknown_voice", 4404)
        for path in ("/waves/v1/tts", "/waves/v1/tts/stream"):
            assert _waves(client, voice_id, path, "wav").status_code == 404, path
        assert _waves_socket(server, owner.token, voice_id, "Gone.")[-1]["code"] == "unknown_voice"
        gone = _say_cli(server, pocket_cache, voice_id, tmp_path / "gone.mp3")
        assert gone.returncode != 0 and "no cloned voice" in gone.stderr, gone.stderr
        assert not (tmp_path / "gone.mp3").exists()
    assert log.verify().ok
