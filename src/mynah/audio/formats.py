"""The audio formats mynah reads raw and writes, their media types, file extensions and sample rates.

Everything here is pure lookup and validation, so the server can check a request's `response_format`
and `sample_rate` before any audio is made (a bad value must fail before the first streamed byte).

Formats are named as the OpenAI speech API names them, plus the three headerless ones:

    mp3     MPEG-1/2 layer III stream                     audio/mpeg
    opus    Opus in an Ogg container                      audio/ogg
    aac     AAC-LC in an ADTS stream (not MP4/M4A)        audio/aac
    flac    FLAC stream                                   audio/flac
    wav     RIFF WAVE, 16-bit signed PCM                  audio/wav
    pcm     raw 16-bit signed little-endian, no header    audio/pcm
    mulaw   raw G.711 µ-law bytes, no header              audio/basic
    alaw    raw G.711 A-law bytes, no header              audio/x-alaw-basic
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath

from mynah.errors import UnsupportedFormat


class AudioFormat(StrEnum):
    """An audio format mynah can write (and, for the raw ones, read without a container)."""

    mp3 = "mp3"
    opus = "opus"
    aac = "aac"
    flac = "flac"
    wav = "wav"
    pcm = "pcm"
    mulaw = "mulaw"
    alaw = "alaw"


SAMPLE_RATES: tuple[int, ...] = (8000, 16000, 22050, 24000, 44100, 48000)
"""Every output sample rate mynah offers, for every format."""

RAW_FORMATS: frozenset[AudioFormat] = frozenset({AudioFormat.pcm, AudioFormat.mulaw, AudioFormat.alaw})
"""Formats with no header: a reader must be told the rate (and that the bytes are this format)."""

_MEDIA_TYPES: dict[AudioFormat, str] = {
    AudioFormat.mp3: "audio/mpeg",
    AudioFormat.opus: "audio/ogg",
    AudioFormat.aac: "audio/aac",
    AudioFormat.flac: "audio/flac",
    AudioFormat.wav: "audio/wav",
    AudioFormat.pcm: "audio/pcm",
    AudioFormat.mulaw: "audio/basic",
    AudioFormat.alaw: "audio/x-alaw-basic",
}

_EXTENSIONS: dict[str, AudioFormat] = {
    ".mp3": AudioFormat.mp3,
    ".opus": AudioFormat.opus,
    ".ogg": AudioFormat.opus,
    ".aac": AudioFormat.aac,
    ".flac": AudioFormat.flac,
    ".wav": AudioFormat.wav,
    ".pcm": AudioFormat.pcm,
    ".raw": AudioFormat.pcm,
    ".ulaw": AudioFormat.mulaw,
    ".mulaw": AudioFormat.mulaw,
    ".mu": AudioFormat.mulaw,
    ".alaw": AudioFormat.alaw,
}

_ALIASES: dict[str, AudioFormat] = {"ulaw": AudioFormat.mulaw, "u-law": AudioFormat.mulaw}

_DEFAULT_RATES: dict[AudioFormat, int] = {
    AudioFormat.mulaw: 8000,
    AudioFormat.alaw: 8000,
    AudioFormat.opus: 48000,
}


def media_type(fmt: AudioFormat) -> str:
    """The `Content-Type` for audio in `fmt`."""
    return _MEDIA_TYPES[AudioFormat(fmt)]


def extension(fmt: AudioFormat) -> str:
    """The usual file extension for `fmt`, with its dot (".mp3", ".opus", ".ulaw", ...)."""
    fmt = AudioFormat(fmt)
    return next(ext for ext, f in _EXTENSIONS.items() if f is fmt)


def format_from_path(path: str | PurePath) -> AudioFormat:
    """The format a file name asks for, by its extension (case-insensitive).

    `.m4a` is deliberately not `aac`: mynah writes AAC as a bare ADTS stream, which belongs in `.aac`.
    """
    suffix = PurePath(path).suffix.lower()
    try:
        return _EXTENSIONS[suffix]
    except KeyError:
        valid = ", ".join(_EXTENSIONS)
        shown = f"extension {suffix!r}" if suffix else "no extension"
        raise UnsupportedFormat(f"cannot tell the audio format from {shown}; use one of {valid}") from None


def parse_format(value: str, *, param: str | None = None) -> AudioFormat:
    """The format named by `value` ("mp3", "WAV", "ulaw", ...); `param` names the request field on error."""
    key = value.strip().lower()
    try:
        return _ALIASES.get(key) or AudioFormat(key)
    except ValueError:
        valid = ", ".join(AudioFormat)
        raise UnsupportedFormat(
            f"unsupported audio format {value!r}; use one of {valid}", param=param
        ) from None


def default_sample_rate(fmt: AudioFormat) -> int | None:
    """The rate to write `fmt` at when the caller names none; None means keep the source's rate.

    G.711 (mulaw, alaw) is telephony audio and is 8 kHz by convention; Opus is natively 48 kHz.
    """
    return _DEFAULT_RATES.get(AudioFormat(fmt))


def validate_sample_rate(fmt: AudioFormat, rate: int, *, param: str | None = None) -> None:
    """Raise `UnsupportedFormat` unless `rate` is one of `SAMPLE_RATES` (all of which every format takes)."""
    if isinstance(rate, bool) or not isinstance(rate, int) or rate not in SAMPLE_RATES:
        valid = ", ".join(str(r) for r in SAMPLE_RATES)
        raise UnsupportedFormat(
            f"unsupported sample rate {rate!r} for {AudioFormat(fmt)}; use one of {valid}", param=param
        )
