"""Decoding uploads into mynah's audio: mono float32 numpy in [-1, 1], at the rate the caller needs.

Anything FFmpeg reads is accepted (wav, flac, mp3, ogg/opus, m4a/aac, webm, video files with an audio
track, ...); the first audio stream is used. Raw pcm/mulaw/alaw have no header, so the caller names them
with `raw_format` and `raw_rate`.

Decoding streams: packets are decoded one at a time and pushed through a libswresample resampler, and
`iter_decode` hands out blocks of `block_seconds`, so an hour-long file costs one block of memory (plus
the input itself when it arrives as bytes).
`open_audio` opens an input once and gives its header (`info`) and then its one decoding pass
(`blocks`, mono or channel by channel), for callers that need both (transcription: the duration for
progress, the channels for diarization) without opening or decoding the input twice.

Failures are always `mynah.errors` exceptions, never `av.error.*` or `ValueError`:

- `InvalidAudio` - the input is empty, not audio, has no audio track, or yields no samples at all;
- `PayloadTooLarge` - the audio is longer than `max_seconds`, judged first from the container's stated
  duration (when it has one) and then by counting decoded samples, so a lying header cannot get past.

Damage is treated like the `ffmpeg` command line treats it: a packet the decoder rejects is skipped and
a demuxer error ends the input early; whatever decoded is returned (and logged), and only an input that
yields no samples at all is an error.
"""

from __future__ import annotations

import io
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import av
import av.error
import numpy as np
import numpy.typing as npt
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.audio.stream import AudioStream
from av.container import InputContainer

from mynah.audio.formats import RAW_FORMATS, AudioFormat, default_sample_rate
from mynah.errors import InvalidAudio, InvalidRequest, PayloadTooLarge
from mynah.types import Samples

__all__ = [
    "AudioInfo",
    "AudioSource",
    "OpenedAudio",
    "decode_audio",
    "decode_channels",
    "iter_decode",
    "open_audio",
    "probe",
]

log = logging.getLogger(__name__)

AudioSource = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO
"""Encoded audio: the bytes themselves, a path to a file, or a binary file object open for reading."""

_RAW_DEMUXERS: dict[AudioFormat, str] = {
    AudioFormat.pcm: "s16le",
    AudioFormat.mulaw: "mulaw",
    AudioFormat.alaw: "alaw",
}

# A container's stated duration is an estimate (from the bitrate, for an mp3 without a Xing header), so
# the up-front check only rejects inputs clearly over the limit; the sample count catches the rest.
_DURATION_SLACK = 1.1

# Mixing down, scale the channel matrix so no output exceeds the loudest input: stereo becomes
# (L + R) / 2. libswresample's default keeps unity gain per channel (L + R) * 0.707, which clips.
_SWR_OPTIONS = {"rematrix_maxval": "1.0"}


@dataclass(frozen=True)
class AudioInfo:
    """What a container says about its first audio stream, read without decoding it.

    `duration` is in seconds and None when the container does not say (a streamed FLAC, for one);
    `codec` and `container` are FFmpeg's names ("mp3", "opus", "pcm_s16le"; "wav", "ogg",
    "mov,mp4,m4a,3gp,3g2,mj2").
    """

    duration: float | None
    sample_rate: int
    channels: int
    codec: str
    container: str


def probe(
    source: AudioSource, *, raw_format: AudioFormat | None = None, raw_rate: int | None = None
) -> AudioInfo:
    """Read the header of `source` and describe its first audio stream, for cheap checks before decoding."""
    with _open_input(source, raw_format, raw_rate) as container:
        stream = _audio_stream(container)
        ctx = stream.codec_context
        return AudioInfo(
            duration=_stated_duration(container, stream),
            sample_rate=int(ctx.sample_rate),
            channels=int(ctx.channels),
            codec=ctx.name,
            container=container.format.name,
        )


def decode_audio(
    source: AudioSource,
    sample_rate: int,
    *,
    max_seconds: float | None = None,
    raw_format: AudioFormat | None = None,
    raw_rate: int | None = None,
) -> Samples:
    """All of `source` as mono float32 at `sample_rate`. See `iter_decode` for the arguments and errors."""
    rows = _iter_rows(source, sample_rate, "mono", max_seconds, raw_format, raw_rate)
    return np.concatenate([row[0] for row in rows])


