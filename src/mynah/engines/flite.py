"""CMU flite text to speech through the system's `flite` binary (Debian/Ubuntu: `apt-get install flite`).

Without a `flite` on PATH (or at `options["binary"]`) the constructor raises `EngineUnavailable` and the
engine is simply absent. Voices are the built-in ones the binary lists with `flite -lv` and that mynah
knows (kal, kal16, slt, awb, rms; the talking-clock voice `awb_time` is left out).

Each `synthesize` is one `flite` run (text through a temporary file, no shell, with a timeout) and one
`AudioChunk`: the speech service hands engines one sentence at a time (`mynah.tts.plan` splits, once),
and flite speaks each utterance on its own, so sentence by sentence sounds the same as one run over the
whole text. Speed is flite's `duration_stretch`. Pitch is not offered:
`f0_shift` moves kal, slt and awb but rms ignores it, and a capability must hold for every voice.
No word timings: flite prints segment durations (`-psdur`) but not which segments make which word.
flite reads English only; text is folded to ASCII (NFKD, accents dropped) before it is spoken.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Field

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.errors import EngineFailed, EngineUnavailable, UnknownVoice
from mynah.types import AudioChunk

__all__ = ["FliteEngine"]

_LIST_TIMEOUT = 10.0
_MIN_SPEED = 0.25
_MAX_SPEED = 4.0


@dataclass(frozen=True)
class _Known:
    language: str
    gender: str
    sample_rate: int
    description: str


# Sample rates measured from the WAV files flite 2.2 writes.
_KNOWN = {
    "kal": _Known("en-US", "male", 8000, "CMU Kal, US English male, diphone (8 kHz)"),
    "kal16": _Known("en-US", "male", 16000, "CMU Kal, US English male, diphone (16 kHz)"),
    "slt": _Known("en-US", "female", 16000, "CMU SLT, US English female"),
    "awb": _Known("en-GB-scotland", "male", 16000, "CMU AWB, Scottish English male"),
    "rms": _Known("en-US", "male", 16000, "CMU RMS, US English male"),
}


class FliteOptions(EngineOptions):
    binary: str | None = None
    """The flite program; default: `flite` on PATH."""
    timeout: float = Field(default=30.0, gt=0)
    """Seconds one run may take (plus a second per 50 characters)."""


class FliteEngine:
    """flite TTS. Options: `binary` (default: `flite` on PATH), `timeout` (seconds per run, 30)."""

    name = "flite"
    capabilities = TtsCapabilities(
        streaming=True, word_timings=False, native_speed=True, native_pitch=False, cloning=False
    )

    def __init__(self, config: EngineConfig) -> None:
        options = config.parse_options(FliteOptions, self.name)
        binary = options.binary or shutil.which("flite")
        if binary is None or not Path(binary).is_file():
            raise EngineUnavailable("flite not found; apt-get install flite")
        self._binary = binary
        self._timeout = options.timeout
        try:
            listed = subprocess.run(
                [binary, "-lv"], capture_output=True, text=True, timeout=_LIST_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineUnavailable(f"flite at {binary} does not run: {exc}") from exc
        names = _parse_voice_list(listed.stdout + listed.stderr)
        self._voices = [
            Voice(
                id=f"{self.name}:{name}",
                engine=self.name,
                name=name,
                language=known.language,
                gender=known.gender,
                sample_rate=known.sample_rate,
                description=known.description,
            )
            for name, known in _KNOWN.items()
            if name in names
        ]
        if not self._voices:
            raise EngineUnavailable(f"flite at {binary} lists none of the voices {sorted(_KNOWN)}")
        self._by_name = {v.name: v for v in self._voices}

    def voices(self) -> list[Voice]:
        return list(self._voices)

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """Speak `text` as one utterance, one chunk. The voice is checked here, before the chunk."""
        voice = self._by_name.get(options.voice.lower())
        if voice is None:
            raise UnknownVoice(f"unknown flite voice {options.voice!r}", param="voice")
        speed = options.speed if 0 < options.speed < float("inf") else 1.0
        stretch = 1.0 / min(max(speed, _MIN_SPEED), _MAX_SPEED)
        return self._chunks(text, voice.name, stretch)

    def _chunks(self, text: str, voice: str, stretch: float) -> Iterator[AudioChunk]:
        piece = _ascii(text).strip()
        if not piece:
            return
        with tempfile.TemporaryDirectory(prefix="mynah-flite-") as tmp:
            text_path = Path(tmp) / "text.txt"
            wav_path = Path(tmp) / "out.wav"
            text_path.write_text(piece + "\n", encoding="ascii")
            command = [
                self._binary,
                "-voice",
                voice,
                "--setf",
                f"duration_stretch={stretch:.4f}",
                "-f",
                str(text_path),
                "-o",
                str(wav_path),
            ]
            self._run(command, len(piece))
            chunk = _read_wav(wav_path)
        yield chunk

    def _run(self, command: list[str], chars: int) -> None:
        timeout = self._timeout + chars / 50
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise EngineFailed(f"flite took longer than {timeout:.0f} s") from exc
        except OSError as exc:
            raise EngineFailed(f"flite could not run: {exc}") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise EngineFailed(f"flite failed with exit status {done.returncode}: {message}")


def _parse_voice_list(output: str) -> set[str]:
    for line in output.splitlines():
        if line.startswith("Voices available:"):
            return set(line.removeprefix("Voices available:").split())
    return set()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii() and (c.isprintable() or c in "\t\n"))


def _read_wav(path: Path) -> AudioChunk:
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                raise EngineFailed(f"flite wrote {8 * wav.getsampwidth()}-bit audio, expected 16-bit")
            rate = wav.getframerate()
            channels = wav.getnchannels()
            frames = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise EngineFailed(f"flite wrote no readable audio: {exc}") from exc
    pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / np.float32(32768.0)
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return AudioChunk(samples=pcm, sample_rate=rate)
