"""Accuracy with real Whisper weights: mynah's pipeline against faster-whisper called directly.

The read speech of ../shared/data (jfk, goforward, forever, the five cards, the eight LJSpeech clips),
whole files. Direct: `WhisperModel(model dir, int8).transcribe(path, beam_size=5,
word_timestamps=True)`, the library on its own. Through mynah: `TranscriptionService` with the same
model, decoding options and word timestamps (its defaults), VAD and windows included. Corpus WER by
jiwer after Whisper's English normaliser on both sides. whisper:base must reach 10 % and neither
model may do worse through mynah than on its own (bench/stt_whisper.py measures the same, with times).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jiwer
import pytest
from whisper_normalizer.english import EnglishTextNormalizer

from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions


def read_speech(speech: Path) -> list[tuple[Path, str]]:
    """(recording, human transcript) for every read-speech file of the shared data."""
    found = [
        (
            speech / "jfk.flac",
            "And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.",
        ),
        (speech / "goforward.wav", "go forward ten meters"),
        (speech / "forever.wav", "feels like these days go on forever"),
    ]
    for line in (speech / "cards" / "cards.transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((\w+)\)", line.strip())
        if match:
            found.append((speech / "cards" / f"{match.group(2)}.wav", match.group(1).strip()))
    for line in (speech / "ljspeech" / "transcripts.txt").read_text().splitlines():
        name, _, text = line.partition("|")
        found.append((speech / "ljspeech" / name.replace(".wav", ".flac"), text.strip()))
    assert len(found) == 16 and all(path.exists() for path, _ in found)
    return found


def corpus_wer(references: list[str], hypotheses: list[str]) -> float:
    normalise = EnglishTextNormalizer()
    return float(
        jiwer.wer([normalise(r) for r in references], [normalise(h) or "<empty>" for h in hypotheses])
    )


@pytest.mark.parametrize(("model", "ceiling"), [("base", 0.10), ("tiny.en", None)])
def test_whisper_through_mynah_is_no_worse_than_faster_whisper_alone(
    real_cache: Path, speech_dir: Path, tmp_path: Path, model: str, ceiling: float | None
) -> None:
    from faster_whisper import WhisperModel

    corpus = read_speech(speech_dir)
    references = [text for _, text in corpus]
    direct_model = WhisperModel(
        str(real_cache / "whisper" / model),
        device="cpu",
        compute_type="int8",
        cpu_threads=os.cpu_count() or 1,
        local_files_only=True,
    )
    direct = []
    for path, _ in corpus:
        segments, _ = direct_model.transcribe(str(path), beam_size=5, word_timestamps=True)
        direct.append("".join(s.text for s in segments))
    del direct_model
    settings = Settings(data_dir=tmp_path, models=ModelSettings(cache_dir=real_cache, offline=True))
    settings.stt.cache = False
    service = Runtime.start(settings).transcription
    prepared = service.prepare(f"whisper:{model}", TranscribeOptions())
    assert prepared.options.word_timestamps
    mynah = [service.transcribe(path, prepared).transcription.text for path, _ in corpus]
    direct_wer, mynah_wer = corpus_wer(references, direct), corpus_wer(references, mynah)
    differing = [(d, m) for d, m in zip(direct, mynah, strict=True) if d.strip() != m.strip()]
    assert mynah_wer <= direct_wer + 1e-9, (mynah_wer, direct_wer, differing)
    if ceiling is not None:
        assert mynah_wer <= ceiling, mynah_wer
