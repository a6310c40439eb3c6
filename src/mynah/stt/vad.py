"""Voice activity detection: where in a recording somebody speaks.

Transcribing silence or noise wastes time and, with neural engines, invents text; the STT pipeline
therefore only sends the engine the regions found here.

    VoiceActivityDetector (protocol)   speech_regions(audio, rate) -> [SpeechRegion]; stream(rate) -> VadStream
    ├── WebRtcVad                      Google's WebRTC GMM detector (webrtcvad-wheels): fast, no model file
    └── SileroVad                      the Silero ONNX network that ships inside faster-whisper (optional)

Both run the same pipeline, one frame at a time, so a whole recording and the same recording pushed
in blocks (`stream`) give the same regions:

1. audio is resampled to 16 kHz (libswresample, streaming) and cut into frames
   (30 ms for WebRTC, 32 ms for Silero);
2. each frame is classified voiced / unvoiced by the detector; frames quieter than `energy_floor_dbfs`
   are unvoiced whatever the detector says, so digital silence and hiss never count as speech;
3. a ring of the last `ring_seconds` of frames opens a region when `on_ratio` of them are voiced and
   closes it when `off_ratio` of them are unvoiced (so one stray voiced frame in noise opens
   nothing, one unvoiced frame inside a word closes nothing);
4. regions shorter than `min_speech_seconds` are dropped, and so are regions whose sound does not
   move like speech (`min_spectral_flux_db`, `min_level_spread_db`, see below; None turns a check off);
5. the rest are padded by `padding_seconds` on both sides, so word onsets and trailing consonants are
   not clipped, and regions closer than `merge_gap_seconds` are merged.

Tuning (measured on the recordings in ../shared/data/speech and on 60 s each of digital silence,
white, pink and brown noise at -30 dBFS and a synthetic chord sequence; tests/stt/test_vad.py pins
the results). WebRTC alone, frame by frame in its most aggressive mode, calls 0.1 s of the white
noise, 6.7 s of the pink noise, 0.1 s of the brown noise and 43 s of the chords speech. The ring
(9 of 10 frames voiced to open a region) removes all of the noise, but steady tonal sound passes
every frame-level test (51 s of regions). Two checks on each region finish the job; neither is an
energy gate, both ask whether the sound moves the way speech does:

- spectral flux (`min_spectral_flux_db`): speech changes its spectral shape every few tens of
  milliseconds (formant transitions) while a held chord changes only its loudness. The median
  frame-to-frame change of the level-normalised 16-band log spectrum (150-4000 Hz) is 3.4-6.0 dB
  over every speech region in the data set and 0.9-1.6 dB over the chords; regions under 2 dB go.
- level spread (`min_level_spread_db`): speech comes in syllables, so frame levels spread over
  10-15 dB (standard deviation; at least 3.7 dB for jfk.flac under white noise 3 dB below it),
  while stationary noise spreads 0.3 dB (white) to 2.8 dB (pink). Loud white noise (-20 and
  -10 dBFS) that WebRTC calls speech throughout is rejected by this; regions under 1.5 dB go.

With both, every signal above gives no region at all, as do white noise at -60, -45, -20 and
-10 dBFS and brown noise at -20 and -10 dBFS, and every loud frame of the real recordings stays
inside a region. Known limit: pink noise at -20 dBFS or louder (about as loud as the speech) is
called speech throughout by WebRtcVad; `SileroVad` rejects it, as it does all of the above.
Long regions are judged in pieces of at most `max_piece_seconds`, so a decision never waits longer
than that (which bounds the memory of streaming callers).
"""

from __future__ import annotations

import importlib.util
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from mynah.errors import EngineUnavailable
from mynah.types import Samples

__all__ = [
    "SileroVad",
    "SpeechRegion",
    "VadStream",
    "VoiceActivityDetector",
    "WebRtcVad",
]

VAD_RATE = 16000
"""Every detector here works on 16 kHz audio; other rates are resampled on the way in."""

_FRAMES_PER_BATCH = 1024
"""Frames classified per call (about 30 s): spectra of a whole hour at once would take 500 MB."""

