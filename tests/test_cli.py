"""The `mynah` command, run as a user runs it: a subprocess of the installed console script.

Every test here runs twice (the `flite_on_path` fixture): on a machine whose PATH has no flite, and on
one where it has (skipped where flite is not installed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import decoded_seconds
from tests.support import run_mynah as run

pytestmark = pytest.mark.usefixtures("flite_on_path")


@pytest.mark.parametrize(
    ("name", "seconds_at_least"), [("hello.mp3", 0.8), ("hello.flac", 0.8), ("hello.ulaw", 0.8)]
)
def test_say_writes_the_format_named_by_the_extension(
    tmp_path: Path, name: str, seconds_at_least: float
) -> None:
    result = run("say", "Hello from the command line.", "-o", name, "--voice", "espeak:en-us", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / name).read_bytes()
    if name.endswith(".ulaw"):
        assert len(data) / 8000 > seconds_at_least  # raw 8 kHz G.711: one byte a sample
    else:
        assert decoded_seconds(data) > seconds_at_least


def test_say_from_file_with_speed_and_rate(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("Reading this from a file. Two sentences.", encoding="utf-8")
    slow = run(
        "say", "-f", "in.txt", "-o", "slow.wav", "--speed", "0.5", "--sample-rate", "16000", cwd=tmp_path
    )
    fast = run(
        "say", "-f", "in.txt", "-o", "fast.wav", "--speed", "2", "--sample-rate", "16000", cwd=tmp_path
    )
    assert slow.returncode == 0 and fast.returncode == 0, slow.stderr + fast.stderr
    assert decoded_seconds((tmp_path / "slow.wav").read_bytes()) > 2 * decoded_seconds(
        (tmp_path / "fast.wav").read_bytes()
    )


def test_transcribe_prints_text_and_json(tmp_path: Path, speech_dir: Path) -> None:
    text = run("transcribe", str(speech_dir / "goforward.wav"), cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "forward" in text.stdout.lower()
    js = run("transcribe", str(speech_dir / "goforward.wav"), "--format", "verbose_json", cwd=tmp_path)
    body = json.loads(js.stdout)
    assert body["words"] and body["segments"]


def test_voices_lists_espeak(tmp_path: Path) -> None:
    result = run("voices", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert any(v["id"] == "espeak:en-us" for v in json.loads(result.stdout))


@pytest.mark.parametrize(
    "args",
    [
        ("say", "", "-o", "x.wav"),
        ("say", "hi", "-o", "x.docx"),
        ("say", "hi", "-o", "x.wav", "--voice", "nobody"),
        ("say", "hi", "-o", "x.wav", "--speed", "0"),
        ("say", "hi", "-o", "x.wav", "--sample-rate", "12345"),
        ("say", "-f", "missing.txt", "-o", "x.wav"),
        ("transcribe", "missing.wav"),
        ("transcribe", "notes.txt"),
        ("transcribe", "notes.txt", "--format", "pdf"),
    ],
)
def test_errors_are_one_clear_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "notes.txt").write_text("not audio at all\n", encoding="utf-8")
    result = run(*args, cwd=tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mynah: error:")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.wav").exists()


def test_normalize_prints_the_spoken_form_and_the_span_map(tmp_path: Path) -> None:
    plain = run("normalize", "Dr. Smith paid $1.5M.", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip() == "doctor Smith paid one point five million dollars."
    js = run("normalize", "It's $5 😀", "--json", cwd=tmp_path)
    body = json.loads(js.stdout)
    money = next(t for t in body["tokens"] if t["category"] == "money")
    assert money["source"] == "$5" and money["spoken"] == "five dollars"
    assert body["unspoken"][0]["text"] == "😀"
    limited = run("normalize", "$5 on 2024-03-15", "--category", "date", cwd=tmp_path)
    assert "$5" in limited.stdout and "march" in limited.stdout


def test_voices_names_missing_engines_on_stderr_only(tmp_path: Path, flite_on_path: bool) -> None:
    listed = run("voices", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ids = [v["id"] for v in json.loads(listed.stdout)]  # stdout stays valid JSON either way
    table = run("voices", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    only_espeak = run("voices", "--engine", "espeak", cwd=tmp_path)
    assert only_espeak.returncode == 0 and only_espeak.stderr == "", only_espeak.stderr
    if flite_on_path:
        assert "flite:slt" in ids
        assert listed.stderr == "" and table.stderr == ""
        return
    assert not any(i.startswith("flite:") for i in ids)
    for result in (listed, table):
        (line,) = result.stderr.splitlines()
        assert line == "not available here: flite (`mynah doctor` says why and what to install)"
    only_flite = run("voices", "--engine", "flite", "--json", cwd=tmp_path)
    assert json.loads(only_flite.stdout) == [] and "flite" in only_flite.stderr


def test_verbose_turns_on_info_then_debug_logging(tmp_path: Path) -> None:
    # An engine option nobody knows keeps kokoro from starting: the registry logs that at INFO.
    env = {"MYNAH_ENGINE_OPTIONS": '{"kokoro": {"no_such_option": 1}}'}
    quiet = run("voices", "--json", cwd=tmp_path, **env)
    assert quiet.returncode == 0, quiet.stderr
    assert "INFO" not in quiet.stderr and "kokoro options" not in quiet.stderr
    assert "kokoro" in quiet.stderr.splitlines()[-1]  # the one line saying what is not available

    verbose = run("-v", "voices", "--json", cwd=tmp_path, **env)
    assert "INFO mynah.engines.registry: tts engine 'kokoro' not available: kokoro options" in verbose.stderr
    assert "DEBUG" not in verbose.stderr
    json.loads(verbose.stdout)

    debug = run("-vv", "voices", "--json", cwd=tmp_path, **env)
    assert "DEBUG mynah.store.db: database" in debug.stderr
    lines = debug.stderr.splitlines()
    # the command closes what it started, once it has printed everything
    assert lines.index("DEBUG mynah.runtime: runtime closed") > max(
        i for i, line in enumerate(lines) if "mynah doctor" in line
    )
