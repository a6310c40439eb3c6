"""Kokoro-82M neural text to speech (`kokoro-onnx`), through the model manager.

Model
    One Kokoro model serves every voice: the engine option `model` names it (`v1.0`, `v1.0-fp16`,
    `v1.0-int8`, or any `kokoro:<name>` installed from a local directory); without it the first
    installed one of those, in that order, or `v1.0` to fetch on first use. A model directory holds a
    `.onnx` file and a voices file (kokoro-onnx's .npz of [510, 1, 256] style tables, `voices*.bin` or
    `voices*.npz`).

Voices
    `kokoro:<voice>` for each voice of the model (54 in v1.0: `af_bella`, `bm_george`, `jf_alpha`...;
    the first letter is the language, a/b American/British English, e Spanish, f French, h Hindi,
    i Italian, j Japanese, p Brazilian Portuguese, z Mandarin; the second the gender). Voices mix:
    `kokoro:af_bella(2)+af_sky(1)` speaks with the weighted mean of the two style tables (weights
    default to 1); the language is the first voice's.

Loading, speed, phonemes
    As Piper (see `mynah.engines.piper`): a lease on the model in `synthesize`, loaded on first use,
    `EngineUnavailable` when the files cannot load. Speed is Kokoro's own, from 0.5x to 2x
    (`capabilities.speed_range`): the speech service asks for at most that and time-stretches the rest
    itself, as for every engine; a speed outside it given here directly is clamped to it. IPA input
    (`SynthesisOptions.ipa`) goes to Kokoro as phonemes.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.errors import EngineFailed, EngineUnavailable, NotSupported, UnknownVoice
from mynah.models import InstalledModel
from mynah.models.catalog import KOKORO_VOICES
from mynah.types import AudioChunk

__all__ = ["KokoroEngine", "parse_mix"]

_PREFERRED = ("v1.0", "v1.0-fp16", "v1.0-int8")
_SAMPLE_RATE = 24000
_MIN_SPEED, _MAX_SPEED = 0.5, 2.0
_PART = re.compile(r"^\s*(?P<name>[A-Za-z0-9_]+)\s*(?:\(\s*(?P<weight>[0-9]*\.?[0-9]+)\s*\))?\s*$")
# first letter of a voice name: (BCP-47 language, espeak language for the phonemizer)
_LANGUAGES = {
    "a": ("en-US", "en-us"),
    "b": ("en-GB", "en-gb"),
    "e": ("es", "es"),
    "f": ("fr", "fr-fr"),
    "h": ("hi", "hi"),
    "i": ("it", "it"),
    "j": ("ja", "ja"),
    "p": ("pt-BR", "pt-br"),
    "z": ("zh", "cmn"),
}
_GENDERS = {"f": "female", "m": "male"}


def parse_mix(name: str) -> list[tuple[str, float]]:
    """`af_bella(2)+af_sky(1)` -> [("af_bella", 2.0), ("af_sky", 1.0)]; raises UnknownVoice."""
    parts = []
    for piece in name.split("+"):
        match = _PART.match(piece)
        if match is None:
            raise UnknownVoice(
                f"cannot read Kokoro voice {name!r}: use a voice name, or a mix like af_bella(2)+af_sky(1)",
                param="voice",
            )
        weight = float(match.group("weight") or 1.0)
        if not weight > 0:
            raise UnknownVoice(f"voice weights must be positive in {name!r}", param="voice")
        parts.append((match.group("name"), weight))
    return parts


def _canonical(parts: list[tuple[str, float]]) -> str:
    if len(parts) == 1:
        return parts[0][0]
    return "+".join(f"{voice}({weight:g})" for voice, weight in parts)


class KokoroOptions(EngineOptions):
    model: str | None = None
    """Which installed Kokoro model serves (`v1.0`, `v1.0-fp16`, `v1.0-int8`); default: the best one."""


class KokoroEngine:
    """Kokoro TTS. Options: `model` (which installed Kokoro model serves, default: the best one)."""

    name = "kokoro"
    capabilities = TtsCapabilities(
        streaming=True,
        word_timings=False,
        native_speed=True,
        speed_range=(_MIN_SPEED, _MAX_SPEED),
        native_pitch=False,
        phonemes=True,
        cloning=False,
    )

    def __init__(self, config: EngineConfig) -> None:
        missing = [m for m in ("kokoro_onnx", "onnxruntime") if find_spec(m) is None]
        if missing:
            raise EngineUnavailable(f"Kokoro needs {', '.join(missing)}: pip install 'mynah[neural]'")
        self._models = config.model_manager()
        options = config.parse_options(KokoroOptions, self.name)
        self._preferred = (options.model or "").strip().removeprefix("kokoro:") or None
        self._voice_files: dict[Path, tuple[int, tuple[str, ...]]] = {}

    # ------------------------------------------------------------------------------------ voices

    def model_id(self) -> str:
        """The Kokoro model that serves now."""
        if self._preferred:
            return f"kokoro:{self._preferred}"
        usable = {
            m.name
            for m in self._models.installed(self.name)
            if not m.problems and self._models.availability(m.id) is None
        }
        for name in (*_PREFERRED, *sorted(usable)):
            if name in usable:
                return f"kokoro:{name}"
        return f"kokoro:{_PREFERRED[0]}"

    def voices(self) -> list[Voice]:
        model_id = self.model_id()
        installed = self._models.get(model_id)
        if installed is None or installed.problems or self._models.availability(model_id) is not None:
            return []
        return [self._voice([(name, 1.0)]) for name in self._voice_names(installed)]

    def resolve_voice(self, name: str) -> Voice:
        parts = parse_mix(name)
        model_id = self.model_id()
        if (missing := self._models.not_downloaded(model_id, param="voice")) is not None:
            raise missing
        reason = self._models.availability(model_id)
        if reason is not None:
            raise UnknownVoice(f"{model_id} {reason}", param="voice")
        installed = self._models.get(model_id)
        known = self._voice_names(installed) if installed is not None else KOKORO_VOICES
        unknown = [voice for voice, _ in parts if voice not in known]
        if unknown:
            raise UnknownVoice(
                f"{model_id} has no voice {', '.join(unknown)}; it has {', '.join(known[:8])}, ...",
                param="voice",
            )
        return self._voice(parts)

    def preload(self, name: str = "") -> None:
        with self._models.lease(self.model_id(), _load, pin=True):
            pass

    def _voice(self, parts: list[tuple[str, float]]) -> Voice:
        first = parts[0][0]
        language = _LANGUAGES.get(first[:1], ("en-US", "en-us"))[0]
        genders = {_GENDERS.get(voice[1:2]) for voice, _ in parts}
        name = _canonical(parts)
        return Voice(
            id=f"{self.name}:{name}",
            engine=self.name,
            name=name,
            language=language,
            gender=genders.pop() if len(genders) == 1 else None,
            sample_rate=_SAMPLE_RATE,
            description="Kokoro-82M" + (" voice mix" if len(parts) > 1 else ""),
        )

    def _voice_names(self, model: InstalledModel) -> tuple[str, ...]:
        path = _voices_file(model.path)
        if path is None:
            return ()
        try:
            stamp = path.stat().st_mtime_ns
            cached = self._voice_files.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            with np.load(path) as archive:
                names = tuple(sorted(archive.files))
        except (OSError, ValueError):
            return ()
        self._voice_files[path] = (stamp, names)
        return names

    # ------------------------------------------------------------------------------------ synthesis

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        parts = parse_mix(options.voice)
        if not options.speed > 0:
            raise NotSupported(f"speed must be positive, got {options.speed}", param="speed")
        return self._chunks(self.model_id(), parts, text, options.speed, options.ipa)

    def _chunks(
        self, model_id: str, parts: list[tuple[str, float]], text: str, speed: float, ipa: bool
    ) -> Iterator[AudioChunk]:
        phonemizer_language = _LANGUAGES.get(parts[0][0][:1], ("en-US", "en-us"))[1]
        with self._models.lease(model_id, _load) as kokoro:
            missing = [voice for voice, _ in parts if voice not in kokoro.voices]
            if missing:
                raise UnknownVoice(f"{model_id} has no voice {', '.join(missing)}", param="voice")
            total = sum(weight for _, weight in parts)
            style = sum(
                np.asarray(kokoro.voices[voice], dtype=np.float32) * (weight / total)
                for voice, weight in parts
            )
            native = min(max(speed, _MIN_SPEED), _MAX_SPEED)
            try:
                audio, rate = kokoro.create(
                    text, voice=style, speed=native, lang=phonemizer_language, is_phonemes=ipa
                )
            except ValueError as exc:
                if "produced no phonemes" in str(exc) or "No phonemes" in str(exc):
                    return  # punctuation only: nothing to say
                raise EngineFailed(f"kokoro failed: {exc}") from exc
            samples = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
            yield AudioChunk(samples=samples, sample_rate=int(rate))


def _voices_file(path: Path) -> Path | None:
    found = sorted(p for p in path.iterdir() if p.name.startswith("voices") and p.suffix in (".bin", ".npz"))
    return found[0] if found else None


def _load(path: Path) -> Any:
    from kokoro_onnx import Kokoro

    models = sorted(path.rglob("*.onnx"))
    voices = _voices_file(path)
    if len(models) != 1 or voices is None:
        raise EngineUnavailable(f"expected one .onnx model and a voices file in {path}")
    kokoro = Kokoro(str(models[0]), str(voices))
    if not hasattr(kokoro.voices, "files"):  # kokoro-onnx wants an .npz of style tables by voice name
        raise EngineUnavailable(f"{voices.name} is not a voices archive (.npz of style tables)")
    return kokoro


# ------------------------------------------------------------------------------- model layout


class KokoroLayout:
    """A Kokoro model: an .onnx file and its voices, either kokoro-onnx's one voices file
    (voices*.npz / voices*.bin) or the hub's per-voice style tables (voices/<name>.bin, raw float32
    [510, 1, 256]), which `finish` packs into the voices.npz kokoro-onnx reads
    (mynah.models.layout.ModelLayout)."""

    def select(self, name: str, files: Sequence[str]) -> list[str]:
        return [f for f in files if f.endswith((".onnx", ".bin", ".npz"))]

    def problem(self, files: Sequence[str]) -> str | None:
        names = [f.rsplit("/", 1)[-1] for f in files]
        if not any(n.endswith(".onnx") for n in names):
            return "no .onnx model file"
        packed = any(n.startswith("voices") and n.endswith((".bin", ".npz")) for n in names)
        if not packed and not any(f.startswith("voices/") and f.endswith(".bin") for f in files):
            return "no voices (a voices*.bin / voices*.npz file, or voices/*.bin style tables)"
        return None

    def finish(self, staging: Path) -> None:
        raw = sorted((staging / "voices").glob("*.bin"))
        if not raw:
            return
        tables = {p.stem: np.fromfile(p, dtype="<f4").reshape(-1, 1, 256) for p in raw}
        with (staging / "voices.npz").open("wb") as sink:
            np.savez(sink, **tables)  # type: ignore[arg-type]
        shutil.rmtree(staging / "voices")


LAYOUT = KokoroLayout()
"""Declared under the `mynah.model_layouts` entry points (pyproject.toml)."""
