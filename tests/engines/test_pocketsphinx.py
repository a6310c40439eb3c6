"""PocketSphinx on real recordings: words, times, posterior confidences, segments, errors, threads."""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from mynah.engines.base import EngineConfig, SttEngine, TranscriptionOptions
from mynah.engines.pocketsphinx import PocketsphinxEngine
from mynah.errors import InvalidAudio, NotSupported, UnknownModel
from mynah.types import Samples, Transcription

OPTIONS = TranscriptionOptions(model="en-us")


@pytest.fixture(scope="module")
def goforward(speech_dir: Path, load_audio: Callable[[Path], Samples]) -> Samples:
    return load_audio(speech_dir / "goforward.wav")


def test_is_an_stt_engine(pocketsphinx: PocketsphinxEngine) -> None:
    assert isinstance(pocketsphinx, SttEngine)
    assert pocketsphinx.capabilities.sample_rate == 16000
    assert not pocketsphinx.capabilities.prompt
    assert not pocketsphinx.capabilities.hotwords
    [model] = pocketsphinx.models()
    assert model.id == "pocketsphinx:en-us"
    assert model.languages == ("en",)


def test_transcribes_go_forward(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    result = pocketsphinx.transcribe(goforward, OPTIONS)
    duration = len(goforward) / 16000
    assert result.text == "go forward ten meters"
    assert result.language == "en"
    assert result.duration == pytest.approx(duration)
    words = result.words
    assert [w.text for w in words] == ["go", "forward", "ten", "meters"]
    previous_end = 0.0
    for word in words:
        assert previous_end <= word.start < word.end <= duration
        previous_end = word.end
    probabilities = [w.probability for w in words]
    assert all(0.0 < p <= 1.0 for p in probabilities)
    assert len(set(probabilities)) > 1, "posteriors, not a constant"
    assert min(probabilities) < 0.9, "'ten' is a genuinely uncertain word here"


def test_same_audio_same_result_whatever_came_before(
    pocketsphinx: PocketsphinxEngine, goforward: Samples, speech_dir: Path, load_audio: Callable[..., Samples]
) -> None:
    first = pocketsphinx.transcribe(goforward, OPTIONS)
    pocketsphinx.transcribe(load_audio(speech_dir / "forever.wav"), OPTIONS)
    again = pocketsphinx.transcribe(goforward, OPTIONS)
    assert again == first


def test_pauses_split_segments(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    silence = np.zeros(16000, dtype=np.float32)
    audio = np.concatenate([goforward, silence, goforward])
    result = pocketsphinx.transcribe(audio, OPTIONS)
    assert [s.text for s in result.segments] == ["go forward ten meters", "go forward ten meters"]
    first, second = result.segments
    assert [s.id for s in result.segments] == [0, 1]
    assert second.start - first.end >= 0.5
    assert second.start > len(goforward) / 16000
    for segment in result.segments:
        assert segment.words[0].start == segment.start
        assert segment.words[-1].end == segment.end
        assert segment.avg_logprob is not None and segment.avg_logprob <= 0.0


def test_without_word_timestamps(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    result = pocketsphinx.transcribe(
        goforward, TranscriptionOptions(model="en-us", word_timestamps=False, language="en")
    )
    assert result.text == "go forward ten meters"
    assert result.words == ()


def test_alternate_pronunciations_and_fillers_are_cleaned(
    pocketsphinx: PocketsphinxEngine, speech_dir: Path, load_audio: Callable[..., Samples]
) -> None:
    result = pocketsphinx.transcribe(load_audio(speech_dir / "cards" / "005.wav"), OPTIONS)
    assert result.words
    for word in result.words:
        assert word.text.isalpha() or "'" in word.text, word.text
    reference = ["eight", "of", "spades", "four", "of", "clubs", "seven", "of", "hearts"]
    hits = sum(w in reference for w in result.text.split())
    assert hits >= len(reference) // 2


LJSPEECH = {
    "LJ001-0001": "printing in the only sense with which we are at present concerned differs from most if not "
    "from all the arts and crafts represented in the exhibition",
    "LJ001-0002": "in being comparatively modern",
}


def test_wrong_words_get_lower_confidence(
    pocketsphinx: PocketsphinxEngine, speech_dir: Path, load_audio: Callable[..., Samples]
) -> None:
    """On 22 kHz audiobook speech (decoded to 16 kHz) pocketsphinx gets most words right; the words it
    gets wrong carry clearly lower posteriors than the ones it gets right."""
    right: list[float] = []
    wrong: list[float] = []
    for name, reference in LJSPEECH.items():
        result = pocketsphinx.transcribe(load_audio(speech_dir / "ljspeech" / f"{name}.flac"), OPTIONS)
        hypothesis = [w.text for w in result.words]
        matcher = difflib.SequenceMatcher(a=reference.split(), b=hypothesis, autojunk=False)
        matched = {block.b + k for block in matcher.get_matching_blocks() for k in range(block.size)}
        for index, word in enumerate(result.words):
            (right if index in matched else wrong).append(word.probability)
    assert len(right) >= 2 * len(wrong) > 0
    assert np.mean(wrong) < np.mean(right) - 0.3


def test_silence_and_empty_audio(pocketsphinx: PocketsphinxEngine) -> None:
    assert pocketsphinx.transcribe(np.zeros(0, dtype=np.float32), OPTIONS) == Transcription(
        segments=(), duration=0.0, language="en"
    )
    quiet = pocketsphinx.transcribe(np.zeros(16000, dtype=np.float32), OPTIONS)
    assert quiet.duration == 1.0
    assert quiet.text == ""


@pytest.mark.parametrize("language", ["fr", "de", "zh"])
def test_other_languages_are_not_supported(
    pocketsphinx: PocketsphinxEngine, goforward: Samples, language: str
) -> None:
    with pytest.raises(NotSupported, match=repr(language)) as caught:
        pocketsphinx.transcribe(goforward, TranscriptionOptions(model="en-us", language=language))
    assert caught.value.param == "language"


@pytest.mark.parametrize("language", ["en", "en-US"])
def test_english_is_accepted(
    pocketsphinx: PocketsphinxEngine, goforward: Samples, language: str | None
) -> None:
    result = pocketsphinx.transcribe(goforward, TranscriptionOptions(model="en-us", language=language))
    assert result.text == "go forward ten meters"


def test_translation_is_not_supported(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    with pytest.raises(NotSupported):
        pocketsphinx.transcribe(goforward, TranscriptionOptions(model="en-us", task="translate"))


def test_unknown_model(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    with pytest.raises(UnknownModel, match="'whisper-1'"):
        pocketsphinx.transcribe(goforward, TranscriptionOptions(model="whisper-1"))


def test_stereo_array_is_refused(pocketsphinx: PocketsphinxEngine, goforward: Samples) -> None:
    with pytest.raises(InvalidAudio):
        pocketsphinx.transcribe(np.stack([goforward, goforward]), OPTIONS)


def test_concurrent_calls_share_a_small_pool(
    engine_config: Callable[..., EngineConfig],
    goforward: Samples,
    speech_dir: Path,
    load_audio: Callable[..., Samples],
) -> None:
    """Four threads over a pool of two decoders get the results one thread alone would get."""
    engine = PocketsphinxEngine(engine_config("pocketsphinx-pool", decoders="2"))
    forever = load_audio(speech_dir / "forever.wav")
    expected = {0: engine.transcribe(goforward, OPTIONS), 1: engine.transcribe(forever, OPTIONS)}
    results: list[tuple[int, Transcription]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(which: int) -> None:
        try:
            got = engine.transcribe(goforward if which == 0 else forever, OPTIONS)
            with lock:
                results.append((which, got))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i % 2,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 4
    for which, got in results:
        assert got == expected[which]
