"""A live decode's words, in stream time: what `TranscriptionStream` keeps of one `transcribe` call.

    words = decoded_words(transcription, offset)   # offset: the stream time the decoded audio starts

Segments Whisper made up over silence are dropped (`hallucinated`); an engine without word times
gives each segment's text as one word, its confidence from the segment's mean log-probability.
"""

from __future__ import annotations

import numpy as np

from mynah.types import Segment, Transcription, Word

__all__ = ["decoded_words", "hallucinated"]


def decoded_words(transcription: Transcription, offset: float) -> list[Word]:
    segments = [s for s in transcription.segments if not hallucinated(s)]
    words = [w for segment in segments for w in segment.words]
    if not words:  # an engine without word times: the segments' text as one word each
        words = [
            Word(s.text, s.start, s.end, 1.0 if s.avg_logprob is None else float(np.exp(s.avg_logprob)))
            for s in segments
            if s.text.strip()
        ]
    return [
        Word(w.text, w.start + offset, w.end + offset, w.probability, w.speaker, w.joins_previous)
        for w in words
    ]


def hallucinated(segment: Segment) -> bool:
    """Whisper's own rule for text made up over silence: likely no speech, and not confident."""
    return (
        segment.no_speech_prob is not None
        and segment.no_speech_prob > 0.6
        and segment.avg_logprob is not None
        and segment.avg_logprob < -1.0
    )
