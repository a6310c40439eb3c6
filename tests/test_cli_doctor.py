"""`mynah doctor`, run as a user runs it (a subprocess), on a machine with flite hidden and with it
visible: what it finds, the install commands it gives, 80 columns, JSON, and its exit code."""

from __future__ import annotations

import json
import platform
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.fake_hub import FakeHub
from tests.fixtures.tiny_voices import make_piper_voice
from tests.support import run_mynah

pytestmark = pytest.mark.usefixtures("flite_on_path")


def doctor_json(cwd: Path, *args: str, **env: str) -> dict[str, Any]:
    result = run_mynah(*args, "doctor", "--json", cwd=cwd, **env)
    assert result.returncode in (0, 1), result.stderr
    body: dict[str, Any] = json.loads(result.stdout)
    assert body["ok"] == (result.returncode == 0)
    return body


def test_json_says_what_this_machine_has(tmp_path: Path, flite_on_path: bool) -> None:
    result = run_mynah("doctor", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    body = json.loads(result.stdout)
    assert body["ok"] and body["problems"] == []

    engines = {(e["name"], e["kind"]): e for e in body["engines"]}
    assert engines[("espeak", "tts")]["loaded"] and engines[("pocketsphinx", "stt")]["loaded"]
    assert engines[("pocketsphinx", "stt")]["detail"] == "pocketsphinx:en-us"
    flite = engines[("flite", "tts")]
    if flite_on_path:
        assert flite["loaded"] and flite["install"] is None
        assert body["versions"]["flite"]
    else:
        assert not flite["loaded"] and flite["detail"].startswith("flite not found")
        assert flite["install"].endswith("install flite")
        assert body["versions"]["flite"] is None

    aliases = {a["name"]: a for a in body["models"]["aliases"]}
    assert aliases["alloy"]["serves"] == ("flite:slt" if flite_on_path else "espeak:en-us+f3")
    assert aliases["alloy"]["skipped"] == [  # the neural engines are loaded, with nothing installed
        "kokoro: no voice installed (`mynah models pull kokoro:v1.0` adds one)",
        "piper: no voice installed (`mynah models pull piper:en_US-lessac-medium` adds one)",
    ]
    assert {aliases[n]["serves"] for n in ("whisper-1", "gpt-4o-transcribe")} == {"pocketsphinx:en-us"}

    data = tmp_path / "data"
    assert body["models"]["cache_dir"] == str(data / "models")
    assert body["models"]["installed"] == [] and body["models"]["partial"] == []
    assert "offline" in body["models"]["hub"]
    assert body["store"]["kind"] == "sqlite" and body["store"]["reachable"]
    assert body["paths"] == {
        "data": str(data),
        "models": str(data / "models"),
        "engines": str(data / "engines"),
        "database": str(data / "mynah.db"),
    }
    assert not (data / "mynah.db").exists()  # looking creates nothing

    versions = body["versions"]
    assert versions["mynah"] == body["version"]
    assert versions["python"].startswith(platform.python_version())
    assert versions["numpy"] == version("numpy") and versions["av"] == version("av")
    assert versions["ffmpeg"]


def test_text_fits_80_columns_and_cuts_no_id(tmp_path: Path, flite_on_path: bool) -> None:
    make_piper_voice(tmp_path / "voice", "en_US-tiny-medium")
    pulled = run_mynah(
        "models", "pull", "piper:en_US-tiny-medium", "--from", str(tmp_path / "voice"), cwd=tmp_path
    )
    assert pulled.returncode == 0, pulled.stderr
    body = doctor_json(tmp_path)
    text = run_mynah("doctor", cwd=tmp_path)
    assert text.returncode == 0, text.stdout + text.stderr
    lines = text.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, text.stdout

    (model,) = body["models"]["installed"]
    assert model["id"] == "piper:en_US-tiny-medium" and model["size_bytes"] > 0
    ids = [model["id"], *(e["name"] for e in body["engines"])]
    ids += [a["name"] for a in body["models"]["aliases"]] + [a["serves"] for a in body["models"]["aliases"]]
    ids += [skipped.split(": ", 1)[0] for a in body["models"]["aliases"] for skipped in a["skipped"]]
    for id_ in ids:
        assert any(id_ in line for line in lines), f"{id_} is not whole on any line:\n{text.stdout}"
    commands = [e["install"] for e in body["engines"] if e["install"]]
    assert bool(commands) == (not flite_on_path)
    for command in commands:
        assert any(f"install: {command}" in line for line in lines)
    assert lines[-1].endswith("mynah can speak and transcribe here.")


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub({}).running() as running:
        yield running


def test_a_reachable_hub_and_libraries_quiet_unless_verbose(
    tmp_path: Path, hub: FakeHub, flite_on_path: bool
) -> None:
    online = {"MYNAH_MODELS__OFFLINE": "false", "HF_ENDPOINT": hub.url}
    quiet = run_mynah("doctor", "--json", cwd=tmp_path, **online)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # httpx logs every request at INFO: not without -v
    assert ("HEAD", "/", None) in hub.requests
    body = json.loads(quiet.stdout)
    assert body["models"]["hub"] is None
    alloy = next(a for a in body["models"]["aliases"] if a["name"] == "alloy")
    # OpenAI's names mean what is installed: a reachable hub fetches nothing behind the user's back
    # (flite, where it is installed, ranks before espeak-ng: mynah.aliases)
    assert alloy["serves"] == ("flite:slt" if flite_on_path else "espeak:en-us+f3") and alloy["note"] is None

    verbose = run_mynah("-v", "doctor", "--json", cwd=tmp_path, **online)
    assert verbose.returncode == 0, verbose.stderr
    assert f"INFO httpx: HTTP Request: HEAD {hub.url}/" in verbose.stderr
    assert json.loads(verbose.stdout)["models"]["hub"] is None


def test_a_database_that_does_not_answer_is_a_problem(tmp_path: Path) -> None:
    url = "postgresql://mynah:s3cret@127.0.0.1:9/mynah"  # the discard port: nothing listens
    result = run_mynah("doctor", "--json", cwd=tmp_path, MYNAH_DATABASE_URL=url)
    assert result.returncode == 1, result.stdout + result.stderr
    body = json.loads(result.stdout)
    assert not body["ok"] and not body["store"]["reachable"]
    assert body["store"]["kind"] == "postgresql" and body["store"]["detail"].startswith("cannot connect")
    assert body["paths"]["database"] == body["store"]["url"]
    assert [p for p in body["problems"] if p.startswith("the database does not answer")]
    assert "s3cret" not in result.stdout

    text = run_mynah("doctor", cwd=tmp_path, MYNAH_DATABASE_URL=url)
    assert text.returncode == 1
    assert "s3cret" not in text.stdout
    assert "the database does not answer: cannot connect" in " ".join(text.stdout.split())


def test_a_pull_cut_short_shows_as_partial(tmp_path: Path) -> None:
    folder, voice = "en/en_US/lessac/medium", "en_US-lessac-medium"
    onnx = bytes(range(256)) * 4096  # 1 MiB
    files = {f"{folder}/{voice}.onnx": onnx, f"{folder}/{voice}.onnx.json": b'{"num_speakers": 1}'}
    with FakeHub({"rhasspy/piper-voices": files}).running() as hub:
        hub.cut[f"{folder}/{voice}.onnx"] = 300_000
        online = {
            "MYNAH_MODELS__OFFLINE": "false",
            "HF_ENDPOINT": hub.url,
            "MYNAH_MODELS__DOWNLOAD_RETRIES": "0",
        }
        pulled = run_mynah("models", "pull", f"piper:{voice}", cwd=tmp_path, **online)
        assert pulled.returncode == 1, pulled.stdout + pulled.stderr
        body = doctor_json(tmp_path, **online)
        text = run_mynah("doctor", cwd=tmp_path, **online)
    ((model_id, received),) = body["models"]["partial"]
    assert model_id == f"piper:{voice}" and 0 < received < len(onnx)
    assert body["models"]["installed"] == []
    line = next(line for line in text.stdout.splitlines() if model_id in line)
    assert line.rstrip().endswith("partial: pull again to resume")