def iter_decode(
    source: AudioSource,
    sample_rate: int,
    *,
    block_seconds: float = 30.0,
    max_seconds: float | None = None,
    raw_format: AudioFormat | None = None,
    raw_rate: int | None = None,
) -> Iterator[Samples]:
    """Decode `source` to mono float32 at `sample_rate`, yielding blocks of `block_seconds` (the last
    one shorter). Channels are mixed down to mono.

    The input is opened, and its stated duration checked against `max_seconds`, before this returns,
    so an unreadable or clearly too long upload fails at the call; damage found later, or a duration
    the header understated, raises from the iteration. At least one non-empty block is yielded or
    `InvalidAudio` is raised.

    For raw input give `raw_format` (pcm = s16le, mulaw, alaw) and `raw_rate` (mulaw and alaw default
    to 8000 Hz).
    """
    if block_seconds <= 0:
        raise ValueError(f"block_seconds must be positive, got {block_seconds}")
    audio = open_audio(source, sample_rate, max_seconds=max_seconds, raw_format=raw_format, raw_rate=raw_rate)
    return audio.blocks(block_seconds=block_seconds)


def open_audio(
    source: AudioSource,
    sample_rate: int,
    *,
    max_seconds: float | None = None,
    raw_format: AudioFormat | None = None,
    raw_rate: int | None = None,
) -> OpenedAudio:
    """Open `source` once: its header (`info`), checked against `max_seconds` now, then its audio
    decoded in one pass by `blocks()`, mixed down to mono or channel by channel, at `sample_rate`.
    Raises as `iter_decode` does."""
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, got {sample_rate}")
    container = _open_input(source, raw_format, raw_rate)
    stream = _audio_stream(container)
    if max_seconds is not None:
        stated = _stated_duration(container, stream)
        if stated is not None and stated > max_seconds * _DURATION_SLACK:
            container.close()
            raise _too_long(max_seconds, stated)
    return OpenedAudio(container, stream, sample_rate, max_seconds)


class OpenedAudio:
    """An input opened and checked by `open_audio`: what its header says, then its audio, once.

    Close it (or use it as a context manager) unless `blocks()` is read to the end.
    """

    def __init__(
        self, container: InputContainer, stream: AudioStream, sample_rate: int, max_seconds: float | None
    ) -> None:
        ctx = stream.codec_context
        self.info = AudioInfo(
            duration=_stated_duration(container, stream),
            sample_rate=int(ctx.sample_rate),
            channels=int(ctx.channels),
            codec=ctx.name,
            container=container.format.name,
        )
        self.sample_rate = sample_rate
        self._container = container
        self._stream = stream
        self._max_seconds = max_seconds
        self._rows: Iterator[npt.NDArray[np.float32]] | None = None
        self._blocks: Iterator[npt.NDArray[np.float32]] | None = None

    def blocks(
        self, *, block_seconds: float = 30.0, channels: bool = False
    ) -> Iterator[npt.NDArray[np.float32]]:
        """The audio in blocks of `block_seconds` (the last one shorter): mono 1-D arrays, or with
        `channels` (channels, n) arrays of the source's channels in its order (the layout of its first
        frame). Only one pass: a second call raises RuntimeError. At least one non-empty block is
        yielded or `InvalidAudio` is raised."""
        if block_seconds <= 0:
            raise ValueError(f"block_seconds must be positive, got {block_seconds}")
        batched = _rebatch(
            self.rows(None if channels else "mono"), max(1, round(block_seconds * self.sample_rate))
        )
        self._blocks = batched if channels else (block[0] for block in batched)
        return self._blocks

    def rows(self, layout: str | None) -> Iterator[npt.NDArray[np.float32]]:
        """The decoded audio as (channels, n) arrays, as long as each decoded frame: `layout` is the
        output channel layout ("mono"), None keeps the source's. The one pass `blocks` also uses."""
        if self._rows is not None:
            raise RuntimeError("the audio was already decoded; open it again")
        max_seconds = self._max_seconds
        limit = None if max_seconds is None else math.ceil(max_seconds * self.sample_rate) + 1
        self._rows = _decode_rows(self._container, self._stream, self.sample_rate, layout, limit, max_seconds)
        return self._rows

    def close(self) -> None:
        for generator in (self._blocks, self._rows):
            close = getattr(generator, "close", None)
            if close is not None:
                close()
        self._container.close()

    def __enter__(self) -> OpenedAudio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode_channels(
    source: AudioSource,
    sample_rate: int,
    *,
    max_seconds: float | None = None,
    raw_format: AudioFormat | None = None,
    raw_rate: int | None = None,
) -> list[Samples]:
    """Each channel of `source` separately, as float32 at `sample_rate`.

    Meant for recordings where each channel is one speaker (a phone call recorded in stereo); a mono
    input gives a one-element list. The channel order is the container's.
    """
    parts = list(_iter_rows(source, sample_rate, None, max_seconds, raw_format, raw_rate))
    joined = np.concatenate(parts, axis=1)
    return [np.ascontiguousarray(row) for row in joined]


