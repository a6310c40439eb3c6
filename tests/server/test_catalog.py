"""/health, /v1/audio/voices and /v1/models on a machine without flite and on one with it: an engine
that is not installed is reported (with why) rather than breaking anything."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from mynah.config import ModelSettings, Settings
from mynah.server.app import create_app


def test_health_and_voices_report_what_this_machine_has(tmp_path: Path, flite_on_path: bool) -> None:
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True))
    with TestClient(create_app(settings)) as client:
        health = client.get("/health").json()
        voices = client.get("/v1/audio/voices").json()
        models = client.get("/v1/models").json()
    engines = health["engines"]
    assert health["status"] == "ok" and "espeak" in engines["loaded"]["tts"]
    ids = [v["id"] for v in voices["voices"]]
    aliases = {a["alias"]: a["voice"] for a in voices["aliases"]}
    tts_models = [m["id"] for m in models["data"] if m["task"] == "text-to-speech"]
    if flite_on_path:
        assert "flite" in engines["loaded"]["tts"] and "flite" not in engines["unavailable"]
        assert "flite:slt" in ids and aliases["alloy"] == "flite:slt" and "flite" in tts_models
    else:
        assert "flite" not in engines["loaded"]["tts"]
        assert engines["unavailable"]["flite"] == "flite not found; apt-get install flite"
        assert not [i for i in ids if i.startswith("flite:")]
        assert aliases["alloy"] == "espeak:en-us+f3" and "flite" not in tts_models
