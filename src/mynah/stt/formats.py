"""Render a Transcription as json, text, verbose_json (OpenAI's schema), srt or vtt."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Any

from mynah.errors import UnsupportedFormat
from mynah.stt.diarize import utterances
from mynah.types import Segment, Transcription, Word


class TranscriptFormat(StrEnum):
    json = "json"
    text = "text"
    verbose_json = "verbose_json"
    diarized_json = "diarized_json"
    srt = "srt"
    vtt = "vtt"


MEDIA_TYPES = {
    TranscriptFormat.json: "application/json",
    TranscriptFormat.verbose_json: "application/json",
    TranscriptFormat.diarized_json: "application/json",
    TranscriptFormat.text: "text/plain; charset=utf-8",
    TranscriptFormat.srt: "application/x-subrip; charset=utf-8",
    TranscriptFormat.vtt: "text/vtt; charset=utf-8",
}

# OpenAI's verbose_json names the language in English words, as Whisper does.
_LANGUAGE_NAMES = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian", "pt": "portuguese",
    "nl": "dutch", "ru": "russian", "zh": "chinese", "ja": "japanese", "ko": "korean", "ar": "arabic",
    "hi": "hindi", "pl": "polish", "tr": "turkish", "sv": "swedish", "uk": "ukrainian", "cs": "czech",
}  # fmt: skip


def parse_transcript_format(value: str | None) -> TranscriptFormat:
    try:
        return TranscriptFormat((value or "json").strip().lower())
    except ValueError:
        raise UnsupportedFormat(
            f"unknown response_format {value!r}; use one of {', '.join(f.value for f in TranscriptFormat)}",
            param="response_format",
        ) from None


def language_name(code: str | None) -> str:
    if not code:
        return "unknown"
    base = code.split("-")[0].lower()
    return _LANGUAGE_NAMES.get(base, base)


def verbose_json(
    transcription: Transcription,
    *,
    granularities: Collection[str] = ("segment",),
    task: str = "transcribe",
    low_confidence: float = 0.0,
) -> dict[str, Any]:
    """OpenAI's verbose_json, plus `probability` (and `low_confidence`, `speaker` when they apply) on
    words, `speaker` on segments, and `language_probability` when the engine detected the language."""
    body: dict[str, Any] = {
        "task": task,
        "language": language_name(transcription.language),
        "duration": round(transcription.duration, 3),
        "text": transcription.text,
    }
    if transcription.language_probability is not None:
        body["language_probability"] = round(transcription.language_probability, 4)
    if "segment" in granularities or not granularities:
        body["segments"] = [_segment_json(s) for s in transcription.segments]
    if "word" in granularities:
        body["words"] = [word_json(w, low_confidence) for w in transcription.words]
    return body


def word_json(word: Word, low_confidence: float = 0.0, *, name: str = "word") -> dict[str, Any]:
    body: dict[str, Any] = {
        name: word.text,
        "start": round(word.start, 3),
        "end": round(word.end, 3),
        "probability": round(word.probability, 4),
    }
    if word.probability < low_confidence:
        body["low_confidence"] = True
    if word.speaker is not None:
        body["speaker"] = word.speaker
    return body


def diarized_json(transcription: Transcription, *, task: str = "transcribe") -> dict[str, Any]:
    """OpenAI's diarized_json: one segment per speaker turn."""
    return {
        "task": task,
        "duration": round(transcription.duration, 3),
        "text": transcription.text,
        "segments": [
            {
                "type": "transcript.text.segment",
                "id": f"seg_{i}",
                "start": round(u.start, 3),
                "end": round(u.end, 3),
                "text": u.text,
                "speaker": u.speaker or "SPEAKER_0",
            }
            for i, u in enumerate(utterances(transcription))
        ],
    }


def _segment_json(segment: Segment) -> dict[str, Any]:
    body = {
        "id": segment.id,
        "seek": 0,
        "start": round(segment.start, 3),
        "end": round(segment.end, 3),
        "text": segment.text,
        "tokens": [],
        "temperature": 0.0,
        "avg_logprob": segment.avg_logprob if segment.avg_logprob is not None else 0.0,
        "compression_ratio": 0.0,
        "no_speech_prob": segment.no_speech_prob if segment.no_speech_prob is not None else 0.0,
    }
    if segment.speaker is not None:
        body["speaker"] = segment.speaker
    return body


