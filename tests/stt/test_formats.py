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


def _piece(text: str, start: float, end: float) -> Word:
    """A Whisper-style word piece: a leading space starts a word, none continues the previous one."""
    return Word(text.strip(), start, end, 0.9, joins_previous=not text.startswith(" "))


PIECES = Transcription(
    segments=(
        Segment(
            0,
            0.0,
            2.0,
            "It cost $1.5 million.",
            tuple(
                _piece(t, i * 0.3, i * 0.3 + 0.25)
                for i, t in enumerate([" It", " cost", " $1", ".5", " million."])
            ),
        ),
        Segment(
            1,
            2.5,
            4.0,
            "About 95% were ill-disposed.",
            tuple(
                _piece(t, 2.5 + i * 0.3, 2.75 + i * 0.3)
                for i, t in enumerate([" About", " 95", "%", " were", " ill", "-disposed."])
            ),
        ),
    ),
    duration=4.0,
    language="en",
)
PIECES_TEXT = "It cost $1.5 million. About 95% were ill-disposed."


def test_every_shape_carries_the_engines_text_not_words_glued_with_spaces() -> None:
    from mynah.stt.diarize import assign_speakers
    from mynah.stt.diarize.base import SpeakerTurn
    from mynah.stt.formats import pulse_json, whisperapi_json

    assert PIECES.text == PIECES_TEXT
    assert [w.text for w in PIECES.words] == ["It", "cost", "$1", ".5", "million.", "About", "95", "%",
                                              "were", "ill", "-disposed."]  # fmt: skip
    json_body = render(PIECES, TranscriptFormat.json)
    verbose = render(PIECES, TranscriptFormat.verbose_json, granularities=("word", "segment"))
    assert isinstance(json_body, dict) and isinstance(verbose, dict)
    assert json_body["text"] == verbose["text"] == PIECES_TEXT
    assert " ".join(s["text"] for s in verbose["segments"]) == PIECES_TEXT
    assert render(PIECES, TranscriptFormat.text) == PIECES_TEXT + "\n"
    for fmt in (TranscriptFormat.srt, TranscriptFormat.vtt):
        cues = str(render(PIECES, fmt)).split("\n\n")
        assert [c.splitlines()[-1] for c in cues if "-->" in c] == [s.text for s in PIECES.segments]
    diarized = assign_speakers(PIECES, [SpeakerTurn(0.0, 1.0, "A"), SpeakerTurn(1.0, 4.0, "B")])
    assert diarized.text == PIECES_TEXT
    body = render(diarized, TranscriptFormat.diarized_json)
    assert isinstance(body, dict) and body["text"] == PIECES_TEXT
    assert " ".join(s["text"] for s in body["segments"]) == PIECES_TEXT
    pulse = pulse_json(diarized, word_timestamps=True)
    assert pulse["transcription"] == PIECES_TEXT
    assert " ".join(u["text"] for u in pulse["utterances"]) == PIECES_TEXT
    assert [w["word"] for w in pulse["words"]] == [w.text for w in PIECES.words]
    whisperapi = whisperapi_json(diarized, diarized=True)
    assert whisperapi["text"] == PIECES_TEXT
    assert " ".join(s["text"] for s in whisperapi["segments"]) == PIECES_TEXT
