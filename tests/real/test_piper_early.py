"""Real Piper (en_US-joe-medium) cut in two (mynah.engines.piper_decode): a long first sentence asked
for an early start comes in pieces, the first under half a second, that join into the audio the
whole decode gives, with the same words at the same times; through the speech service the plain
stream's first chunk is that piece, and at 24 kHz the pieces are resampled as one signal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mynah.audio.dsp import resample
from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, SynthesisOptions
from mynah.engines.piper import PiperEngine
from mynah.engines.piper_decode import GAIN_RAMP, HEAD_FRAMES, SplitVoice
from mynah.models import ModelManager
from mynah.runtime import Runtime
from mynah.types import AudioChunk

VOICE = "en_US-joe-medium"
SENTENCE = (
    "The committee, after reviewing every proposal that had been submitted during the long and "
    "difficult autumn session, decided that the new library would be built beside the river."
)
TEXT = SENTENCE + " Work begins in the spring."


@pytest.fixture(scope="module")
def steady(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> PiperEngine:
    """No sampling noise, so two syntheses of one text are the same signal."""
    manager = ModelManager(ModelSettings(cache_dir=real_cache, offline=True))
    options = {"noise_scale": 1e-9, "noise_w_scale": 1e-9}
    return PiperEngine(
        EngineConfig(cache_dir=tmp_path_factory.mktemp("piper"), models=manager, options=options)
    )


def _speak(engine: PiperEngine, text: str, *, early: bool) -> list[AudioChunk]:
    return list(engine.synthesize(text, SynthesisOptions(voice=VOICE, early_start=early)))


def _words(chunks: list[AudioChunk]) -> list[tuple[str, float, float]]:
    out, at = [], 0.0
    for chunk in chunks:
        out += [(w.text, round(at + w.start, 4), round(at + w.end, 4)) for w in chunk.words]
        at += chunk.duration
    return out


def test_the_voice_is_cut_where_the_flow_begins(steady: PiperEngine) -> None:
    with steady._models.lease(f"piper:{VOICE}", steady._load) as sessions:
        voice = sessions.wide
    assert isinstance(voice, SplitVoice) and voice.decoder is not None
    assert len(voice.cuts) >= 2  # the flow's input and the frame mask at least


def test_early_pieces_join_into_the_whole_decode(steady: PiperEngine) -> None:
    whole = _speak(steady, TEXT, early=False)
    early = _speak(steady, TEXT, early=True)
    assert len(whole) == 2  # one chunk per sentence
    assert len(early) >= 3  # the first sentence in pieces, the second whole
    first = early[0]
    assert first.duration < 0.5 and len(first.samples) == HEAD_FRAMES * 256
    joined = np.concatenate([c.samples for c in early])
    reference = np.concatenate([c.samples for c in whole])
    assert len(joined) == len(reference)
    assert np.max(np.abs(joined)) <= 1.0
    # each piece is the whole decode's signal times that piece's gain (past the ramp into it)
    at, ramp = 0, int(GAIN_RAMP * first.sample_rate)
    for chunk in early[:-1]:
        mine, theirs = chunk.samples[ramp:], reference[at + ramp : at + len(chunk.samples)]
        gain = float(np.dot(mine, theirs) / np.dot(theirs, theirs))
        assert np.allclose(mine, theirs * gain, atol=1e-3), gain
        at += len(chunk.samples)
    assert np.allclose(early[-1].samples, whole[-1].samples, atol=1e-4)  # later sentences as before
    assert _words(early) == _words(whole)
    assert all(0 <= w.start < c.duration for c in early for w in c.words)  # each in its own piece


def test_unscaled_pieces_are_the_whole_decode(steady: PiperEngine) -> None:
    from piper import SynthesisConfig

    config = SynthesisConfig(noise_scale=1e-9, noise_w_scale=1e-9, normalize_audio=False)
    with steady._models.lease(f"piper:{VOICE}", steady._load) as sessions:
        voice = sessions.wide
        (whole,) = [np.concatenate(list(s.pieces)) for s in voice.sentences(SENTENCE, config)]
        (pieces,) = [list(s.pieces) for s in voice.sentences(SENTENCE, config, early=True)]
    assert len(pieces) >= 2
    assert np.abs(np.concatenate(pieces) - whole).max() < 1e-4


def test_without_early_start_each_sentence_is_one_chunk(steady: PiperEngine) -> None:
    assert len(_speak(steady, SENTENCE, early=False)) == 1
    assert len(_speak(steady, "Short.", early=True)) == 1  # too short to cut


@pytest.fixture(scope="module")
def steady_runtime(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    from mynah.config import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("steady-runtime"),
        engines=["piper", "espeak"],
        engine_options={"piper": {"noise_scale": 1e-9, "noise_w_scale": 1e-9}},
        models=ModelSettings(cache_dir=real_cache, offline=True),
    )
    runtime = Runtime.start(settings)
    yield runtime
    runtime.close()


def test_a_plain_stream_starts_with_the_first_piece_and_resamples_the_pieces_as_one(
    steady_runtime: Runtime,
) -> None:
    speech = steady_runtime.speech

    def stream(rate: int, *, timings: bool) -> list[np.ndarray]:
        prepared = speech.prepare(SENTENCE, voice=f"piper:{VOICE}", sample_rate=rate)
        return [c.samples for c in speech.stream(prepared, timings=timings) if len(c.samples)]

    held = stream(22050, timings=True)  # a caller reading marks as they come gets sentences whole
    native = stream(22050, timings=False)  # both scaled from the peak `held` left (see piper_decode)
    assert native[0].size / 22050 < 0.5  # the first clause's first piece, not the clause
    assert len(held) < len(native)
    assert sum(map(len, held)) == sum(map(len, native))
    # at 24 kHz the pieces are one signal to the resampler: as if the whole had been resampled
    # (the first Say's pieces: the plan's next Say, the sentence's rest, is resampled on its own)
    pieces = [p for p in native if len(p) != len(native[-1])]
    assert len(pieces) >= 2
    first_say = int(sum(map(len, pieces)) * 24000 / 22050) - 100
    resampled = np.concatenate(stream(24000, timings=False))[:first_say]
    whole = resample(np.concatenate(native), 22050, 24000)[:first_say]
    assert np.allclose(resampled, whole, atol=1e-3)
    cut_alone = np.concatenate([resample(p, 22050, 24000) for p in native])[:first_say]
    assert not np.allclose(cut_alone, whole, atol=1e-3)  # what resampling each piece alone gives
