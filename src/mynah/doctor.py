"""What this machine has, and what to install for each missing piece: the report behind `mynah doctor`.

`diagnose(settings)` looks without changing anything: it discovers the engines as the server would
(without preloading models), reads the model cache, asks the database whether it answers (creating
no file or table), resolves the OpenAI names (alloy, whisper-1, ...) to what would serve them now,
and reads package versions from their metadata. `Report.as_json()` is the `--json` output;
mynah.cli_doctor renders it for people.

    Report
    ├── engines   one EngineReport per engine found: loaded, or why not and the command to install it
    ├── models    cache directory, hub reachability, installed models, partial pulls, OpenAI names
    ├── store     DatabaseCheck: kind, URL (no password), reachable
    ├── paths     where data and caches live
    ├── versions  mynah, Python, FFmpeg, flite and the key libraries
    └── problems  what stops mynah from serving (no engine of a kind, database down, damaged models)
"""

from __future__ import annotations

import dataclasses
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from mynah import __version__
from mynah.config import OPENAI_STT_MODELS, Settings
from mynah.engines.registry import EngineRegistry
from mynah.errors import MynahError
from mynah.models import ModelManager, lookup
from mynah.runtime import discover_engines, open_models
from mynah.store import DatabaseCheck, check_database, database_url
from mynah.stt.service import TranscriptionService
from mynah.tts.service import SpeechService

__all__ = [
    "AliasReport",
    "EngineReport",
    "InstalledReport",
    "ModelsReport",
    "Report",
    "diagnose",
    "install_command",
    "pip_command",
]

# What each engine shipped with mynah needs from Python (import names) and the requirement that
# provides it; flite is a system program instead.
_PYTHON_NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "espeak": (("espeakng_loader",), "espeakng-loader"),
    "pocketsphinx": (("pocketsphinx",), "pocketsphinx"),
    "piper": (("piper", "onnxruntime"), "'mynah[neural]'"),
    "kokoro": (("kokoro_onnx", "onnxruntime"), "'mynah[neural]'"),
    "whisper": (("faster_whisper", "ctranslate2"), "'mynah[neural]'"),
    "pocket": (("torch", "pocket_tts"), "torch==2.13.0 'mynah[cloning]'"),
}
_SYSTEM_NEEDS = {"flite": "flite"}
_SYSTEM_INSTALLERS = (
    ("apt-get", "apt-get install"),
    ("dnf", "dnf install"),
    ("pacman", "pacman -S"),
    ("zypper", "zypper install"),
    ("apk", "apk add"),
)

CORE_PACKAGES = (
    "numpy",
    "av",
    "scipy",
    "espeakng-loader",
    "pocketsphinx",
    "webrtcvad-wheels",
    "sqlalchemy",
    "fastapi",
    "uvicorn",
    "pydantic",
    "typer",
    "httpx",
)
OPTIONAL_PACKAGES = (
    "onnxruntime",
    "onnx",
    "faster-whisper",
    "ctranslate2",
    "piper-tts",
    "kokoro-onnx",
    "huggingface_hub",
    "tokenizers",
    "psycopg",
    "torch",
    "resemblyzer",
    "pyannote.audio",
)


@dataclass(frozen=True)
class EngineReport:
    name: str
    kind: str
    """tts or stt."""
    loaded: bool
    detail: str
    """Loaded: what it offers (voices, models). Not loaded: why."""
    install: str | None = None
    """The command that installs what is missing, when something is."""


@dataclass(frozen=True)
class AliasReport:
    name: str
    kind: str
    serves: str | None
    """The voice or model that would serve the name now; None when nothing can."""
    skipped: tuple[str, ...] = ()
    """Earlier candidates of the chain that cannot serve, as `id: reason`."""
    note: str | None = None
    """E.g. that the model is fetched on first use."""


@dataclass(frozen=True)
class InstalledReport:
    id: str
    size_bytes: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelsReport:
    cache_dir: str
    hub: str | None
    """Why no model can be fetched now (offline, or the hub does not answer); None when it can."""
    installed: tuple[InstalledReport, ...]
    partial: tuple[tuple[str, int], ...]
    """(model id, bytes received) of pulls that stopped before they finished."""
    aliases: tuple[AliasReport, ...]


@dataclass(frozen=True)
class Report:
    version: str
    platform: str
    engines: tuple[EngineReport, ...]
    models: ModelsReport
    store: DatabaseCheck
    paths: dict[str, str]
    versions: dict[str, str | None]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **dataclasses.asdict(self)}


def diagnose(settings: Settings) -> Report:
    models = open_models(settings)
    try:
        registry = discover_engines(settings, models)
        engines = _engines(registry)
        model_report = _models(settings, models, registry)
    finally:
        models.close()
    store = check_database(database_url(settings))
    problems = [
        f"no {kind.upper()} engine is loaded"
        for kind in ("tts", "stt")
        if not any(e.loaded and e.kind == kind for e in engines)
    ]
    if not store.reachable:
        problems.append(f"the database does not answer: {store.detail}")
    problems += [f"{m.id} is damaged: {'; '.join(m.problems)}" for m in model_report.installed if m.problems]
    problems += [
        f"nothing can serve {a.name!r} (the default {a.kind.upper()} name)"
        for a in model_report.aliases
        if a.serves is None and a.name in (settings.tts.default_voice, OPENAI_STT_MODELS[0])
    ]
    return Report(
        version=__version__,
        platform=platform.platform(),
        engines=engines,
        models=model_report,
        store=store,
        paths=_paths(settings, models, store),
        versions=versions(),
        problems=tuple(problems),
    )


