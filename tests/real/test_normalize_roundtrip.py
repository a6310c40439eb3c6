"""Round trip per language on real weights: espeak-ng speaks the paragraph dense with numbers, dates and
money sentence by sentence, the multilingual whisper:base transcribes it; over the words of the number
and date items, our reading must be heard with fewer errors than the same sentences spoken as written
(bench/normalize_roundtrip.py prints the table, with the language's own cases too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.normalize_roundtrip import PARAGRAPHS, PLAIN_FOLLOWS, VOICES, Ears, measure, paragraph_sentences


@pytest.fixture(scope="module")
def ears(real_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Ears:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(real_cache / "whisper" / "base"), device="cpu", compute_type="int8")
    return Ears(model, tmp_path_factory.mktemp("espeak"))


TESTED = ("de", "es")
"""The languages whisper:base hears espeak-ng well enough in for the comparison to say something (the
bench's control column); each costs about a minute of decoding, so the others are the bench's alone."""


@pytest.mark.parametrize("language", TESTED)
def test_our_reading_of_numbers_is_heard_better_than_the_raw_text(language: str, ears: Ears) -> None:
    paragraph = PARAGRAPHS[language]
    texts = [paragraph[s.tokens[0].start : s.tokens[-1].end] for s in paragraph_sentences(language)]
    result = measure(ears, language, VOICES[language], texts)
    if result.plain_wer > PLAIN_FOLLOWS:
        pytest.skip(
            f"whisper:base does not hear espeak-ng's {language} voice well enough to compare (WER "
            f"{result.plain_wer:.0%} on the words both readings share; number words: ours "
            f"{result.ours.nwer:.0%}, raw {result.raw.nwer:.0%})"
        )
    assert result.items >= 5
    assert result.ours.nwer < result.raw.nwer, (result.ours, result.raw)
