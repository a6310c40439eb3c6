"""The canary: a baseline per voice, no drift when nothing changed, drift flagged when a voice's output
changed (here: the voice behind an alias was swapped, as an engine upgrade would change it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mynah.config import CanarySettings, PlatformSettings, TtsSettings
from mynah.platform.canary import run_canary, word_error_rate
from mynah.runtime import Runtime
from tests.platform.conftest import platform_settings
from tests.support import run_mynah


def _runtime(data: Path, voice: str) -> Runtime:
    settings = platform_settings(
        data,
        tts=TtsSettings(voice_aliases={"ivr": [voice]}),
        platform=PlatformSettings(canary=CanarySettings(voices=["ivr"], recogniser="pocketsphinx:en-us")),
    )
    return Runtime.start(settings)


def test_the_canary_flags_a_voice_whose_output_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with _runtime(data, "espeak:en-us") as runtime:
        first = run_canary(runtime)
        (check,) = first.voices
        assert check.status == "new"
        assert check.duration > 5 and -40 < check.loudness < 0
        assert check.wer is not None and 0 <= check.wer <= 1 and check.recogniser == "pocketsphinx:en-us"
        assert any("espeak" in p for p in check.made_of["espeak:en-us"]["packages"][1:])
        again = run_canary(runtime)
        assert [c.status for c in again.voices] == ["ok"], again.voices[0].reasons
    stored = json.loads((data / "canary" / "baseline.json").read_text())
    assert stored["ivr"]["duration"] == check.duration

    with _runtime(data, "espeak:de") as runtime:  # the "same" voice after an upgrade that broke it
        changed = run_canary(runtime)
    (check,) = changed.voices
    assert check.status == "drift"
    assert check.reasons, "says what moved"
    assert changed.drifted == [check]


def test_the_cli_canary_exits_1_on_drift(tmp_path: Path) -> None:
    first = run_mynah("canary", "--voice", "espeak:en-us", "--json", cwd=tmp_path, MYNAH_ENGINES='["espeak"]')
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["voices"][0]["status"] == "new"
    same = run_mynah("canary", "--voice", "espeak:en-us", cwd=tmp_path, MYNAH_ENGINES='["espeak"]')
    assert same.returncode == 0, same.stdout + same.stderr
    baseline = tmp_path / "data" / "canary" / "baseline.json"
    stored = json.loads(baseline.read_text())
    stored["espeak:en-us"]["duration"] *= 2
    baseline.write_text(json.dumps(stored))
    drift = run_mynah("canary", "--voice", "espeak:en-us", "--json", cwd=tmp_path, MYNAH_ENGINES='["espeak"]')
    assert drift.returncode == 1
    assert json.loads(drift.stdout)["voices"][0]["status"] == "drift"


@pytest.mark.parametrize(
    ("reference", "hypothesis", "wer"),
    [("a b c d", "a b c d", 0.0), ("a b c d", "a x c", 0.5), ("the cat", "", 1.0), ("", "", 0.0)],
)
def test_word_error_rate(reference: str, hypothesis: str, wer: float) -> None:
    assert word_error_rate(reference, hypothesis) == pytest.approx(wer)


def test_the_server_runs_the_canary_when_enabled(tmp_path: Path) -> None:
    import time

    import httpx

    from tests.platform.conftest import bearer, serve_app

    canary = CanarySettings(enabled=True, voices=["espeak:en-us"], recogniser="no-such-engine:model")
    settings = platform_settings(tmp_path / "data", platform=PlatformSettings(canary=canary))
    with serve_app(settings) as server, httpx.Client(base_url=server.url) as client:
        admin = server.platform.keys.create("ops", scopes=["admin"])
        client.headers.update(bearer(admin.token))
        deadline = time.monotonic() + 120
        answer = client.get("/v1/mynah/canary")
        while answer.status_code == 404 and time.monotonic() < deadline:  # the first run is under way
            time.sleep(0.2)
            answer = client.get("/v1/mynah/canary")
        assert answer.status_code == 200, answer.text
        (voice,) = answer.json()["voices"]
        assert voice["voice"] == "espeak:en-us" and voice["status"] == "new" and voice["wer"] is None
        assert 'mynah_canary_drift{voice="espeak:en-us"} 0.0' in client.get("/metrics").text