# ----------------------------------------------------------------------------------------- engines


def _engines(registry: EngineRegistry) -> tuple[EngineReport, ...]:
    found = [
        EngineReport(name, "tts", True, _count(len(engine.voices()), "voice") or "no voices installed")
        for name, engine in sorted(registry.tts_engines.items())
    ]
    found += [
        EngineReport(name, "stt", True, ", ".join(m.id for m in engine.models()) or "no models installed")
        for name, engine in sorted(registry.stt_engines.items())
    ]
    found += [
        EngineReport(u.name, u.kind, False, u.reason, install_command(u.name)) for u in registry.unavailable
    ]
    return tuple(found)


def install_command(engine: str) -> str | None:
    """The command that installs what `engine` (one shipped with mynah) lacks on this machine, or None
    when nothing it needs is missing (then its reason says what else is wrong)."""
    if engine in _PYTHON_NEEDS:
        modules, requirement = _PYTHON_NEEDS[engine]
        return pip_command(requirement) if any(find_spec(m) is None for m in modules) else None
    if engine in _SYSTEM_NEEDS:
        program = _SYSTEM_NEEDS[engine]
        return _system_install(program) if shutil.which(program) is None else None
    return None


def pip_command(requirement: str) -> str:
    """`pip install REQUIREMENT` when the pip on PATH is this Python's, else this Python's `-m pip`."""
    pip = shutil.which("pip")
    if pip is not None and Path(pip).parent == Path(sys.executable).parent:
        return f"pip install {requirement}"
    return f"{sys.executable} -m pip install {requirement}"


def _system_install(package: str) -> str:
    if sys.platform == "darwin":
        return f"brew install {package}"
    for tool, command in _SYSTEM_INSTALLERS:
        if shutil.which(tool) is not None:
            sudo = "sudo " if _not_root() and shutil.which("sudo") is not None else ""
            return f"{sudo}{command} {package}"
    return f"install {package} from your system's packages"


def _not_root() -> bool:
    return not hasattr(os, "geteuid") or os.geteuid() != 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}" if n else ""


# ----------------------------------------------------------------------------------------- models


def _models(settings: Settings, models: ModelManager, registry: EngineRegistry) -> ModelsReport:
    installed = tuple(InstalledReport(m.id, m.size_bytes, tuple(m.problems)) for m in models.installed())
    return ModelsReport(
        cache_dir=str(models.cache_dir),
        hub=models.offline(),
        installed=installed,
        partial=tuple(models.partial_downloads()),
        aliases=_aliases(settings, models, registry),
    )


def _aliases(settings: Settings, models: ModelManager, registry: EngineRegistry) -> tuple[AliasReport, ...]:
    speech = SpeechService(registry, settings.tts)
    transcription = TranscriptionService(registry, settings.stt)
    names = speech.aliases()
    if settings.tts.default_voice not in names:
        names.insert(0, settings.tts.default_voice)
    found = []
    for name in names:
        try:
            voice = speech.resolve_voice(name)
        except MynahError as exc:
            found.append(AliasReport(name, "tts", None, (exc.message,)))
            continue
        found.append(
            AliasReport(name, "tts", voice.voice.id, voice.skipped, _first_use(models, voice.voice.id))
        )
    for name in OPENAI_STT_MODELS:
        try:
            model = transcription.resolve_model(name)
        except MynahError as exc:
            found.append(AliasReport(name, "stt", None, (exc.message,)))
            continue
        found.append(
            AliasReport(name, "stt", model.model.id, model.skipped, _first_use(models, model.model.id))
        )
    return tuple(found)


def _first_use(models: ModelManager, model_id: str) -> str | None:
    entry = lookup(model_id)
    if entry is None or models.get(model_id) is not None:
        return None
    return f"not downloaded: fetched on first use ({entry.disk_mb} MB)"


# ----------------------------------------------------------------------------------------- places


def _paths(settings: Settings, models: ModelManager, store: DatabaseCheck) -> dict[str, str]:
    """Where data and caches live (the lexicons and the transcript cache are in the database)."""
    return {
        "data": str(settings.data_dir),
        "models": str(models.cache_dir),
        "engines": str(settings.data_dir / "engines"),
        "database": str(settings.data_dir / "mynah.db") if not settings.database_url else store.url,
    }


def versions() -> dict[str, str | None]:
    """mynah, Python, FFmpeg (inside PyAV), flite (when on PATH) and each package (None: not installed)."""
    found: dict[str, str | None] = {
        "mynah": __version__,
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "ffmpeg": _ffmpeg(),
        "flite": _flite(),
    }
    for name in (*CORE_PACKAGES, *OPTIONAL_PACKAGES):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _ffmpeg() -> str | None:
    try:
        import av
    except ImportError:
        return None
    info = getattr(av, "ffmpeg_version_info", None)
    return str(info) if info else None


def _flite() -> str | None:
    binary = shutil.which("flite")
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split()
    found = next((w for w in words if w.startswith("flite-")), None)
    return found.removeprefix("flite-") if found else done.stdout.strip() or None
