"""dev.py as a newcomer runs it (issue 19, item 3): commands run in the caller's folder, and `serve`
gets the same engines whether or not `test` ran first."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _repository(root: Path) -> ModuleType:
    """A copy of the repository's dev.py and pyproject.toml whose .venv is this test's Python, with
    mynah recorded as installed (so dev.py installs nothing: this is about where it runs things)."""
    root.mkdir()
    shutil.copy(ROOT / "dev.py", root / "dev.py")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    dev = _load(root / "dev.py")
    dev.BIN.mkdir(parents=True)
    (dev.BIN / "python").symlink_to(sys.executable)
    mynah = dev.BIN / "mynah"
    mynah.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m mynah "$@"\n')
    mynah.chmod(0o755)
    stamp, digest = dev.install_stamp(dev.SERVE_EXTRAS)
    stamp.write_text(digest)
    return dev


def test_mynah_commands_run_in_the_callers_folder(tmp_path: Path) -> None:
    dev = _repository(tmp_path / "repo")
    here = tmp_path / "elsewhere"
    here.mkdir()
    env = {**os.environ, "MYNAH_DATA_DIR": str(tmp_path / "data"), "MYNAH_MODELS__OFFLINE": "true"}
    done = subprocess.run(
        [sys.executable, str(dev.ROOT / "dev.py"), "mynah", "say", "Hello", "-o", "rel.wav"],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (here / "rel.wav").stat().st_size > 1000
    assert not (dev.ROOT / "rel.wav").exists()


def test_serve_installs_the_engines_that_test_installs() -> None:
    dev = _load(ROOT / "dev.py")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert dev.SERVE_EXTRAS == "neural"
    assert "mynah[neural]" in extras["test"]  # test = the same engines + the test tools
    engines = {"piper-tts", "kokoro-onnx", "faster-whisper", "onnxruntime"}
    assert not engines & {r.split(">")[0].split("=")[0].split("[")[0] for r in extras["test"]}
