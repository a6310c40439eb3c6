"""Batched Whisper on real weights and real speech: the same words as window-by-window decoding,
word timestamps in order, inside the file and close to the sequential ones for the same words;
requests that share batches get what they get alone; progress and cancellation per request.

The recording is the read speech of ../shared/data joined with 1.5 s gaps (about 80 s: several
30 s windows, so batches really form). Timing lives in bench/stt_batched.py, never here.
"""

from __future__ import annotations

import difflib
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from mynah.audio.decode import decode_audio
from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.cancel import CancelToken, cancellable
from mynah.config import ModelSettings, Settings
from mynah.errors import Cancelled
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions, TranscriptionService
from mynah.types import Word

pytest.importorskip("faster_whisper")

RATE = 16000
NAMES = ["jfk.flac", "forever.wav", "goforward.wav", *(f"ljspeech/LJ001-000{i}.flac" for i in range(1, 9))]


GAP = 1.5
"""Seconds of digital silence between two recordings."""


def joined(speech: Path, names: list[str]) -> bytes:
    return joined_with_gaps(speech, names)[0]


def joined_with_gaps(speech: Path, names: list[str]) -> tuple[bytes, list[tuple[float, float]]]:
    """The recordings one after another, and where each gap of silence between them lies (s)."""
    gap = np.zeros(int(GAP * RATE), np.float32)
    pieces: list[np.ndarray] = []
    gaps: list[tuple[float, float]] = []
    at = 0
    for name in names:
        speech_samples = decode_audio(speech / name, RATE)
        at += len(speech_samples)
        gaps.append((at / RATE, (at + len(gap)) / RATE))
        at += len(gap)
        pieces += [speech_samples, gap]
    return encode_audio(np.concatenate(pieces), RATE, AudioFormat.flac), gaps


def runtime(cache: Path, tmp: Path, batched: str) -> Runtime:
    settings = Settings(
        data_dir=tmp,
        models=ModelSettings(cache_dir=cache, offline=True),
        engines=["whisper"],
        engine_options={"whisper": {"batched": batched, "batch_size": "4"}},
    )
    settings.stt.cache = False
    return Runtime.start(settings)


@pytest.fixture(scope="module")
def services(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, TranscriptionService]:
    return {
        mode: runtime(real_cache, tmp_path_factory.mktemp(f"batched-{mode}"), mode).transcription
        for mode in ("true", "false")
    }


@pytest.fixture(scope="module")
def recording(speech_dir: Path) -> bytes:
    return joined(speech_dir, NAMES)


