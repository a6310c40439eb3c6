"""Round trip per language on real weights: espeak-ng speaks a paragraph dense with numbers, dates and
money, the multilingual whisper:base transcribes it; our reading must be understood better than the
same paragraph spoken as written (bench/normalize_roundtrip.py prints the WERs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.normalize_roundtrip import FOLLOWS, PARAGRAPHS, round_trip


@pytest.fixture(scope="module")
def whisper_base(real_cache: Path) -> object:
    from faster_whisper import WhisperModel

    return WhisperModel(str(real_cache / "whisper" / "base"), device="cpu", compute_type="int8")


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_our_reading_is_understood_better_than_the_raw_text(
    language: str, real_cache: Path, whisper_base: object, tmp_path: Path
) -> None:
    result = round_trip(language, real_cache / "whisper" / "base", tmp_path, whisper_base)
    if result.wer_ours >= FOLLOWS:
        pytest.skip(
            f"whisper:base does not follow espeak-ng's {language} voice well enough to compare "
            f"(WER {result.wer_ours:.0%} on our reading, {result.wer_raw:.0%} on the raw text)"
        )
    assert result.wer_ours < result.wer_raw, result
