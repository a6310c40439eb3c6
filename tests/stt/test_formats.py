from __future__ import annotations

import pytest

from mynah.errors import UnsupportedFormat
from mynah.stt.formats import TranscriptFormat, parse_transcript_format, render
from mynah.types import Segment, Transcription, Word

T = Transcription(
    segments=(
        Segment(0, 0.0, 1.5, "hello world", (Word("hello", 0.0, 0.6, 0.9), Word("world", 0.7, 1.5, 0.8))),
        Segment(1, 3601.25, 3602.0, "again", (Word("again", 3601.25, 3602.0, 0.5),)),
    ),
    duration=3602.5,
    language="en",
)


def test_srt() -> None:
    assert render(T, TranscriptFormat.srt) == (
        "1\n00:00:00,000 --> 00:00:01,500\nhello world\n\n2\n01:00:01,250 --> 01:00:02,000\nagain\n"
    )


def test_vtt() -> None:
    body = render(T, TranscriptFormat.vtt)
    assert isinstance(body, str)
    assert body.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nhello world\n")


def test_verbose_json_has_openai_fields() -> None:
    body = render(T, TranscriptFormat.verbose_json, granularities=("word", "segment"))
    assert isinstance(body, dict)
    assert body["language"] == "english" and body["text"] == "hello world again"
    assert body["words"][1] == {"word": "world", "start": 0.7, "end": 1.5, "probability": 0.8}
    assert set(body["segments"][0]) >= {"id", "seek", "start", "end", "text", "avg_logprob", "no_speech_prob"}


def test_words_only_when_asked() -> None:
    body = render(T, TranscriptFormat.verbose_json)
    assert isinstance(body, dict) and "words" not in body


def test_unknown_format() -> None:
    with pytest.raises(UnsupportedFormat, match="docx"):
        parse_transcript_format("docx")