def plain(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


@pytest.mark.parametrize("model", ["base", "tiny.en"])
def test_batched_gives_the_sequential_words_with_close_timestamps(
    services: dict[str, TranscriptionService], recording: bytes, model: str
) -> None:
    results = {}
    for mode, service in services.items():
        prepared = service.prepare(f"whisper:{model}", TranscribeOptions())
        results[mode] = service.transcribe(recording, prepared).transcription
    batched, sequential = results["true"], results["false"]
    duration = batched.duration
    assert duration > 60
    words = batched.words
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(0.0 <= w.start <= w.end <= duration for w in words)
    assert all(0.0 < w.probability <= 1.0 for w in words)
    assert batched.language == "en" and batched.language_probability is not None

    ours, theirs = [plain(w.text) for w in words], [plain(w.text) for w in sequential.words]
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    assert matcher.ratio() > 0.97, "batched decoding hears the words sequential decoding hears"
    close = [
        abs(a.start - b.start) <= 0.3
        for block in matcher.get_matching_blocks()
        for a, b in zip(
            words[block.a : block.a + block.size],
            sequential.words[block.b : block.b + block.size],
            strict=True,
        )
    ]
    # Alignment times differ word by word between two decodes (sequential's own are sometimes a
    # zero-length word at a segment edge): nine in ten agree within 0.3 s (bench/stt_batched.py
    # gives the distribution).
    assert sum(close) / len(close) >= 0.9


@pytest.mark.parametrize("mode", ["true", "false"])
def test_no_word_is_stretched_over_the_silence_between_two_recordings(
    services: dict[str, TranscriptionService], speech_dir: Path, mode: str
) -> None:
    # Whisper's alignment hands the pause before a word to that word ("eight" after the 1.5 s gap
    # came out 2 s long); the 1.5 s gaps here are digital silence, so where speech is is known.
    recording, gaps = joined_with_gaps(speech_dir, NAMES)
    prepared = services[mode].prepare("whisper:base", TranscribeOptions())
    words = services[mode].transcribe(recording, prepared).transcription.words
    assert len(words) > 150
    # the VAD's regions carry 0.3 s of padding on each side of speech; a word may reach into that
    reach = 0.3 + 0.05
    over = [
        (w.text, w.start, w.end, gap)
        for w in words
        for gap in gaps
        if min(w.end, gap[1] - reach) > max(w.start, gap[0] + reach)
    ]
    assert over == []
    assert [w.start for w in words] == sorted(w.start for w in words)


def test_requests_sharing_batches_get_what_they_get_alone(
    services: dict[str, TranscriptionService], speech_dir: Path
) -> None:
    service = services["true"]
    prepared = service.prepare("whisper:tiny.en", TranscribeOptions())
    files = [joined(speech_dir, NAMES[i:] + NAMES[:i]) for i in (0, 4, 8)]
    alone = [service.transcribe(f, prepared).transcription.text for f in files]
    together: dict[int, str] = {}
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            together[index] = service.transcribe(files[index], prepared).transcription.text
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [together[i] for i in range(len(files))] == alone


def test_progress_runs_to_the_end_and_cancel_stops_a_request(
    services: dict[str, TranscriptionService], recording: bytes
) -> None:
    service = services["true"]
    prepared = service.prepare("whisper:tiny.en", TranscribeOptions())
    seen: list[tuple[float, float]] = []
    result = service.transcribe(recording, prepared, progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == pytest.approx(result.transcription.duration, abs=0.05)

    token = CancelToken()

    def progress(done: float, total: float) -> None:
        if done > 0:
            token.cancel()  # as the server does when the client goes away

    with cancellable(token), pytest.raises(Cancelled):
        service.transcribe(recording, prepared, progress=progress)
    # the service goes on serving, and the cancelled request left nothing queued
    again = service.transcribe(recording, prepared).transcription
    assert again.text == result.transcription.text


def test_words_carry_the_engine_text_in_batched_mode(
    services: dict[str, TranscriptionService], speech_dir: Path
) -> None:
    service = services["true"]
    prepared = service.prepare("whisper:base", TranscribeOptions(language="en"))
    result = service.transcribe(joined(speech_dir, ["jfk.flac"] * 4), prepared).transcription
    # the four copies are each heard (batched decoding may punctuate or slip on a word differently in
    # each: which windows share a batch depends on timing), and the words are the engine's own text
    assert re.sub(r"[^a-z ]", "", result.text.lower()).count("what your country can do for you") >= 3
    assert result.text.lower().count("fellow americans") >= 3
    assert all(isinstance(w, Word) for w in result.words)
    assert " ".join(w.text for w in result.words).split() == result.text.split()


def test_a_window_whisper_leaves_open_is_decoded_to_its_end(
    services: dict[str, TranscriptionService], speech_dir: Path
) -> None:
    # tiny.en ends its decode of this clip open (two timestamps after "of about", 1.4 s before the
    # end): sequential decoding goes on from the last word and hears "1455."; a batch must too.
    clip = (speech_dir / "ljspeech/LJ001-0007.flac").read_bytes()
    heard = {}
    for mode, service in services.items():
        prepared = service.prepare("whisper:tiny.en", TranscribeOptions())
        heard[mode] = [plain(w.text) for w in service.transcribe(clip, prepared).transcription.words]
    assert heard["false"][-3:] == ["of", "about", "1455"]
    assert heard["true"] == heard["false"]
