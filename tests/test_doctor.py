"""mynah.doctor in-process: the install command it gives for each missing piece, and what it reports
about models installed, pulls left partial and damaged files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from mynah.config import ModelSettings, Settings
from mynah.doctor import diagnose, install_command, pip_command
from tests.fixtures.neural import PIPER, install_tiny


def test_install_commands_only_for_what_is_missing(flite_on_path: bool) -> None:
    if flite_on_path:
        assert install_command("flite") is None
    else:
        command = install_command("flite")
        assert command is not None and command.endswith("install flite")
        if sys.platform == "linux" and shutil.which("apt-get"):
            assert command in ("apt-get install flite", "sudo apt-get install flite")
    for engine in ("espeak", "pocketsphinx", "piper", "kokoro", "whisper"):
        assert install_command(engine) is None  # all installed with the test extras
    assert install_command("somebody-elses-engine") is None


def test_pip_commands_name_this_python_unless_its_pip_is_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert pip_command("'mynah[neural]'") == f"{sys.executable} -m pip install 'mynah[neural]'"
    here = Path(sys.executable).parent
    if (here / "pip").exists():  # a virtualenv's bin directory
        monkeypatch.setenv("PATH", str(here))
        assert pip_command("'mynah[neural]'") == "pip install 'mynah[neural]'"


def test_installed_and_damaged_models(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, models=ModelSettings(offline=True))
    from mynah.runtime import open_models

    models = open_models(settings)
    install_tiny(models, PIPER)
    report = diagnose(settings)
    (model,) = report.models.installed
    assert model.id == PIPER and model.size_bytes > 0 and model.problems == ()
    piper = next(e for e in report.engines if e.name == "piper")
    assert piper.loaded and piper.detail == "1 voice"
    assert report.ok

    onnx = next(models.model_dir(PIPER).glob("*.onnx"))
    onnx.write_bytes(onnx.read_bytes()[:100])  # truncated, as a crash mid-copy would leave it
    damaged = diagnose(settings)
    assert damaged.models.installed[0].problems
    assert not damaged.ok and damaged.problems[0].startswith(f"{PIPER} is damaged")