_FloatArray = npt.NDArray[np.float64]
_BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SpeechRegion:
    """A stretch of speech, in seconds from the start of the audio."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


class VadStream(Protocol):
    """Voice activity detection over audio that arrives in blocks.

    After each `push`, `regions()` describes the speech exactly for every time before `final_until`:
    later pushes never add, remove or move speech there (the last region may be clipped at
    `final_until` and grow later). After `finish`, `final_until` is the duration of the audio pushed.
    """

    @property
    def final_until(self) -> float: ...

    def push(self, samples: Samples) -> None:
        """Append the next block of audio (mono float32 at the stream's rate)."""
        ...

    def finish(self) -> None:
        """The audio has ended: close the open region. `push` must not be called afterwards."""
        ...

    def regions(self) -> list[SpeechRegion]:
        """The speech found so far, in order, not overlapping, clipped to `final_until`."""
        ...


@runtime_checkable
class VoiceActivityDetector(Protocol):
    """Finds speech in mono float32 audio. Detectors hold no per-recording state: `stream` gives a
    fresh one each time, so one detector serves any number of recordings at once."""

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        """Speech in `audio` (at `sample_rate`), in order, not overlapping, within [0, duration]."""
        ...

    def stream(self, sample_rate: int) -> VadStream:
        """A detector for audio at `sample_rate` that arrives in blocks; see `VadStream`."""
        ...


@dataclass(frozen=True)
class _TrackerSettings:
    """How frame decisions become regions; see the module docstring for what each one does."""

    ring_seconds: float
    on_ratio: float
    off_ratio: float
    padding_seconds: float
    min_speech_seconds: float
    merge_gap_seconds: float
    max_piece_seconds: float
    min_spectral_flux_db: float | None
    min_level_spread_db: float | None


class WebRtcVad:
    """Voice activity detection with the WebRTC detector, on 30 ms frames at 16 kHz.

    `aggressiveness` is WebRTC's mode, 0 (calls most things speech) to 3 (most eager to call
    noise non-speech). The defaults are tuned as the module docstring describes; `min_spectral_flux_db`
    None turns the tonal-sound check off.
    """

    frame_seconds = 0.03

    def __init__(
        self,
        *,
        aggressiveness: int = 3,
        energy_floor_dbfs: float = -55.0,
        ring_seconds: float = 0.3,
        on_ratio: float = 0.9,
        off_ratio: float = 0.9,
        padding_seconds: float = 0.3,
        min_speech_seconds: float = 0.25,
        merge_gap_seconds: float = 0.3,
        max_piece_seconds: float = 10.0,
        min_spectral_flux_db: float | None = 2.0,
        min_level_spread_db: float | None = 1.5,
    ) -> None:
        if aggressiveness not in (0, 1, 2, 3):
            raise ValueError(f"aggressiveness must be 0, 1, 2 or 3, got {aggressiveness}")
        try:
            import webrtcvad  # noqa: F401
        except ImportError:
            raise EngineUnavailable(
                "the WebRTC voice activity detector needs webrtcvad: pip install webrtcvad-wheels"
            ) from None
        self.aggressiveness = aggressiveness
        self.energy_floor_dbfs = energy_floor_dbfs
        self._settings = _TrackerSettings(
            ring_seconds=ring_seconds,
            on_ratio=on_ratio,
            off_ratio=off_ratio,
            padding_seconds=padding_seconds,
            min_speech_seconds=min_speech_seconds,
            merge_gap_seconds=merge_gap_seconds,
            max_piece_seconds=max_piece_seconds,
            min_spectral_flux_db=min_spectral_flux_db,
            min_level_spread_db=min_level_spread_db,
        )
        _validate(self._settings)

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        return _whole(self, audio, sample_rate)

    def stream(self, sample_rate: int) -> VadStream:
        import webrtcvad

        vad = webrtcvad.Vad(self.aggressiveness)
        frame = round(self.frame_seconds * VAD_RATE)

        def classify(frames: npt.NDArray[np.float32]) -> _BoolArray:
            pcm = np.clip(np.rint(frames * 32767.0), -32768, 32767).astype("<i2")
            return np.array([vad.is_speech(row.tobytes(), VAD_RATE) for row in pcm], dtype=np.bool_)

        return _FrameVadStream(sample_rate, frame, classify, self.energy_floor_dbfs, self._settings)


class SileroVad:
    """Voice activity detection with the Silero network (v6, ONNX) that faster-whisper ships.

    Needs faster-whisper (for the model file) and onnxruntime (its dependency); the model is found
    inside the installed faster-whisper package without importing it, and loaded when the detector
    is built. A frame is voiced from when the network's speech probability reaches `threshold` until
    it falls below `threshold - 0.15` (Silero's own hysteresis).
    """

    frame_seconds = 0.032

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        energy_floor_dbfs: float = -55.0,
        ring_seconds: float = 0.288,
        on_ratio: float = 0.5,
        off_ratio: float = 0.9,
        padding_seconds: float = 0.3,
        min_speech_seconds: float = 0.25,
        merge_gap_seconds: float = 0.3,
        max_piece_seconds: float = 10.0,
        min_spectral_flux_db: float | None = None,
        min_level_spread_db: float | None = None,
        model_path: Path | None = None,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.threshold = threshold
        self.energy_floor_dbfs = energy_floor_dbfs
        self._settings = _TrackerSettings(
            ring_seconds=ring_seconds,
            on_ratio=on_ratio,
            off_ratio=off_ratio,
            padding_seconds=padding_seconds,
            min_speech_seconds=min_speech_seconds,
            merge_gap_seconds=merge_gap_seconds,
            max_piece_seconds=max_piece_seconds,
            min_spectral_flux_db=min_spectral_flux_db,
            min_level_spread_db=min_level_spread_db,
        )
        _validate(self._settings)
        self.model_path = model_path if model_path is not None else silero_model_path()
        self._session = _load_silero(self.model_path)

    def speech_regions(self, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
        return _whole(self, audio, sample_rate)

    def stream(self, sample_rate: int) -> VadStream:
        classify = _SileroFrames(self._session, self.threshold, max(0.01, self.threshold - 0.15))
        frame = round(self.frame_seconds * VAD_RATE)
        return _FrameVadStream(sample_rate, frame, classify, self.energy_floor_dbfs, self._settings)


class _SileroFrames:
    """Silero's frame decisions for one recording: the network's recurrent state, the 64 samples of
    context each 512-sample window is fed with (as the model was trained), and the hysteresis of
    Silero's reference code: speech starts at `threshold` and lasts until the probability falls
    below `neg_threshold`."""

    context = 64

    def __init__(self, session: Any, threshold: float, neg_threshold: float) -> None:
        self._session = session
        self._threshold = threshold
        self._neg_threshold = neg_threshold
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._tail = np.zeros(self.context, dtype=np.float32)
        self._speaking = False

    def __call__(self, frames: npt.NDArray[np.float32]) -> _BoolArray:
        context = self.context
        previous = np.concatenate([self._tail[np.newaxis, :], frames[:-1, -context:]])
        batch = np.ascontiguousarray(np.concatenate([previous, frames], axis=1), dtype=np.float32)
        probs, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._tail = frames[-1, -context:].copy()
        voiced = np.zeros(len(frames), dtype=np.bool_)
        for i, p in enumerate(np.asarray(probs, dtype=np.float64).reshape(-1).tolist()):
            if p >= self._threshold:
                self._speaking = True
            elif p < self._neg_threshold:
                self._speaking = False
            voiced[i] = self._speaking
        return voiced


def silero_model_path() -> Path:
    """The Silero VAD model inside the installed faster-whisper, found without importing it."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable(
            "the Silero voice activity detector uses the model shipped with faster-whisper: "
            "pip install faster-whisper"
        )
    assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
    models = sorted(assets.glob("silero_vad*.onnx"))
    if not models:
        raise EngineUnavailable(
            f"no silero_vad*.onnx in {assets}; the installed faster-whisper is too old or damaged: "
            "pip install -U faster-whisper"
        )
    return models[-1]


def _load_silero(path: Path) -> Any:
    try:
        import onnxruntime
    except ImportError:
        raise EngineUnavailable(
            "the Silero voice activity detector needs onnxruntime: pip install onnxruntime"
        ) from None
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    try:
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors for unreadable models
        raise EngineUnavailable(f"cannot load the Silero VAD model {path}: {exc}") from exc
    names = {i.name for i in session.get_inputs()}
    if names != {"input", "h", "c"}:
        raise EngineUnavailable(
            f"the Silero VAD model {path} has inputs {sorted(names)}, not the v6 'input', 'h', 'c' this "
            "detector drives: pip install -U faster-whisper"
        )
    return session


def _validate(settings: _TrackerSettings) -> None:
    for name in ("on_ratio", "off_ratio"):
        value = getattr(settings, name)
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be in (0, 1], got {value}")
    for name in ("ring_seconds", "max_piece_seconds"):
        if getattr(settings, name) <= 0:
            raise ValueError(f"{name} must be positive, got {getattr(settings, name)}")
    for name in ("padding_seconds", "min_speech_seconds", "merge_gap_seconds"):
        if getattr(settings, name) < 0:
            raise ValueError(f"{name} must not be negative, got {getattr(settings, name)}")


def _whole(vad: VoiceActivityDetector, audio: Samples, sample_rate: int) -> list[SpeechRegion]:
    stream = vad.stream(sample_rate)
    stream.push(audio)
    stream.finish()
    return stream.regions()


# ----------------------------------------------------------------------------------- frame pipeline


class _FrameVadStream:
    """Resample to 16 kHz, cut frames, classify them, and hand the decisions to a `_RegionTracker`."""

    def __init__(
        self,
        sample_rate: int,
        frame: int,
        classify: Callable[[npt.NDArray[np.float32]], _BoolArray],
        energy_floor_dbfs: float,
        settings: _TrackerSettings,
    ) -> None:
        if sample_rate <= 0:
            raise ValueError(f"sample_rate must be positive, got {sample_rate}")
        self._rate = sample_rate
        self._frame = frame
        self._classify = classify
        self._floor = 10.0 ** (energy_floor_dbfs / 10.0)  # mean square, full scale = 1.0
        self._resampler = _StreamingResampler(sample_rate, VAD_RATE) if sample_rate != VAD_RATE else None
        self._pending = np.zeros(0, dtype=np.float32)
        self._pushed = 0
        self._finished = False
        self._flux = _SpectralFlux(frame)
        self._tracker = _RegionTracker(frame / VAD_RATE, settings)

    @property
    def final_until(self) -> float:
        return self._tracker.final_until

    def push(self, samples: Samples) -> None:
        if self._finished:
            raise RuntimeError("push after finish")
        mono = np.asarray(samples, dtype=np.float32)
        if mono.ndim != 1:
            raise ValueError(f"expected mono audio as a 1-D array, got shape {mono.shape}")
        self._pushed += len(mono)
        resampled = self._resampler.push(mono) if self._resampler is not None else mono
        self._frames(resampled)

    def finish(self) -> None:
        if self._finished:
            return
        if self._resampler is not None:
            self._frames(self._resampler.flush())
        self._finished = True
        self._tracker.finish(self._pushed / self._rate)

    def regions(self) -> list[SpeechRegion]:
        return self._tracker.regions()

    def _frames(self, samples: Samples) -> None:
        data = np.concatenate([self._pending, samples]) if len(self._pending) else samples
        count = len(data) // self._frame
        self._pending = np.array(data[count * self._frame :], dtype=np.float32)
        if count == 0:
            return
        every = np.asarray(data[: count * self._frame], dtype=np.float32).reshape(count, self._frame)
        for first in range(0, count, _FRAMES_PER_BATCH):  # bounded work arrays for long pushes
            frames = every[first : first + _FRAMES_PER_BATCH]
            # Both detectors are stateful (noise estimates, a recurrent network): they hear every frame.
            power = np.mean(np.square(frames, dtype=np.float64), axis=1)
            voiced = self._classify(frames) & (power >= self._floor)
            self._tracker.push(voiced, self._flux.push(frames), 10.0 * np.log10(power + 1e-12))


class _StreamingResampler:
    """libswresample through PyAV, fed block by block; output timing matches the input's."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        import av

        self._from = from_rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
        self._pts = 0

    def push(self, samples: Samples) -> Samples:
        import av

        if len(samples) == 0:
            return np.zeros(0, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples)[np.newaxis, :], format="flt", layout="mono"
        )
        frame.sample_rate = self._from
        frame.time_base = Fraction(1, self._from)
        frame.pts = self._pts
        self._pts += len(samples)
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> Samples:
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list[Any]) -> Samples:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([np.asarray(f.to_ndarray()[0], dtype=np.float32) for f in frames])


