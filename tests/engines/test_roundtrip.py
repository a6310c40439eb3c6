"""TTS into STT: what espeak (and flite) say, pocketsphinx should mostly hear."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from mynah.engines.base import TranscriptionOptions, TtsEngine
from mynah.engines.espeak import EspeakEngine
from mynah.engines.flite import FliteEngine
from mynah.engines.pocketsphinx import PocketsphinxEngine

TEXT = (
    "Please call me tomorrow morning at the office. I would like to buy a new car for my family. "
    "We will meet again next week. Open the door and go to the kitchen."
)


def _recall(
    engine: TtsEngine,
    voice: str,
    pocketsphinx: PocketsphinxEngine,
    speak: Callable[..., Any],
    resample: Callable[..., Any],
) -> float:
    audio, chunks = speak(engine, TEXT, voice)
    audio16 = resample(audio, chunks[0].sample_rate, 16000)
    pad = np.zeros(4800, dtype=np.float32)  # 0.3 s of lead-in, as a recording would have
    heard = pocketsphinx.transcribe(np.concatenate([pad, audio16, pad]), TranscriptionOptions(model="en-us"))
    reference = re.findall(r"[a-z']+", TEXT.lower())
    got = set(heard.text.split())
    return sum(word in got for word in reference) / len(reference)


def test_espeak_to_pocketsphinx(
    espeak: EspeakEngine,
    pocketsphinx: PocketsphinxEngine,
    speak: Callable[..., Any],
    resample: Callable[..., Any],
) -> None:
    # pocketsphinx's acoustic model hears espeak's female variants far better than its default male
    # formant voice (about 0.35 of these words with en-us, nearly all with en-us+f5)
    assert _recall(espeak, "en-us+f5", pocketsphinx, speak, resample) >= 0.7


def test_flite_to_pocketsphinx(
    flite: FliteEngine,
    pocketsphinx: PocketsphinxEngine,
    speak: Callable[..., Any],
    resample: Callable[..., Any],
) -> None:
    assert _recall(flite, "slt", pocketsphinx, speak, resample) >= 0.7
    assert _recall(flite, "kal", pocketsphinx, speak, resample) >= 0.5  # 8 kHz, upsampled