# --------------------------------------------------------------------------------------------- input


def _open_input(source: AudioSource, raw_format: AudioFormat | None, raw_rate: int | None) -> InputContainer:
    """Open `source` with FFmpeg, turning every way that can fail into `InvalidAudio`."""
    fmt: str | None = None
    options: dict[str, str] = {}
    if raw_format is not None:
        fmt, options = _raw_options(raw_format, raw_rate)

    file: str | BinaryIO
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise InvalidAudio("empty audio upload")
        file = io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InvalidAudio(f"cannot read audio file {str(path)!r}: {exc.strerror}") from None
        if size == 0:
            raise InvalidAudio(f"empty audio file {str(path)!r}")
        file = str(path)
    else:
        if _remaining_bytes(source) == 0:
            raise InvalidAudio("empty audio upload")
        file = source

    try:
        return av.open(file, "r", format=fmt, options=options, metadata_errors="replace")
    except av.error.FFmpegError as exc:
        raise InvalidAudio(f"not a readable audio or video file ({_reason(exc)})") from None
    except (ValueError, OSError, EOFError) as exc:
        raise InvalidAudio(f"not a readable audio or video file ({exc})") from None


def _raw_options(raw_format: AudioFormat, raw_rate: int | None) -> tuple[str, dict[str, str]]:
    raw_format = AudioFormat(raw_format)
    if raw_format not in RAW_FORMATS:
        raise InvalidRequest(f"{raw_format} is not a raw format; raw input is one of pcm, mulaw, alaw")
    rate = raw_rate or default_sample_rate(raw_format)
    if rate is None or rate <= 0:
        raise InvalidRequest(f"raw {raw_format} input needs its sample rate", param="sample_rate")
    return _RAW_DEMUXERS[raw_format], {"sample_rate": str(rate), "ch_layout": "mono"}


def _remaining_bytes(file: BinaryIO) -> int | None:
    """How many bytes are left to read in `file`, or None when it cannot seek to tell."""
    try:
        if not file.seekable():
            return None
        here = file.tell()
        end = file.seek(0, io.SEEK_END)
        file.seek(here)
    except (OSError, ValueError, AttributeError):
        return None
    return end - here


def _audio_stream(container: InputContainer) -> AudioStream:
    """The first audio stream FFmpeg has a decoder for; closes `container` and raises if none."""
    audio = list(container.streams.audio)
    for stream in audio:
        if stream.codec_context is not None:
            return stream
    has_streams = len(container.streams) > 0
    container.close()
    if audio:
        raise InvalidAudio("unsupported audio codec: no decoder for the audio track")
    if has_streams:
        raise InvalidAudio("no audio track in the uploaded file")
    raise InvalidAudio("not an audio file: no audio or video streams found")