class _SpectralFlux:
    """Frame-to-frame change of the level-normalised log spectrum in 16 bands, 150-4000 Hz, in dB.

    Normalising each frame's band levels by their mean removes loudness, so an envelope on a steady
    sound changes nothing; formant transitions in speech change a lot.
    """

    def __init__(self, frame: int) -> None:
        self._size = 1 << (frame - 1).bit_length()
        self._window = np.hanning(frame)
        freqs = np.fft.rfftfreq(self._size, 1.0 / VAD_RATE)
        edges = np.geomspace(150.0, 4000.0, 17)
        self._bands = np.zeros((len(freqs), 16))
        for k, (lo, hi) in enumerate(itertools.pairwise(edges)):
            self._bands[(freqs >= lo) & (freqs < hi), k] = 1.0
        self._previous: _FloatArray | None = None

    def push(self, frames: npt.NDArray[np.float32]) -> _FloatArray:
        power = np.abs(np.fft.rfft(frames * self._window, self._size, axis=1)) ** 2
        levels = 10.0 * np.log10(power @ self._bands + 1e-10)
        levels -= levels.mean(axis=1, keepdims=True)
        first = self._previous if self._previous is not None else levels[0]
        flux: _FloatArray = np.abs(np.diff(levels, axis=0, prepend=first[np.newaxis, :])).mean(axis=1)
        self._previous = levels[-1]
        return flux


