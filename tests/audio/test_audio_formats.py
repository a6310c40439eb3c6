"""Format names, media types, extensions and sample rates: pure lookups, checked exhaustively."""

from __future__ import annotations

import pytest

from mynah.audio.formats import (
    SAMPLE_RATES,
    AudioFormat,
    default_sample_rate,
    extension,
    format_from_path,
    media_type,
    parse_format,
    validate_sample_rate,
)
from mynah.errors import InvalidRequest, UnsupportedFormat


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (AudioFormat.mp3, "audio/mpeg"),
        (AudioFormat.opus, "audio/ogg"),
        (AudioFormat.aac, "audio/aac"),
        (AudioFormat.flac, "audio/flac"),
        (AudioFormat.wav, "audio/wav"),
        (AudioFormat.pcm, "audio/pcm"),
        (AudioFormat.mulaw, "audio/basic"),
        (AudioFormat.alaw, "audio/x-alaw-basic"),
    ],
)
def test_media_type(fmt: AudioFormat, expected: str) -> None:
    assert media_type(fmt) == expected


def test_every_format_has_a_media_type_and_extension() -> None:
    for fmt in AudioFormat:
        assert media_type(fmt).startswith("audio/")
        assert format_from_path(f"speech{extension(fmt)}") is fmt


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.mp3", AudioFormat.mp3),
        ("a.opus", AudioFormat.opus),
        ("a.ogg", AudioFormat.opus),
        ("a.aac", AudioFormat.aac),
        ("a.flac", AudioFormat.flac),
        ("dir.d/a.wav", AudioFormat.wav),
        ("a.pcm", AudioFormat.pcm),
        ("a.raw", AudioFormat.pcm),
        ("a.ulaw", AudioFormat.mulaw),
        ("a.mulaw", AudioFormat.mulaw),
        ("a.mu", AudioFormat.mulaw),
        ("a.alaw", AudioFormat.alaw),
        ("LOUD.MP3", AudioFormat.mp3),
        ("archive.tar.flac", AudioFormat.flac),
    ],
)
def test_format_from_path(path: str, expected: AudioFormat) -> None:
    assert format_from_path(path) is expected


@pytest.mark.parametrize("path", ["speech.m4a", "speech.txt", "speech", "speech.wav.bak"])
def test_format_from_path_rejects_unknown_extensions(path: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        format_from_path(path)
    message = str(caught.value)
    assert ".mp3" in message and ".alaw" in message
    assert (path.rpartition(".")[2] in message) if "." in path else "no extension" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *((f.value, f) for f in AudioFormat),
        ("MP3", AudioFormat.mp3),
        (" wav ", AudioFormat.wav),
        ("ulaw", AudioFormat.mulaw),
    ],
)
def test_parse_format(value: str, expected: AudioFormat) -> None:
    assert parse_format(value) is expected


@pytest.mark.parametrize("value", ["", "ogg", "m4a", "vorbis", "pcm_s16le"])
def test_parse_format_rejects_unknown_names(value: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        parse_format(value, param="response_format")
    assert caught.value.param == "response_format"
    assert isinstance(caught.value, InvalidRequest)
    assert "mp3, opus, aac, flac, wav, pcm, mulaw, alaw" in str(caught.value)


def test_default_sample_rates() -> None:
    assert default_sample_rate(AudioFormat.mulaw) == 8000
    assert default_sample_rate(AudioFormat.alaw) == 8000
    assert default_sample_rate(AudioFormat.opus) == 48000
    for fmt in (AudioFormat.mp3, AudioFormat.aac, AudioFormat.flac, AudioFormat.wav, AudioFormat.pcm):
        assert default_sample_rate(fmt) is None


@pytest.mark.parametrize("fmt", list(AudioFormat))
def test_every_format_takes_every_listed_rate(fmt: AudioFormat) -> None:
    for rate in SAMPLE_RATES:
        validate_sample_rate(fmt, rate)


@pytest.mark.parametrize("rate", [0, -16000, 11025, 12000, 32000, 96000, True])
def test_validate_sample_rate_rejects_other_rates(rate: int) -> None:
    with pytest.raises(UnsupportedFormat, match="8000, 16000, 22050, 24000, 44100, 48000"):
        validate_sample_rate(AudioFormat.wav, rate, param="sample_rate")
