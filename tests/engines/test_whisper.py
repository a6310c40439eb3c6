"""The faster-whisper engine on a tiny CTranslate2 Whisper (real vocabulary and interface, tiny width,
wired to say "hello world"; see tests/fixtures/make_tiny_whisper.py), through faster_whisper's own
WhisperModel: words with probabilities, language detection, translate, prompt, hotwords, the batched
batches of windows, fallback reasons and corrupt files."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from mynah.config import ModelSettings
from mynah.engines.base import EngineConfig, SttEngine, TranscriptionOptions
from mynah.engines.whisper import WhisperEngine
from mynah.errors import EngineUnavailable, ModelNotDownloaded, NotSupported, UnknownModel
from mynah.models import ModelManager
from mynah.priority import WORKER_NICENESS, transcription_niceness
from mynah.types import Samples
from tests.fixtures.make_tiny_whisper import TRANSCRIPT, TRANSLATION
from tests.fixtures.neural import WHISPER, install_tiny

pytest.importorskip("faster_whisper")

NAME = WHISPER.partition(":")[2]


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> ModelManager:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path_factory.mktemp("models"))
    install_tiny(manager, WHISPER)
    return manager


@pytest.fixture(scope="module")
def whisper(manager: ModelManager, tmp_path_factory: pytest.TempPathFactory) -> WhisperEngine:
    return WhisperEngine(EngineConfig(cache_dir=tmp_path_factory.mktemp("whisper"), models=manager))


@pytest.fixture(scope="module")
def noise() -> Samples:
    return (np.random.default_rng(7).standard_normal(16000 * 4) * 0.1).astype(np.float32)


def test_capabilities_and_models(whisper: WhisperEngine) -> None:
    assert isinstance(whisper, SttEngine)
    caps = whisper.capabilities
    assert (
        caps.translate and caps.language_detection and caps.prompt and caps.hotwords and caps.word_timestamps
    )
    assert caps.sample_rate == 16000 and caps.max_window_seconds == 300.0
    [model] = whisper.models()
    assert model.id == WHISPER and "en" in model.languages and "de" in model.languages


def test_transcription_with_words_probabilities_and_detected_language(
    whisper: WhisperEngine, noise: Samples
) -> None:
    result = whisper.transcribe(noise, TranscriptionOptions(model=NAME))
    assert result.text == TRANSCRIPT
    assert result.language == "en" and result.language_probability == pytest.approx(0.95, abs=0.01)
    assert result.duration == pytest.approx(4.0)
    words = result.words
    assert [w.text for w in words] == ["hello", "world"]
    assert words[0].probability == pytest.approx(0.73, abs=0.02)
    assert words[1].probability > 0.99
    assert all(0.0 <= w.start <= w.end <= result.duration for w in words)
    [segment] = result.segments
    assert segment.avg_logprob is not None and segment.avg_logprob > -0.5
    assert segment.no_speech_prob is not None and segment.no_speech_prob < 0.01


def test_translate_task(whisper: WhisperEngine, noise: Samples) -> None:
    result = whisper.transcribe(noise, TranscriptionOptions(model=NAME, task="translate"))
    assert result.text == TRANSLATION


def test_language_prompt_and_hotwords_reach_the_model(whisper: WhisperEngine, noise: Samples) -> None:
    result = whisper.transcribe(
        noise,
        TranscriptionOptions(
            model=NAME, language="de-DE", prompt="Ein Gespräch.", hotwords=("Mynah", "Piper")
        ),
    )
    assert result.language == "de" and result.text == TRANSCRIPT
    without_words = whisper.transcribe(noise, TranscriptionOptions(model=NAME, word_timestamps=False))
    assert without_words.text == TRANSCRIPT and without_words.words == ()


def test_unknown_language_and_empty_audio(whisper: WhisperEngine) -> None:
    with pytest.raises(NotSupported, match="does not know language"):
        whisper.transcribe(np.zeros(16000, np.float32), TranscriptionOptions(model=NAME, language="xx"))
    empty = whisper.transcribe(np.zeros(0, np.float32), TranscriptionOptions(model=NAME))
    assert empty.segments == () and empty.duration == 0.0


def test_batches_of_windows_decode_like_single_calls(
    manager: ModelManager, tmp_path: Path, load_audio: Callable[[Path], Samples], speech_dir: Path
) -> None:
    engine = WhisperEngine(
        EngineConfig(cache_dir=tmp_path, options={"batched": "true", "batch_size": "4"}, models=manager)
    )
    plan = engine.batching(5.0)
    assert plan is not None and plan.batch_size == 4 and plan.window == 30.0
    jfk = load_audio(speech_dir / "jfk.flac")
    options = TranscriptionOptions(model=NAME)
    assert engine.detect_language(jfk, options)[0] == "en"
    windows = [(jfk, options), (jfk[: 16000 * 4], options), (jfk[16000 * 3 :], options)]
    results = engine.transcribe_batch(windows)
    assert len(results) == 3
    for (samples, _), result in zip(windows, results, strict=True):
        # the tiny model says "hello world" early in any audio, so the rest of a long window is
        # decoded again (the tail pass of whisper_batch) and says it again: once per pass
        assert result.segments and all(s.text == TRANSCRIPT for s in result.segments)
        assert result.language == "en"
        assert result.duration == pytest.approx(len(samples) / 16000)
        words = result.words
        assert [w.text for w in words] == ["hello", "world"] * len(result.segments)
        assert [w.start for w in words] == sorted(w.start for w in words)
        assert all(0.0 <= w.start <= w.end <= result.duration + 0.01 for w in words)
        assert all(0.0 < w.probability <= 1.0 for w in words)


def test_batching_is_decided_by_length_unless_forced(manager: ModelManager, tmp_path: Path) -> None:
    def plan(options: dict[str, str], seconds: float | None) -> bool:
        engine = WhisperEngine(EngineConfig(cache_dir=tmp_path, options=options, models=manager))
        return engine.batching(seconds) is not None

    assert not plan({}, 10.0) and plan({}, 600.0) and plan({}, None)
    assert plan({"batch_threshold": "5"}, 10.0)
    assert plan({"batched": "true"}, 10.0) and not plan({"batched": "false"}, 3600.0)


def test_not_downloaded_offline_is_skipped_with_the_reason(whisper: WhisperEngine) -> None:
    with pytest.raises(
        ModelNotDownloaded,
        match=r"whisper:small is not downloaded \(484 MB\) and offline mode is on .*: run .*mynah models pull whisper:small",
    ):
        whisper.resolve_model("small")
    with pytest.raises(UnknownModel, match="does not know where to fetch"):
        whisper.resolve_model("huge")


def test_the_registry_asks_the_engine_to_resolve(whisper: WhisperEngine) -> None:
    from mynah.engines.registry import EngineRegistry

    registry = EngineRegistry(stt={"whisper": whisper})
    engine, model = registry.find_stt_model(WHISPER)
    assert engine is whisper and model.id == WHISPER
    with pytest.raises(ModelNotDownloaded, match=r"not downloaded .*pull whisper:medium"):
        registry.find_stt_model("whisper:medium")


def test_the_window_handed_to_faster_whisper_is_an_option(manager: ModelManager, tmp_path: Path) -> None:
    engine = WhisperEngine(EngineConfig(cache_dir=tmp_path, options={"window": "60"}, models=manager))
    assert engine.capabilities.max_window_seconds == 60.0
    with pytest.raises(EngineUnavailable, match="window"):
        WhisperEngine(EngineConfig(cache_dir=tmp_path, options={"window": "10"}, models=manager))


def test_hold_keeps_the_model_loaded_for_a_whole_request(
    whisper: WhisperEngine, manager: ModelManager, noise: Samples
) -> None:
    def refs() -> int:
        return sum(m.refs for m in manager.loaded() if m.id == WHISPER)

    with whisper.hold(NAME):
        assert refs() == 1  # loaded and in use before any audio
        assert whisper.transcribe(noise, TranscriptionOptions(model=NAME)).text == TRANSCRIPT
        assert refs() == 1
    assert refs() == 0


def test_words_keep_whispers_pieces_and_the_segment_its_text(whisper: WhisperEngine, noise: Samples) -> None:
    [segment] = whisper.transcribe(noise, TranscriptionOptions(model=NAME)).segments
    assert [(w.text, w.joins_previous) for w in segment.words] == [("hello", False), ("world", False)]
    assert segment.text == TRANSCRIPT


def test_a_corrupt_model_is_engine_unavailable(tmp_path: Path, noise: Samples) -> None:
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, WHISPER)
    model_bin = tmp_path / "models" / "whisper" / NAME / "model.bin"
    size = model_bin.stat().st_size
    model_bin.write_bytes(model_bin.read_bytes()[: size // 2] + b"\0" * (size - size // 2))
    engine = WhisperEngine(EngineConfig(cache_dir=tmp_path, models=manager))
    with (
        pytest.raises(EngineUnavailable, match=f"failed to load from .*/whisper/{NAME}: "),
        engine.hold(NAME),
    ):
        pass  # before any audio
    with pytest.raises(EngineUnavailable, match="failed to load"):
        engine.transcribe(noise, TranscriptionOptions(model=NAME))
    assert engine.models() == []
    with pytest.raises(UnknownModel, match="failed to load"):
        engine.resolve_model(NAME)


def test_the_window_a_language_was_detected_on_is_encoded_once(
    manager: ModelManager, load_audio: Callable[[Path], Samples], speech_dir: Path
) -> None:
    """A request detects its language on its first window and then sends that window to a batch:
    the batch takes the encoding the detection made (one encoder pass, not two), and decodes it
    exactly as it would have from a fresh encoding."""
    from faster_whisper import WhisperModel

    from mynah.engines.whisper_batch import decode_windows, detect_language

    model = WhisperModel(str(manager.model_dir(WHISPER)), device="cpu", compute_type="int8")
    encodings: list[int] = []
    encode = model.encode

    def counted(features: np.ndarray) -> object:
        encodings.append(len(features))
        return encode(features)

    model.encode = counted  # faster-whisper's own encode, counted
    jfk = load_audio(speech_dir / "jfk.flac")
    first, second = jfk[: 16000 * 6], jfk[16000 * 5 :]
    options = TranscriptionOptions(model=NAME, word_timestamps=True)

    fresh = decode_windows(model, [(first, options), (second, options)], beam_size=5, language="en")
    assert len(encodings) == 2
    encodings.clear()
    assert detect_language(model, first)[0] == "en"
    kept = decode_windows(model, [(first, options), (second, options)], beam_size=5, language="en")
    assert len(encodings) == 2  # the detection's, and the second window's: not the first's again
    assert kept == fresh
    encodings.clear()
    again = decode_windows(model, [(first, options)], beam_size=5, language="en")
    assert len(encodings) == 1 and again[0] == fresh[0]  # taken once: a later batch encodes anew


def test_batches_run_on_a_replica_of_their_own_counted_in_the_memory_budget(
    tmp_path: Path, load_audio: Callable[[Path], Samples], speech_dir: Path
) -> None:
    """Sequential calls on two threads, batch calls on one: the batches get a second replica of the
    model on their first call, once, and the model manager counts it."""
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, WHISPER)
    options = {"batched": "true", "cpu_threads": "2", "batch_threads": "1"}
    engine = WhisperEngine(EngineConfig(cache_dir=tmp_path / "w", options=options, models=manager))
    jfk = load_audio(speech_dir / "jfk.flac")
    asked = TranscriptionOptions(model=NAME)

    def held() -> int:
        return {m.id: m.memory_mb for m in manager.loaded()}[WHISPER]

    assert engine.transcribe(jfk[: 16000 * 3], asked).text == TRANSCRIPT  # the sequential replica
    alone = held()
    assert alone > 0
    first = engine.transcribe_batch([(jfk, asked)])
    assert held() == 2 * alone  # the batch replica, counted
    second = engine.transcribe_batch([(jfk, asked)])
    assert held() == 2 * alone and first == second  # made once, and decodes the same
    assert all(s.text == TRANSCRIPT for s in first[0].segments)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux: threads listed in /proc")
def test_the_models_threads_run_at_the_transcription_priority(tmp_path: Path, noise: Samples) -> None:
    """CTranslate2's own threads, started when the model loads, whichever thread loads it, run at
    transcription's priority, below the speech workers' (mynah.priority)."""
    manager = ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models")
    install_tiny(manager, WHISPER)
    engine = WhisperEngine(EngineConfig(cache_dir=tmp_path / "whisper", models=manager))
    before = set(os.listdir("/proc/self/task"))
    engine.preload(NAME)
    started = set(os.listdir("/proc/self/task")) - before
    assert engine.transcribe(noise, TranscriptionOptions(model=NAME)).text == TRANSCRIPT
    python = {str(t.native_id) for t in threading.enumerate()}  # the manager's reaper, say
    started = (started & set(os.listdir("/proc/self/task"))) - python  # CTranslate2's, still there
    assert started, "loading the model started no native thread"
    nicenesses = {os.getpriority(os.PRIO_PROCESS, int(tid)) for tid in started}
    assert nicenesses == {transcription_niceness()}
    assert transcription_niceness() > WORKER_NICENESS
    assert os.getpriority(os.PRIO_PROCESS, 0) < WORKER_NICENESS  # the loading thread kept its own
