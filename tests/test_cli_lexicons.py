"""`mynah lexicons add | list | show | rm`, run as a user runs them: subprocesses sharing a data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("flite_on_path")  # each test runs with flite hidden, and visible

MYNAH = [sys.executable, "-m", "mynah"]

PLS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<lexicon version="1.0" alphabet="x-sampa" xml:lang="en-GB"'
    ' xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">\n'
    '  <lexeme><grapheme>tomato</grapheme><phoneme>t@"mA:t@U</phoneme></lexeme>\n'
    "</lexicon>\n"
)


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYNAH_DATA_DIR": str(cwd / "data")}
    env.pop("MYNAH_DATABASE_URL", None)
    result = subprocess.run([*MYNAH, *args], cwd=cwd, env=env, input=stdin, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )


def test_add_list_show_rm(tmp_path: Path) -> None:
    (tmp_path / "british.pls").write_text(PLS, encoding="utf-8")
    added = run("lexicons", "add", "british", "british.pls", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "british" in added.stdout and "1 entries" in added.stdout
    assert (tmp_path / "data" / "mynah.db").is_file()

    listed = run("lexicons", "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert (row["name"], row["format"], row["language"], row["entry_count"]) == ("british", "pls", "en-GB", 1)
    table = run("lexicons", "list", cwd=tmp_path)
    assert table.returncode == 0 and "british" in table.stdout

    shown = run("lexicons", "show", "british", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["entries"] == [{"graphemes": ["tomato"], "ipa": "təˈmɑːtəʊ"}]
    raw = run("lexicons", "show", "british", "--raw", cwd=tmp_path)
    assert raw.stdout == PLS

    removed = run("lexicons", "rm", "british", cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(run("lexicons", "list", "--json", cwd=tmp_path).stdout) == []


def test_add_json_from_stdin_and_replace(tmp_path: Path) -> None:
    first = run("lexicons", "add", "tech", "-", cwd=tmp_path, stdin=b'{"SQL": "sequel"}')
    assert first.returncode == 0, first.stderr
    second = run(
        "lexicons", "add", "tech", "-", "--format", "json", cwd=tmp_path, stdin=b'{"k8s": "kubernetes"}'
    )
    assert second.returncode == 0, second.stderr
    shown = json.loads(run("lexicons", "show", "tech", cwd=tmp_path).stdout)
    assert shown["entries"] == [{"graphemes": ["k8s"], "alias": "kubernetes"}]


def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    (tmp_path / "bad.pls").write_text('<lexicon version="1.0">\n<lexeme>\n</lexicon>', encoding="utf-8")
    cases = [
        (("lexicons", "add", "bad", "bad.pls"), ["line 3", "column"]),
        (("lexicons", "add", "x", "missing.pls"), ["no such file", "missing.pls"]),
        (("lexicons", "add", "bad name", "bad.pls"), ["name"]),
        (("lexicons", "add", "x", "bad.pls", "--format", "yaml"), ["--format", "yaml"]),
        (("lexicons", "show", "nope"), ["nope"]),
        (("lexicons", "rm", "nope"), ["nope"]),
    ]
    for args, words in cases:
        result = run(*args, cwd=tmp_path)
        assert result.returncode != 0, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mynah: error: "), result.stderr
        for word in words:
            assert word in lines[0], (args, lines[0])
    assert json.loads(run("lexicons", "list", "--json", cwd=tmp_path).stdout) == []