class _RegionTracker:
    """Frame decisions in, regions out, as described in the module docstring (steps 3-5)."""

    def __init__(self, frame_seconds: float, settings: _TrackerSettings) -> None:
        self._fd = frame_seconds
        self._s = settings
        self._ring_size = max(1, round(settings.ring_seconds / frame_seconds))
        self._ring: deque[bool] = deque(maxlen=self._ring_size)
        self._ring_flux: deque[float] = deque(maxlen=self._ring_size)
        self._ring_level: deque[float] = deque(maxlen=self._ring_size)
        self._voiced_in_ring = 0
        self._piece_frames = max(self._ring_size, round(settings.max_piece_seconds / frame_seconds))
        self._judge_frames = max(1, round(1.0 / frame_seconds))
        self._recent_flux: deque[float] = deque(maxlen=self._judge_frames)
        self._recent_level: deque[float] = deque(maxlen=self._judge_frames)
        self._frames = 0
        self._triggered = False
        self._start = 0  # first frame of the open piece
        self._continuation = False  # the open piece continues a region cut at max_piece_seconds
        self._previous_kept = False
        self._piece_flux: list[float] = []
        self._piece_level: list[float] = []
        self._last_voiced = -1
        self._done: list[SpeechRegion] = []
        self._pending: SpeechRegion | None = None
        self._final_until = 0.0
        self._total: float | None = None

    @property
    def final_until(self) -> float:
        return self._final_until

    def push(self, voiced: _BoolArray, flux: _FloatArray, level: _FloatArray) -> None:
        ring, size = self._ring, self._ring_size
        on = self._s.on_ratio * size - 1e-9
        off = self._s.off_ratio * size - 1e-9
        for flag, value, db in zip(voiced.tolist(), flux.tolist(), level.tolist(), strict=True):
            index = self._frames
            self._frames += 1
            if len(ring) == size and ring[0]:
                self._voiced_in_ring -= 1
            ring.append(flag)
            self._ring_flux.append(value)
            self._ring_level.append(db)
            self._recent_level.append(db)
            if flag:
                self._voiced_in_ring += 1
                self._last_voiced = index
                self._recent_flux.append(value)
            if self._triggered:
                self._piece_level.append(db)
                if flag:
                    self._piece_flux.append(value)
                if len(ring) == size and size - self._voiced_in_ring >= off:
                    self._close(self._last_voiced + 1, ends=True)
                elif index + 1 - self._start >= self._piece_frames:
                    self._close(index + 1, ends=False)
            elif len(ring) == size and self._voiced_in_ring >= on:
                self._triggered = True
                offset = next(i for i, f in enumerate(ring) if f)
                self._start = index - size + 1 + offset
                self._piece_flux = [v for f, v in zip(ring, self._ring_flux, strict=True) if f]
                self._piece_level = list(self._ring_level)[offset:]
                self._continuation = False
        self._advance()

    def finish(self, total: float) -> None:
        if self._triggered:
            self._close(self._last_voiced + 1, ends=True)
        if self._pending is not None:
            self._done.append(self._pending)
            self._pending = None
        self._total = total
        self._done = [
            SpeechRegion(max(0.0, r.start), min(total, r.end)) for r in self._done if r.start < total
        ]
        self._final_until = total

    def regions(self) -> list[SpeechRegion]:
        if self._pending is None or self._pending.start >= self._final_until:
            return list(self._done)
        clipped = SpeechRegion(self._pending.start, min(self._pending.end, self._final_until))
        return [*self._done, clipped]

    def _close(self, end: int, *, ends: bool) -> None:
        s = self._s
        start, continuation = self._start, self._continuation
        frames = end - start
        keep = continuation or frames * self._fd >= s.min_speech_seconds
        if keep and s.min_spectral_flux_db is not None:
            flux = self._piece_flux if len(self._piece_flux) >= self._judge_frames else self._recent_flux
            keep = len(flux) > 0 and float(np.median(np.fromiter(flux, float))) >= s.min_spectral_flux_db
        if keep and s.min_level_spread_db is not None:
            levels = self._piece_level if len(self._piece_level) >= self._judge_frames else self._recent_level
            keep = float(np.std(np.fromiter(levels, float))) >= s.min_level_spread_db
        if keep:
            pad_start = 0.0 if continuation and self._previous_kept else s.padding_seconds
            pad_end = s.padding_seconds if ends else 0.0
            self._add(SpeechRegion(max(0.0, start * self._fd - pad_start), end * self._fd + pad_end))
        self._previous_kept = keep
        self._piece_flux = []
        self._piece_level = []
        if ends:
            self._triggered = False
            self._continuation = False
        else:
            self._start = end
            self._continuation = True

    def _add(self, region: SpeechRegion) -> None:
        pending = self._pending
        if pending is not None and region.start - pending.end <= self._s.merge_gap_seconds:
            self._pending = SpeechRegion(pending.start, max(pending.end, region.end))
            return
        if pending is not None:
            self._done.append(pending)
        self._pending = region

    def _advance(self) -> None:
        """Move `final_until` to the earliest time a region not yet known could start."""
        pad = self._s.padding_seconds
        if self._triggered:
            horizon = self._start * self._fd - pad
        else:
            horizon = (self._frames - self._ring_size + 1) * self._fd - pad
        horizon = max(0.0, horizon)
        pending = self._pending
        if pending is not None and horizon - pending.end > self._s.merge_gap_seconds:
            self._done.append(pending)
            self._pending = None
            pending = None
        if pending is not None:
            # A region that may still merge with the next one can only grow at its end: what lies
            # before that end is settled, the gap after it is not.
            horizon = min(horizon, pending.end)
        self._final_until = max(self._final_until, horizon)
