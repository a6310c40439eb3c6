"""The canary: fixed prompts spoken by each configured voice, measured and compared with a stored
baseline, so a model or engine upgrade that changes what a voice sounds like is noticed.

    report = run_canary(runtime)                   # measure every voice, compare with the baseline
    report = run_canary(runtime, update=True)      # measure and store as the new baseline

For each voice: the total duration of the prompts, their integrated loudness, their mean spectral
centroid (the timbre), and, where a recogniser is installed, the word error rate of transcribing them
back. A voice drifts when its duration moves by more than `max_duration_drift` (relative), its
loudness by more than `max_loudness_drift` LU, its centroid by more than `max_timbre_drift`
(relative), or its WER by more than `max_wer_drift`. A voice with no baseline yet gets one. The baseline is a JSON
file in the data directory (`canary/baseline.json`), with what each voice was made of at the time.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.audio.loudness import measure_lufs
from mynah.config import CanarySettings
from mynah.errors import MynahError
from mynah.platform.cache import engine_fingerprint

if TYPE_CHECKING:
    from mynah.runtime import Runtime

__all__ = ["PROMPTS", "CanaryReport", "VoiceCheck", "run_canary", "word_error_rate"]

log = logging.getLogger(__name__)

PROMPTS = (
    "The quick brown fox jumps over the lazy dog.",
    "Please call Stella and ask her to bring these things with her from the store.",
    "A cold wind was blowing over the hills on that grey winter morning.",
)


@dataclass
class VoiceCheck:
    voice: str
    """The voice id that spoke (an alias resolves to the first voice of its chain here)."""
    duration: float
    loudness: float
    centroid: float = 0.0
    """Mean spectral centroid of the voiced frames, Hz: moves when the voice's timbre does."""
    wer: float | None = None
    recogniser: str | None = None
    made_of: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"
    """ok, drift, new (no baseline yet: stored now) or error."""
    reasons: list[str] = field(default_factory=list)


@dataclass
class CanaryReport:
    at: str
    voices: list[VoiceCheck]

    @property
    def drifted(self) -> list[VoiceCheck]:
        return [v for v in self.voices if v.status in ("drift", "error")]

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at, "voices": [asdict(v) for v in self.voices], "drifted": len(self.drifted)}


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance over the reference's length, on lower-case words."""
    ref, hyp = _words(reference), _words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, other in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1] / len(ref)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def canary_voices(runtime: Runtime, settings: CanarySettings) -> list[str]:
    """The voices to check: as configured, else every alias that resolves here (each voice once)."""
    if settings.voices:
        return list(settings.voices)
    seen: dict[str, str] = {}
    for alias in runtime.settings.tts.voice_aliases:
        try:
            voice = runtime.speech.resolve_voice(alias).voice.id
        except MynahError:
            continue
        seen.setdefault(voice, voice)
    return sorted(seen)


def measure_voice(runtime: Runtime, voice: str, recogniser: str | None) -> VoiceCheck:
    pieces: list[np.ndarray] = []
    rate = 0
    made_of: dict[str, Any] = {}
    for prompt in PROMPTS:
        prepared = runtime.speech.prepare(prompt, voice=voice)
        rate = prepared.sample_rate
        made_of = engine_fingerprint(prepared, runtime.models)
        pieces.extend(chunk.samples for chunk in runtime.speech.stream(prepared))
    samples = np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)
    check = VoiceCheck(
        voice=voice,
        duration=round(len(samples) / rate, 3) if rate else 0.0,
        loudness=round(measure_lufs(samples, rate), 2) if rate else float("-inf"),
        centroid=round(spectral_centroid(samples, rate), 1) if rate else 0.0,
        made_of=made_of,
    )
    try:
        prepared_stt = runtime.transcription.prepare(recogniser)
    except MynahError as exc:
        log.info("canary: no recogniser for the round trip (%s)", exc.message)
        return check
    heard: list[str] = []
    for prompt in PROMPTS:
        prepared = runtime.speech.prepare(prompt, voice=voice)
        audio = np.concatenate([c.samples for c in runtime.speech.stream(prepared)]).astype(np.float32)
        wav = encode_audio(audio, prepared.sample_rate, AudioFormat.wav)
        result = runtime.transcription.transcribe(wav, prepared_stt)
        heard.append(result.transcription.text)
        check.recogniser = result.model
    check.wer = round(word_error_rate(" ".join(PROMPTS), " ".join(heard)), 4)
    return check


