"""Encoding mynah's audio (mono float32 in [-1, 1]) into the formats of `mynah.audio.formats`.

Two encoders, one interface (`AudioEncoder`: `write(samples) -> bytes`, `close() -> bytes`):

- `StreamingEncoder`, for streamed responses: every `write` returns the encoded bytes that are ready,
  so the first audio leaves while the rest is still being synthesised;
- `FileEncoder`, for whole files (a response body sent at once, a file on disk): the audio goes into a
  seekable file, and `close` finishes it with exact headers. `encode_audio` is its one-shot form.

Both run FFmpeg's muxers through PyAV. The difference is seeking: a file encoder writes into a seekable
file, so the muxer goes back and fills in what it only knows at the end (WAV sizes,
the FLAC STREAMINFO sample count and MD5, the MP3 Xing/LAME tag that tells decoders the encoder delay
and padding). A stream cannot go back, so:

- streamed WAV has 0xFFFFFFFF in its RIFF and data sizes, as streaming WAV servers send; FFmpeg and
  browsers read such files to their end;
- streamed MP3 has no LAME tag, so decoders play the codec delay (576 + 529 samples) and the padding
  to a whole frame as extra silence: 1216 to 1980 samples measured, about 45 ms at 44.1 kHz and
  150 ms at 8 kHz;
- streamed FLAC leaves the STREAMINFO total at 0 ("unknown"), which the format allows.

AAC in ADTS has nowhere to record its priming, in either mode: decoders play 1024 samples of extra
silence at the start, and the end is padded to a whole 1024-sample frame.

Opus only runs at 8, 12, 16, 24 or 48 kHz; asked for 22050 or 44100 Hz it encodes at 48 kHz (every Opus
decoder outputs 48 kHz anyway; the rate in the Ogg header is informational). Ogg pages are cut every
100 ms rather than FFmpeg's default second, so streamed Opus comes out in tenths of a second.

Output is bit-exact (FFmpeg's `bitexact` flag): no encoder-version tags, so equal input gives equal bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import BinaryIO, Protocol, cast

import av
import numpy as np
from av.audio.stream import AudioStream
from av.container import OutputContainer

from mynah.audio.formats import AudioFormat, default_sample_rate, media_type, validate_sample_rate
from mynah.errors import UnsupportedFormat
from mynah.types import Samples

__all__ = [
    "OPUS_RATES",
    "AudioEncoder",
    "FileEncoder",
    "StreamingEncoder",
    "codec_rate",
    "encode_audio",
    "output_rate",
]

OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


@dataclass(frozen=True)
class _Recipe:
    """How FFmpeg writes one format: muxer, encoder, the encoder's sample format, muxer options."""

    muxer: str
    codec: str
    sample_format: str
    options: dict[str, str] = field(default_factory=dict)


# `bitexact` for the muxer and the encoder: no "Lavf"/"Lavc" version strings in the output.
# `flush_packets`: hand every packet to the sink at once. FFmpeg writes through a 32 KiB I/O buffer and,
# depending on its version, flushes it only when full; a stream must not hold back 32 KiB of audio.
_CONTAINER_OPTIONS = {"fflags": "+bitexact", "flush_packets": "1"}
_CODEC_OPTIONS = {"flags": "+bitexact"}

_RECIPES: dict[AudioFormat, _Recipe] = {
    # No ID3v2 tag: a bare MPEG audio stream, as streaming clients expect.
    AudioFormat.mp3: _Recipe("mp3", "libmp3lame", "fltp", {"id3v2_version": "0"}),
    AudioFormat.opus: _Recipe("ogg", "libopus", "flt", {"page_duration": "100000"}),
    AudioFormat.aac: _Recipe("adts", "aac", "fltp"),
    # No 8 KiB padding block (room for later tag edits): it would only delay a stream's first audio.
    AudioFormat.flac: _Recipe("flac", "flac", "s16", {"metadata_header_padding": "0"}),
    AudioFormat.wav: _Recipe("wav", "pcm_s16le", "s16"),
    AudioFormat.pcm: _Recipe("s16le", "pcm_s16le", "s16"),
    AudioFormat.mulaw: _Recipe("mulaw", "pcm_mulaw", "s16"),
    AudioFormat.alaw: _Recipe("alaw", "pcm_alaw", "s16"),
}


