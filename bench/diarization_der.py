"""Diarization error rate of mynah's diarizers on the real recordings in ../shared/data.

    .venv/bin/python bench/diarization_der.py

Engines: the default `MfccDiarizer`, and `ResemblyzerDiarizer` when resemblyzer and torch are
installed. Recordings:

- pyannote: the pyannote-audio sample (30 s phone call, two speakers, reference RTTM with overlaps),
  once with the number of speakers estimated and once with num_speakers=2;
- lj+jfk: a conversation built by alternating LJSpeech clips (one female reader) with pieces of
  jfk.flac (a male speaker), 0.4 s of silence between turns; the reference is the clip boundaries;
- stereo: the faster-whisper stereo sample (one speaker per channel, both talking at once from
  0.3 to 2.5 s) through `diarize_channels`, and, for comparison, its mono mix through each engine.
  There is no published reference for it; the reference here is where each isolated channel is
  above -45 dBFS (10 ms frames, gaps under 0.3 s closed), which is exact for a channel holding one
  clean voice.

DER is scored by `mynah.stt.diarize.metrics` (10 ms frames, overlap counted per speaker, optimal
one-to-one speaker mapping); it agrees with pyannote.metrics' DiarizationErrorRate to the reported
digits on the pyannote sample. "collar" forgives 0.25 s on each side of every reference boundary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mynah.audio.decode import decode_audio, decode_channels
from mynah.errors import EngineUnavailable
from mynah.stt.diarize import Diarizer, MfccDiarizer, ResemblyzerDiarizer, SpeakerTurn, diarize_channels
from mynah.stt.diarize.metrics import diarization_error, read_rttm
from mynah.types import Samples

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RATE = 16000


def lj_jfk() -> tuple[Samples, list[SpeakerTurn]]:
    lj = [decode_audio(DATA / f"speech/ljspeech/LJ001-000{i}.flac", RATE) for i in range(1, 5)]
    jfk = decode_audio(DATA / "speech/jfk.flac", RATE)
    pieces = [
        jfk[round(a * RATE) : round(b * RATE)] for a, b in [(0, 3.3), (3.3, 5.6), (5.6, 8.2), (8.2, 11)]
    ]
    parts: list[Samples] = [np.zeros(RATE // 2, np.float32)]
    reference = []
    at = 0.5
    for i in range(4):
        for name, clip in (("lj", lj[i]), ("jfk", pieces[i])):
            clip = clip * (0.07 / max(float(np.sqrt(np.mean(np.square(clip)))), 1e-9))  # same loudness
            parts += [clip.astype(np.float32), np.zeros(round(0.4 * RATE), np.float32)]
            reference.append(SpeakerTurn(at, at + len(clip) / RATE, name))
            at += len(clip) / RATE + 0.4
    return np.concatenate(parts), reference


def channel_reference(channels: list[Samples]) -> list[SpeakerTurn]:
    turns = []
    for index, channel in enumerate(channels):
        hop = RATE // 100
        frames = len(channel) // hop
        level = 10 * np.log10(
            np.mean(np.square(channel[: frames * hop].reshape(frames, hop)), axis=1) + 1e-12
        )
        active = np.flatnonzero(level > -45)
        runs: list[list[float]] = []
        for frame in active:
            if runs and frame / 100 - runs[-1][1] < 0.3:
                runs[-1][1] = (frame + 1) / 100
            else:
                runs.append([frame / 100, (frame + 1) / 100])
        turns += [SpeakerTurn(a, b, f"channel{index}") for a, b in runs]
    return turns


def row(label: str, run: Callable[[], list[SpeakerTurn]], reference: list[SpeakerTurn]) -> None:
    started = time.perf_counter()
    hypothesis = run()
    seconds = time.perf_counter() - started
    collar = diarization_error(reference, hypothesis, collar=0.25)
    exact = diarization_error(reference, hypothesis, collar=0.0)
    speakers = len({t.speaker for t in hypothesis})
    print(
        f"| {label:<42} | {speakers:>2} | {100 * collar.der:6.1f} | {100 * exact.der:6.1f} | "
        f"{100 * exact.missed:5.1f} | {100 * exact.false_alarm:5.1f} | {100 * exact.confusion:5.1f} | {seconds:5.2f} |"
    )


def main() -> None:
    engines: list[tuple[str, Callable[[], Diarizer]]] = [
        ("mfcc", MfccDiarizer),
        ("resemblyzer", ResemblyzerDiarizer),
    ]
    sample = decode_audio(DATA / "diarization/pyannote_sample/sample.wav", RATE)
    sample_ref = read_rttm(DATA / "diarization/pyannote_sample/sample.rttm")
    conversation, conversation_ref = lj_jfk()
    channels = decode_channels(DATA / "diarization/faster_whisper_stereo/stereo_diarization.wav", RATE)
    stereo_ref = channel_reference(channels)
    mix = (channels[0] + channels[1]) / 2

    print(
        "| engine / recording                         | spk | DER c.25 | DER  | miss | FA   | conf | sec  |"
    )
    print(
        "|--------------------------------------------|-----|----------|------|------|------|------|------|"
    )
    for name, factory in engines:
        try:
            engine = factory()
        except EngineUnavailable as exc:
            print(f"| {name}: not installed ({exc}) |")
            continue
        row(f"{name} / pyannote sample", lambda e=engine: e.diarize(sample, RATE), sample_ref)
        row(
            f"{name} / pyannote sample, k=2",
            lambda e=engine: e.diarize(sample, RATE, num_speakers=2),
            sample_ref,
        )
        row(f"{name} / lj+jfk conversation", lambda e=engine: e.diarize(conversation, RATE), conversation_ref)
        row(f"{name} / stereo sample mixed to mono", lambda e=engine: e.diarize(mix, RATE), stereo_ref)
    row("diarize_channels / stereo sample", lambda: diarize_channels(channels, RATE), stereo_ref)
    print("\nDER columns in %: 'DER c.25' with a 0.25 s collar; the others without a collar.")


if __name__ == "__main__":
    main()