def spectral_centroid(samples: np.ndarray, rate: int, frame: int = 2048) -> float:
    """The energy-weighted mean spectral centroid (Hz) of the frames within 30 dB of the loudest."""
    count = len(samples) // frame
    if count == 0:
        return 0.0
    frames = samples[: count * frame].reshape(count, frame).astype(np.float64) * np.hanning(frame)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    energy = power.sum(axis=1)
    voiced = energy > energy.max() * 1e-3
    if not np.any(voiced):
        return 0.0
    freqs = np.fft.rfftfreq(frame, 1.0 / rate)
    centroids = (power[voiced] * freqs).sum(axis=1) / energy[voiced]
    return float(np.average(centroids, weights=energy[voiced]))


def baseline_path(runtime: Runtime) -> Path:
    return runtime.settings.data_dir / "canary" / "baseline.json"


def run_canary(runtime: Runtime, *, update: bool = False, voices: list[str] | None = None) -> CanaryReport:
    settings = runtime.settings.platform.canary
    path = baseline_path(runtime)
    try:
        baseline: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        baseline = {}
    checks: list[VoiceCheck] = []
    for voice in voices or canary_voices(runtime, settings):
        try:
            check = measure_voice(runtime, voice, settings.recogniser)
        except MynahError as exc:
            checks.append(VoiceCheck(voice, 0.0, float("-inf"), status="error", reasons=[exc.message]))
            continue
        before = baseline.get(voice)
        if before is None or update:
            check.status = "new" if before is None else "ok"
            baseline[voice] = {k: v for k, v in asdict(check).items() if k not in ("status", "reasons")}
        else:
            check.reasons = _drift(check, before, settings)
            check.status = "drift" if check.reasons else "ok"
        checks.append(check)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(baseline, indent=2, default=str), "utf-8")
    tmp.replace(path)
    report = CanaryReport(datetime.now(UTC).isoformat(timespec="seconds"), checks)
    for check in report.drifted:
        log.warning("canary: voice %s %s: %s", check.voice, check.status, "; ".join(check.reasons))
    return report


def _drift(check: VoiceCheck, before: dict[str, Any], settings: CanarySettings) -> list[str]:
    reasons = []
    old = float(before.get("duration") or 0.0)
    if old > 0 and abs(check.duration - old) / old > settings.max_duration_drift:
        reasons.append(f"duration {old:.2f} s -> {check.duration:.2f} s")
    old_lufs = float(before.get("loudness") or "-inf")
    comparable = np.isfinite(old_lufs) and np.isfinite(check.loudness)
    if comparable and abs(check.loudness - old_lufs) > settings.max_loudness_drift:
        reasons.append(f"loudness {old_lufs:.1f} -> {check.loudness:.1f} LUFS")
    old_centroid = float(before.get("centroid") or 0.0)
    if old_centroid > 0 and abs(check.centroid - old_centroid) / old_centroid > settings.max_timbre_drift:
        reasons.append(f"spectral centroid {old_centroid:.0f} Hz -> {check.centroid:.0f} Hz")
    old_wer = before.get("wer")
    if (
        isinstance(old_wer, int | float)
        and check.wer is not None
        and check.wer - old_wer > settings.max_wer_drift
    ):
        reasons.append(f"round-trip WER {old_wer:.0%} -> {check.wer:.0%} ({check.recogniser})")
    if before.get("made_of") and before.get("made_of") != check.made_of and reasons:
        reasons.append("the voice's engine or model changed since the baseline")
    return reasons


class CanaryTask:
    """Runs the canary every `interval_minutes` in a background thread of the server."""

    def __init__(self, runtime: Runtime, on_report: Any = None) -> None:
        self.runtime = runtime
        self.on_report = on_report
        self.last: CanaryReport | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mynah-canary", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        interval = self.runtime.settings.platform.canary.interval_minutes * 60
        while not self._stop.is_set():
            try:
                self.last = run_canary(self.runtime)
                if self.on_report is not None:
                    self.on_report(self.last)
            except Exception:
                log.exception("canary run failed")
            self._stop.wait(interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)