def output_rate(fmt: AudioFormat, sample_rate: int | None, input_rate: int) -> int:
    """The rate audio in `fmt` is delivered at: the one asked for, else the format's default, else the
    input's own. It is validated against `SAMPLE_RATES` (raises `UnsupportedFormat`)."""
    rate = sample_rate or default_sample_rate(fmt) or input_rate
    validate_sample_rate(fmt, rate, param="sample_rate")
    return rate


def codec_rate(fmt: AudioFormat, rate: int) -> int:
    """The rate the encoder runs at to deliver `rate`: the same, except Opus off its native rates (48 kHz)."""
    if fmt is AudioFormat.opus and rate not in OPUS_RATES:
        return 48000
    return rate


class AudioEncoder(Protocol):
    """Encodes mono float32 audio as it arrives. `write` and `close` return the bytes ready for the
    caller to send (an encoder writing into a file of its own returns b"")."""

    @property
    def format(self) -> AudioFormat: ...

    @property
    def sample_rate(self) -> int: ...

    @property
    def encoded_rate(self) -> int: ...

    @property
    def media_type(self) -> str: ...

    def write(self, samples: Samples) -> bytes: ...

    def close(self) -> bytes: ...


class _Encoder:
    """What both encoders share: one `_Muxer`, and what it was asked to deliver."""

    _muxer: _Muxer

    @property
    def format(self) -> AudioFormat:
        return self._muxer.fmt

    @property
    def sample_rate(self) -> int:
        """The rate that was asked for (or the default): what the audio is resampled to."""
        return self._muxer.rate

    @property
    def encoded_rate(self) -> int:
        """The rate in the encoded stream, what a decoder gives back: `sample_rate`, except Opus off its
        native rates (48 kHz)."""
        return codec_rate(self._muxer.fmt, self._muxer.rate)

    @property
    def media_type(self) -> str:
        return media_type(self._muxer.fmt)