def subtitles(transcription: Transcription, fmt: TranscriptFormat) -> str:
    """SRT or WebVTT: one cue per segment, numbered from 1 (SRT), with the speaker when diarized
    (`[SPEAKER_0] text` in SRT, a `<v SPEAKER_0>` voice span in WebVTT)."""
    vtt = fmt is TranscriptFormat.vtt
    lines = ["WEBVTT", ""] if vtt else []
    number = 0
    for segment in transcription.segments:
        text = segment.text.strip()
        if not text:
            continue
        number += 1
        if segment.speaker is not None:
            text = f"<v {segment.speaker}>{text}" if vtt else f"[{segment.speaker}] {text}"
        if not vtt:
            lines.append(str(number))
        lines.append(f"{_timestamp(segment.start, vtt)} --> {_timestamp(segment.end, vtt)}")
        lines.append(text)
        lines.append("")
    return "\n".join(lines)


def _timestamp(seconds: float, vtt: bool) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    sep = "." if vtt else ","
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def render(
    transcription: Transcription,
    fmt: TranscriptFormat,
    *,
    granularities: Collection[str] = ("segment",),
    task: str = "transcribe",
    low_confidence: float = 0.0,
) -> str | dict[str, Any]:
    """The response body: a dict for the JSON formats, a string otherwise."""
    if fmt is TranscriptFormat.json:
        return {"text": transcription.text}
    if fmt is TranscriptFormat.verbose_json:
        return verbose_json(
            transcription, granularities=granularities, task=task, low_confidence=low_confidence
        )
    if fmt is TranscriptFormat.diarized_json:
        return diarized_json(transcription, task=task)
    if fmt is TranscriptFormat.text:
        return transcription.text + "\n"
    return subtitles(transcription, fmt)


# --------------------------------------------------------------------------- hosted APIs' shapes


def pulse_json(
    transcription: Transcription, *, word_timestamps: bool, low_confidence: float = 0.0
) -> dict[str, Any]:
    """The shape of Pulse-style `get_text` responses: transcription, words, utterances, metadata."""
    body: dict[str, Any] = {
        "status": "success",
        "transcription": transcription.text,
        "language": transcription.language or "unknown",
        "metadata": {
            "duration": round(transcription.duration, 3),
            "language_probability": transcription.language_probability,
            "words": len(transcription.words),
        },
    }
    if word_timestamps:
        words = []
        for w in transcription.words:
            item = word_json(w, low_confidence)
            item["confidence"] = item.pop("probability")
            words.append(item)
        body["words"] = words
        body["utterances"] = [
            {"text": u.text, "start": round(u.start, 3), "end": round(u.end, 3), "speaker": u.speaker}
            for u in utterances(transcription)
        ]
    return body


def whisperapi_json(transcription: Transcription, *, diarized: bool) -> dict[str, Any]:
    """The shape of WhisperAPI-style form responses: text, language, segments (with speakers and
    `whole_word_timestamps`), and with diarization the speaker turns as `diarization`."""
    segments = [
        {
            "start": round(s.start, 3),
            "end": round(s.end, 3),
            "text": s.text,
            **({"speaker": s.speaker} if diarized else {}),
            "whole_word_timestamps": [
                {
                    "word": w.text,
                    "start": round(w.start, 3),
                    "end": round(w.end, 3),
                    "timestamp": round(w.start, 3),
                    "probability": round(w.probability, 4),
                }
                for w in s.words
            ],
        }
        for s in transcription.segments
    ]
    body: dict[str, Any] = {
        "text": transcription.text,
        "language": transcription.language or "unknown",
        "duration": round(transcription.duration, 3),
        "segments": segments,
    }
    if diarized:
        body["diarization"] = [
            {"startTime": round(u.start, 3), "stopTime": round(u.end, 3), "speaker": u.speaker}
            for u in utterances(transcription)
        ]
    return body
