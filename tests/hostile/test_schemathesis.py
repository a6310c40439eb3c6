"""The OpenAPI document against the real server: schemathesis with every check, bounded in examples
and time. Its configuration (what a schema cannot say) is `schemathesis.toml` beside this file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.server import API_KEY, Server

CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_schemathesis_finds_no_failures(server: Server, tmp_path: Path) -> None:
    binary = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [
            binary,
            "--config-file",
            str(CONFIG),
            "run",
            server.url + "/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "10",
            "--phases",
            "examples,coverage,fuzzing",
            "--header",
            f"Authorization: Bearer {API_KEY}",
            "--request-timeout",
            "300",  # a loaded CI machine (the rest of the suite beside it) makes some answers slow
            "--seed",
            "9",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,  # its run cache (.schemathesis/) stays out of the repository
    )
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-2_000:]
