"""A size-bounded, on-disk LRU of synthesised speech, keyed by everything that changes the audio.

    cache = SpeechCache(directory, max_bytes=512 MiB)
    key = speech_key(prepared, fmt=..., rate=..., loudness=..., engine_version=...)
    hit = cache.get(key)                  # CachedSpeech(audio, headers, seconds) or None
    cache.put(key, audio, headers=..., seconds=...)

The key hashes the plan the request resolved to (the text or SSML after normalisation and lexicons:
a lexicon edit that changes what is said changes the plan), the voice, the engine and what it is made
of (its package version and, for model files, their SHA-256s), the format, rate, speed, loudness and
options. Nothing stale can match: a changed input to the audio is a different key.

Entries are files: `<key>.audio` and `<key>.json` beside it, written to a temporary name and renamed,
so processes sharing the directory never read half an entry. A hit touches the entry's time; when
the cache grows past `max_bytes` the least recently used entries go.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mynah import __version__
from mynah.errors import MynahError

if TYPE_CHECKING:
    from mynah.models.manager import ModelManager
    from mynah.tts.service import PreparedSpeech

__all__ = ["CachedSpeech", "SpeechCache", "engine_fingerprint", "speech_key"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedSpeech:
    audio: bytes
    headers: dict[str, str]
    seconds: float


@lru_cache(maxsize=64)
def _engine_packages(engine: str) -> tuple[str, ...]:
    """Installed distributions named after the engine (espeakng-loader, piper-tts, kokoro-onnx, ...)."""
    wanted = engine.lower().replace("_", "").replace("-", "")
    found = set()
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if wanted and wanted in name.replace("_", "").replace("-", ""):
            found.add(f"{name}=={dist.version}")
    return tuple(sorted(found))


@lru_cache(maxsize=64)
def _package_version(module: str) -> str:
    top = module.split(".")[0]
    names = metadata.packages_distributions().get(top, [])
    for name in names:
        try:
            return f"{name}=={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return top


def engine_fingerprint(prepared: PreparedSpeech, models: ModelManager | None) -> dict[str, Any]:
    """What the voices of this request are made of: engine classes, their packages, model files."""
    resolved = prepared.resolved
    engines = [(resolved.engine, resolved.voice), *resolved.alternatives]
    parts: dict[str, Any] = {"mynah": __version__}
    for engine, voice in engines:
        kind = type(engine)
        entry: dict[str, Any] = {
            "class": f"{kind.__module__}.{kind.__qualname__}",
            "version": str(getattr(engine, "version", "")),
        }
        entry["packages"] = [_package_version(kind.__module__), *_engine_packages(engine.name)]
        if models is not None:
            try:
                installed = models.get(voice.id)
            except MynahError:  # not a model-file voice (espeak-ng, flite)
                installed = None
            if installed is not None:
                entry["files"] = sorted(f"{f.name}:{f.sha256}" for f in installed.files)
        parts[voice.id] = entry
    return parts


def speech_key(prepared: PreparedSpeech, *, models: ModelManager | None, **options: Any) -> str:
    """The cache key of a prepared request rendered with `options` (format, rate, loudness, ...)."""
    plan = prepared.plan
    material = {
        "steps": repr(plan.steps),
        "language": plan.language,
        "ssml": plan.ssml,
        "voice": prepared.resolved.voice.id,
        "engine": prepared.resolved.engine.name,
        "rate": prepared.sample_rate,
        "speed": prepared.speed,
        "made_of": engine_fingerprint(prepared, models),
        **{k: options[k] for k in sorted(options)},
    }
    encoded = json.dumps(material, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


class SpeechCache:
    def __init__(self, directory: Path, *, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._sizes: OrderedDict[str, int] = OrderedDict()
        """Entries, least recently used first (on start: by the files' times)."""
        found = []
        for path in directory.glob("*.json"):
            audio = path.with_suffix(".audio")
            try:
                found.append((path.stat().st_mtime, path.stem, audio.stat().st_size + path.stat().st_size))
            except OSError:
                continue
        for _, key, size in sorted(found):
            self._sizes[key] = size
        self._total = sum(self._sizes.values())

    @property
    def size(self) -> int:
        return self._total

    def get(self, key: str) -> CachedSpeech | None:
        meta, audio = self.directory / f"{key}.json", self.directory / f"{key}.audio"
        try:
            info = json.loads(meta.read_text("utf-8"))
            data = audio.read_bytes()
        except (OSError, ValueError):
            return None
        if len(data) != info.get("size"):
            return None  # half written by a process that died: a miss, overwritten on the next put
        with contextlib.suppress(OSError):
            os.utime(meta)
        with self._lock:
            if key in self._sizes:
                self._sizes.move_to_end(key)
        return CachedSpeech(data, dict(info["headers"]), float(info["seconds"]))

    def put(self, key: str, audio: bytes, *, headers: dict[str, str], seconds: float) -> bool:
        """Keep `audio` under `key`, dropping the least recently used entries to stay under
        `max_bytes`; False when one entry would take more than a tenth of the cache."""
        meta_bytes = json.dumps({"size": len(audio), "headers": headers, "seconds": seconds}).encode()
        size = len(audio) + len(meta_bytes)
        if size > self.max_bytes // 10:
            return False
        token = uuid.uuid4().hex
        audio_path, meta_path = self.directory / f"{key}.audio", self.directory / f"{key}.json"
        try:
            tmp_audio = self.directory / f".{key}.{token}.audio"
            tmp_meta = self.directory / f".{key}.{token}.json"
            tmp_audio.write_bytes(audio)
            tmp_meta.write_bytes(meta_bytes)
            os.replace(tmp_audio, audio_path)
            os.replace(tmp_meta, meta_path)
        except OSError:
            log.warning("speech cache: could not write %s", key, exc_info=True)
            return False
        with self._lock:
            self._total += size - self._sizes.get(key, 0)
            self._sizes[key] = size
            self._sizes.move_to_end(key)
            while self._total > self.max_bytes and len(self._sizes) > 1:
                old, old_size = self._sizes.popitem(last=False)
                for suffix in (".json", ".audio"):
                    (self.directory / f"{old}{suffix}").unlink(missing_ok=True)
                self._total -= old_size
        return True