def _stated_duration(container: InputContainer, stream: AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    return None


def _reason(exc: av.error.FFmpegError) -> str:
    """FFmpeg's own words for an error, without the errno and file name PyAV adds."""
    return str(exc.strerror or exc).strip().rstrip(".").lower() or type(exc).__name__


def _too_long(max_seconds: float, seconds: float | None = None) -> PayloadTooLarge:
    """The duration limit, with the real figure: what the container states, or (None) what was
    decoded before decoding stopped."""
    if seconds is None:
        return PayloadTooLarge(
            f"audio is longer than the limit of {max_seconds:g} s (decoding stopped there)"
        )
    return PayloadTooLarge(f"audio is {round(seconds, 2):g} s long; the limit is {max_seconds:g} s")


# ------------------------------------------------------------------------------------------ decoding


def _iter_rows(
    source: AudioSource,
    sample_rate: int,
    layout: str | None,
    max_seconds: float | None,
    raw_format: AudioFormat | None,
    raw_rate: int | None,
) -> Iterator[npt.NDArray[np.float32]]:
    """Open and check `source` now, then return a generator of (channels, n) float32 arrays.

    `layout` is the output channel layout; None keeps the source's channels.
    """
    audio = open_audio(source, sample_rate, max_seconds=max_seconds, raw_format=raw_format, raw_rate=raw_rate)
    return audio.rows(layout)


def _decode_rows(
    container: InputContainer,
    stream: AudioStream,
    sample_rate: int,
    layout: str | None,
    limit: int | None,
    max_seconds: float | None,
) -> Iterator[npt.NDArray[np.float32]]:
    total = 0
    with container:
        resampler: AudioResampler | None = None
        shape: tuple[str, str, int] | None = None
        for frame in _frames(container, stream):
            frame_shape = (frame.format.name, frame.layout.name, frame.sample_rate)
            converted: list[AudioFrame] = []
            try:
                if resampler is None or frame_shape != shape:
                    # First frame, or the stream changed rate or layout mid-way (a chained Ogg,
                    # joined mp3s): drain the old resampler and start one for the new shape. The
                    # output layout stays the first frame's, so each row keeps meaning one channel.
                    if resampler is not None:
                        converted += resampler.resample(None)
                    layout = layout or frame.layout.name
                    resampler = AudioResampler(
                        format="fltp", layout=layout, rate=sample_rate, options=_SWR_OPTIONS
                    )
                    shape = frame_shape
                converted += resampler.resample(frame)
            except (av.error.FFmpegError, ValueError) as exc:
                raise InvalidAudio(f"cannot convert the decoded audio ({exc})") from None
            for out in converted:
                total += out.samples
                if limit is not None and max_seconds is not None and total > limit:
                    raise _too_long(max_seconds)
                yield _rows(out)
        if resampler is not None:
            for out in resampler.resample(None):
                total += out.samples
                yield _rows(out)
    if limit is not None and max_seconds is not None and total > limit:
        raise _too_long(max_seconds)
    if total == 0:
        raise InvalidAudio("the upload contains no decodable audio (truncated or corrupt)")


def _rows(frame: AudioFrame) -> npt.NDArray[np.float32]:
    """A planar float frame as a (channels, n) array, clipped to [-1, 1] (lossy decoders overshoot),
    NaN (a float WAV can hold them) as silence: one NaN in a frame would blind the VAD to its speech."""
    rows: npt.NDArray[np.float32] = np.nan_to_num(np.clip(frame.to_ndarray(), -1.0, 1.0), copy=False)
    return rows


def _frames(container: InputContainer, stream: AudioStream) -> Iterator[AudioFrame]:
    """The decoded frames of `stream`, skipping packets the decoder rejects as `ffmpeg` does."""
    skipped = 0
    last_error = ""
    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            break
        except (av.error.FFmpegError, ValueError, OSError, EOFError) as exc:
            # The demuxer cannot go on (a truncated or damaged container): end of input.
            log.info("audio input ends early: %s", exc)
            break
        try:
            frames = packet.decode()
        except (av.error.FFmpegError, ValueError) as exc:
            skipped += 1
            last_error = _reason(exc) if isinstance(exc, av.error.FFmpegError) else str(exc)
            continue
        for frame in frames:
            if isinstance(frame, AudioFrame) and frame.samples > 0:
                yield frame
    if skipped:
        log.info("skipped %d undecodable audio packet(s); last error: %s", skipped, last_error)


def _rebatch(rows: Iterator[npt.NDArray[np.float32]], block: int) -> Iterator[npt.NDArray[np.float32]]:
    """(channels, n) blocks of exactly `block` samples (the last one shorter) from (channels, m) rows."""
    pending: list[npt.NDArray[np.float32]] = []
    count = 0
    for row in rows:
        pending.append(row)
        count += row.shape[1]
        if count >= block:
            joined = np.concatenate(pending, axis=1)
            start = 0
            while count - start >= block:
                yield joined[:, start : start + block].copy()
                start += block
            pending = [joined[:, start:]]
            count -= start
    if count:
        yield np.concatenate(pending, axis=1)