class StreamingEncoder(_Encoder):
    """Encodes audio as it arrives, returning the bytes that are ready after each `write`.

    `fmt` and `sample_rate` are the output's (None: the format's default rate, else `input_rate`);
    `input_rate` is the rate of the samples given to `write`, which are resampled as needed. Both are
    checked here, before any audio, so a bad request fails before a response starts.

    Call `close` once at the end for the tail (encoder flush, trailer). Wav, pcm, mulaw and alaw come
    out with every write (FFmpeg flushes its 32 KiB I/O buffer after every packet, because the sink
    cannot seek), held back only by the resampler's few samples of filter delay; FLAC holds back at
    most one block; mp3 and aac hold back their lookahead and Opus its unfinished 100 ms Ogg page
    (measured: under 0.3 s in all, the most for mp3 at 8 kHz).
    """

    def __init__(
        self,
        fmt: AudioFormat,
        sample_rate: int | None = None,
        *,
        input_rate: int,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        self._sink = _ChunkSink()
        self._muxer = _Muxer(fmt, sample_rate, input_rate, self._sink, metadata)

    def write(self, samples: Samples) -> bytes:
        """Encode `samples` (mono float32 at `input_rate`); returns the bytes ready so far, maybe b""."""
        self._muxer.write(samples)
        return self._sink.take()

    def close(self) -> bytes:
        """Flush the encoder and finish the stream; returns the last bytes. Further calls return b""."""
        self._muxer.close()
        return self._sink.take()


class FileEncoder(_Encoder):
    """Encodes audio as it arrives into `file` (binary, writable, seekable); `close` finishes the file
    with exact headers (WAV sizes, FLAC sample count and MD5, the MP3 LAME tag). `write` and `close`
    return b"": the bytes are in the file. Arguments as `StreamingEncoder`'s."""

    def __init__(
        self,
        fmt: AudioFormat,
        sample_rate: int | None = None,
        *,
        input_rate: int,
        file: BinaryIO,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        self._muxer = _Muxer(fmt, sample_rate, input_rate, file, metadata)

    def write(self, samples: Samples) -> bytes:
        self._muxer.write(samples)
        return b""

    def close(self) -> bytes:
        self._muxer.close()
        return b""


def encode_audio(
    samples: Samples,
    input_rate: int,
    fmt: AudioFormat,
    sample_rate: int | None = None,
    *,
    metadata: Mapping[str, str] | None = None,
) -> bytes:
    """`samples` (mono float32 at `input_rate`) as a complete file in `fmt` at `sample_rate`.

    Unlike a stream, the result has exact headers: WAV sizes, FLAC sample count and MD5, and an MP3
    LAME tag so decoders trim the encoder delay and give back exactly the input's duration.
    """
    buffer = io.BytesIO()
    encoder = FileEncoder(fmt, sample_rate, input_rate=input_rate, file=buffer, metadata=metadata)
    encoder.write(samples)
    encoder.close()
    return buffer.getvalue()


class _Muxer:
    """One PyAV output container with one mono audio stream, fed float32 frames at `input_rate`."""

    def __init__(
        self,
        fmt: AudioFormat,
        sample_rate: int | None,
        input_rate: int,
        sink: BinaryIO | _ChunkSink,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        try:
            self.fmt = AudioFormat(fmt)
        except ValueError:
            raise UnsupportedFormat(f"cannot encode audio as {fmt!r}", param="response_format") from None
        if input_rate <= 0:
            raise ValueError(f"input_rate must be positive, got {input_rate}")
        self.rate = output_rate(self.fmt, sample_rate, input_rate)
        self.input_rate = input_rate
        self._time_base = Fraction(1, input_rate)
        self._pts = 0
        self._closed = False

        recipe = _RECIPES[self.fmt]
        options = {**_CONTAINER_OPTIONS, **recipe.options}
        if metadata and self.fmt is AudioFormat.mp3:
            options["id3v2_version"] = "4"  # tags asked for (a disclosure): an ID3v2 header carries them
        self._container: OutputContainer = av.open(sink, "w", format=recipe.muxer, options=options)
        if metadata:
            self._container.metadata.update(metadata)
        rate = codec_rate(self.fmt, self.rate)
        stream = cast(AudioStream, self._container.add_stream(recipe.codec, rate, options=_CODEC_OPTIONS))
        stream.codec_context.layout = "mono"
        stream.codec_context.format = recipe.sample_format
        self._stream = stream

    def write(self, samples: Samples) -> None:
        if self._closed:
            raise RuntimeError("write() after close()")
        mono = np.ascontiguousarray(samples, dtype=np.float32)
        if mono.ndim != 1:
            raise ValueError(f"expected mono audio as a 1-D array, got shape {mono.shape}")
        if len(mono) == 0:
            return
        frame = av.AudioFrame.from_ndarray(mono[np.newaxis, :], format="flt", layout="mono")
        frame.sample_rate = self.input_rate
        frame.time_base = self._time_base
        frame.pts = self._pts
        self._pts += len(mono)
        # The stream's own resampler converts rate and sample format and cuts the encoder's frame size.
        self._container.mux(self._stream.encode(frame))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._container.mux(self._stream.encode(None))
        self._container.close()


class _ChunkSink:
    """A write-only, unseekable file for FFmpeg: collects what the muxer writes until `take`n.

    Having no `seek`, it tells FFmpeg the output is a stream, so muxers write streaming headers and
    flush after every packet instead of going back to patch the start.
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data
