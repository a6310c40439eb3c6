"""The one render path: a prepared request's plan -> engines -> DSP -> encoder -> bytes with timings.

The HTTP routes and `mynah say` all render through here:

    render = Render.open(service, prepared, fmt)        # the encoder is built here: a format or rate
                                                        # it cannot write fails now
    render.start()                                      # synthesise up to the first audio an engine
                                                        # makes: an engine that cannot speak fails now,
                                                        # while the caller can still answer with an error
    for piece in render:                                # Rendered(data, marks), in order; the last
        ...                                             # piece is the encoder's tail
    render.complete                                     # True once that tail came out

`Render.open(..., timings=False)` is for callers that do not read the marks as they come (plain
audio streams): a sentence the plan cut into parts then goes out part by part, its first clause
first, instead of whole (so each sentence mark can carry its duration before its audio).

`Render.open(..., file=f)` encodes into a seekable file instead (exact WAV sizes, FLAC totals, the
MP3 LAME tag) and yields empty data; `encode=False` gives the timings alone.

`Render.open(..., stages=[...])` puts sample stages between the synthesis and the encoder, in order
(a loudness leveller, a quality monitor): each `AudioStage` gets every chunk's samples and may change
them, and its `finish()` tail goes through the stages after it.

Iteration raises what stopped it: a `MynahError` from the synthesis (an engine's own exceptions are
already `EngineFailed`), or whatever the encoder raised. Nothing is swallowed: a render that did not
reach its tail never looks finished, and the caller decides how to tell its client (the speech route
aborts a chunked transfer, or sends an SSE `error` event).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO, Protocol

import numpy as np

from mynah.audio.encode import AudioEncoder, FileEncoder, StreamingEncoder
from mynah.audio.formats import AudioFormat
from mynah.tts.service import PreparedSpeech, SpeechChunk, SpeechMark, SpeechService
from mynah.types import Samples

__all__ = ["AudioStage", "Render", "Rendered"]

log = logging.getLogger(__name__)


class AudioStage(Protocol):
    """A step on the samples between synthesis and encoding."""

    def process(self, samples: Samples, spoken: bool) -> Samples:
        """This chunk's samples, changed or not (maybe fewer: a stage may hold some back).
        `spoken`: an engine made them (not a <break>, nor an inserted clip)."""
        ...

    def finish(self) -> Samples:
        """The samples still held back, once the last chunk went through."""
        ...


@dataclass(frozen=True)
class Rendered:
    """Encoded bytes (maybe b"": encoders hold some back) and the timing marks of the audio in them."""

    data: bytes
    marks: tuple[SpeechMark, ...] = ()


class Render:
    """One request's audio, rendered once, in order. Build with `Render.open`."""

    def __init__(
        self,
        prepared: PreparedSpeech,
        chunks: Iterator[SpeechChunk],
        encoder: AudioEncoder | None,
        stages: Sequence[AudioStage] = (),
    ) -> None:
        self.prepared = prepared
        self.encoder = encoder
        self.stages = tuple(stages) if encoder is not None else ()
        self._chunks = chunks
        self._ready: list[SpeechChunk] = []
        self._started = False
        self._iterating = False
        self.bytes_out = 0
        """Bytes handed to the caller so far."""
        self.complete = False
        """Every chunk was encoded and the encoder's tail was taken: set when iteration ends."""

    @classmethod
    def open(
        cls,
        service: SpeechService,
        prepared: PreparedSpeech,
        fmt: AudioFormat,
        *,
        file: BinaryIO | None = None,
        encode: bool = True,
        stages: Sequence[AudioStage] = (),
        metadata: Mapping[str, str] | None = None,
        timings: bool = True,
    ) -> Render:
        """A render of `prepared` as `fmt` at `prepared.sample_rate`: streamed (each piece carries its
        bytes), into a seekable `file`, or, with `encode=False`, timings only. Raises
        `UnsupportedFormat` for a format or rate the encoder cannot write. `metadata` goes into the
        file's own tags (ID3v2, Vorbis comments, RIFF INFO: see mynah.audio.encode). `timings=False`:
        the caller does not read the pieces' marks as they come (plain audio streams), so a long first
        sentence's first clause goes out before the rest of it is spoken (`SpeechService.stream`)."""
        encoder: AudioEncoder | None = None
        rate = prepared.sample_rate
        if encode and file is not None:
            encoder = FileEncoder(fmt, rate, input_rate=rate, file=file, metadata=metadata)
        elif encode:
            encoder = StreamingEncoder(fmt, rate, input_rate=rate, metadata=metadata)
        return cls(prepared, service.stream(prepared, timings=timings), encoder, stages)

    @property
    def encoded_rate(self) -> int:
        """The rate of the encoded audio, as a decoder gives it back (Opus off its own rates: 48 kHz)."""
        return self.encoder.encoded_rate if self.encoder is not None else self.prepared.sample_rate

    def start(self) -> None:
        """Synthesise up to and including the first chunk an engine spoke (or the whole plan, if no
        engine speaks in it). Raises what the synthesis raises. Runs once; iteration calls it too."""
        if self._started:
            return
        self._started = True
        for chunk in self._chunks:
            self._ready.append(chunk)
            if chunk.spoken:
                return

    def __iter__(self) -> Iterator[Rendered]:
        if self._iterating:
            raise RuntimeError("a Render is iterated once")
        self._iterating = True
        return self._pieces()

    def _pieces(self) -> Iterator[Rendered]:
        self.start()
        ready, self._ready = self._ready, []
        encoder = self.encoder
        for chunk in chain(ready, self._chunks):
            samples = chunk.samples
            for stage in self.stages:
                samples = stage.process(samples, chunk.spoken)
            data = encoder.write(samples) if encoder is not None else b""
            self.bytes_out += len(data)
            yield Rendered(data, chunk.marks)
        held = self._finish_stages()
        tail = b""
        if encoder is not None:
            tail = (encoder.write(held) if len(held) else b"") + encoder.close()
        self.bytes_out += len(tail)
        yield Rendered(tail)
        self.complete = True
        state = self.prepared.state
        log.info(
            "speech rendered: %.3f s, %s at %d Hz, %d bytes, voice %s",
            state.seconds,
            encoder.format.value if encoder is not None else "timings",
            self.encoded_rate,
            self.bytes_out,
            (state.voice or self.prepared.resolved.voice).id,
            extra={"speech_bytes": self.bytes_out, "speech_seconds": state.seconds},
        )

    def _finish_stages(self) -> Samples:
        """What the stages held back, each one's tail passed through the stages after it."""
        held: Samples = np.zeros(0, np.float32)
        for stage in self.stages:
            passed = stage.process(held, True) if len(held) else held
            held = np.concatenate([passed, stage.finish()]).astype(np.float32, copy=False)
        return held

    def close(self) -> None:
        """Stop early (the client left): release what the synthesis holds (model leases)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
