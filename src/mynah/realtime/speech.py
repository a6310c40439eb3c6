"""A live speech stream: text in as it is written, audio and timings out as each unit is spoken.

    stream = await SpeechStream.open(hub, SpeechConfig(voice="piper:en_US-joe-medium", format="pcm"))
    stream.add("Well, I think")      # text as it arrives; "Well," is a unit and starts synthesising
    stream.flush()                   # speak what is held now
    stream.end()                     # the utterance is over: the rest, then the encoder's tail, "done"
    stream.cancel()                  # barge-in: queued units and undelivered audio are dropped
    while (out := await stream.next()) is not None:   # Audio(bytes) | Event(dict), in order
        ...
    stream.close()                   # the client left: its work and model lease are freed

Every unit is normalised and planned by the ordinary speech service (`SpeechService.prepare`), so
lexicons, normalisation spans and fallbacks are the same as over HTTP; units run on the hub's fair
scheduler, one at a time per stream, in order. Timings count from the start of the stream: a word's
`start`/`end` are offsets into everything the stream was sent (cancelled text included), its `time`
is seconds into the audio the client actually received. Adapters (the native socket, the Lightning
shapes, Wyoming) translate these outputs; they hold no pipeline logic.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mynah.audio.encode import StreamingEncoder
from mynah.audio.formats import AudioFormat, parse_format, validate_sample_rate
from mynah.errors import EngineFailed, InvalidRequest, InvalidText, MynahError, OverBudget
from mynah.realtime.scheduler import Lane
from mynah.realtime.text_buffer import TextBuffer, TextUnit
from mynah.tts.plan import categories_of
from mynah.tts.service import MAX_SPEED, MIN_SPEED, PreparedSpeech

if TYPE_CHECKING:
    from mynah.realtime.hub import Realtime
    from mynah.tts.speech import ResolvedVoice

__all__ = ["Audio", "Event", "SpeechConfig", "SpeechStream", "VoiceCheck", "error_event"]

log = logging.getLogger(__name__)


class SpeechConfig(BaseModel):
    """The first message of a speech stream."""

    model_config = ConfigDict(extra="forbid")

    voice: str | None = Field(default=None, description="None: the server's MYNAH_TTS__DEFAULT_VOICE")
    model: str | None = None
    format: str = "pcm"
    sample_rate: int | None = Field(default=None, description="Output rate; None: the voice's own")
    speed: float = 1.0
    lexicons: list[str] = Field(default_factory=list)
    normalize: bool | list[str] = True
    timings: bool = False
    language: str | None = Field(default=None, description="Accepted for compatibility; the voice decides")


VoiceCheck = Callable[["ResolvedVoice"], Awaitable[Mapping[str, str] | None]]
"""A route's hook on the resolved voice (its check of the caller's right to a cloned voice): it raises
to refuse the stream, or returns the tags its audio must carry; then every unit is synthesised in a
copy of the context the hook ran in, which holds what it allowed."""


@dataclass(frozen=True)
class Audio:
    data: bytes
    seconds: float


@dataclass(frozen=True)
class Event:
    body: dict[str, Any]


@dataclass(frozen=True)
class _UnitDone:
    pass


@dataclass(frozen=True)
class _Fatal:
    """The stream cannot go on (its synthesis time budget is spent): `next()` raises `error`."""

    error: MynahError


_Item = Audio | Event | _UnitDone | _Fatal


def error_event(exc: MynahError) -> Event:
    return Event(
        {
            "type": "error",
            "error": {"message": exc.message, "type": exc.type, "code": exc.code, "param": exc.param},
        }
    )


@dataclass
class _Clock:
    """Seconds of audio made (`made`) and handed to the client (`delivered`) in this stream."""

    made: float = 0.0
    delivered: float = 0.0
    worked: float = 0.0
    """Seconds spent synthesising this utterance (MYNAH_TTS__MAX_WORK_SECONDS bounds it)."""
    lock: threading.Lock = field(default_factory=threading.Lock)


class SpeechStream:
    def __init__(self, hub: Realtime, config: SpeechConfig, fmt: AudioFormat, sample_rate: int) -> None:
        self.hub = hub
        self.config = config
        self.format = fmt
        self.sample_rate = sample_rate
        settings = hub.settings
        self._text = TextBuffer(settings.length_schedule, settings.max_buffered_chars)
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[int, _Item]] = asyncio.Queue()
        self._generation = 0
        self._clock = _Clock()
        self._encoder: StreamingEncoder | None = None
        self._lane: Lane = hub.scheduler.lane(f"speech-{id(self):x}")
        self._closed = False
        self.voice = ""
        self._metadata: Mapping[str, str] | None = None
        self._context: contextvars.Context | None = None

    @classmethod
    async def open(cls, hub: Realtime, config: SpeechConfig, check: VoiceCheck | None = None) -> SpeechStream:
        """Check the configuration (voice, format, rate, speed, and `check` on the voice) before any
        text: raises MynahError."""
        fmt = parse_format(config.format, param="format")
        if not (MIN_SPEED <= config.speed <= MAX_SPEED):
            raise InvalidRequest(f"speed must be between {MIN_SPEED} and {MAX_SPEED}", param="speed")
        if config.voice is None:
            config = config.model_copy(update={"voice": hub.runtime.settings.tts.default_voice})
        resolved = await asyncio.to_thread(hub.runtime.speech.resolve_voice, config.voice, config.model)
        metadata = await check(resolved) if check is not None else None
        rate = config.sample_rate or resolved.voice.sample_rate
        validate_sample_rate(fmt, rate, param="sample_rate")
        for name in config.lexicons:  # a lexicon that does not exist fails now, not at the first unit
            await asyncio.to_thread(hub.runtime.lexicons.matcher_for, (name,))
        stream = cls(hub, config, fmt, rate)
        stream.voice = resolved.voice.id
        if metadata is not None:
            stream._metadata, stream._context = metadata, contextvars.copy_context()
        hub.track(stream)
        return stream

    # ------------------------------------------------------------------------------------ input

    @property
    def offset(self) -> int:
        """Characters received so far."""
        return self._text.offset

    def add(self, text: str, *, flush: bool = False) -> None:
        """Text as it arrives; units that are complete start synthesising now."""
        units = self._text.add(text)
        if flush:
            units += self._text.flush()
        self._submit(units)

    def flush(self) -> None:
        self._submit(self._text.flush())

    def end(self) -> None:
        """The utterance is complete: speak the rest, then finish the audio stream and send `done`."""
        self._submit(self._text.end())
        generation, offset = self._generation, self.offset
        self._lane.submit(lambda lane: self._finish(lane, generation, offset))

    def cancel(self) -> None:
        """Stop now: queued units and audio not yet handed out are dropped; the next text starts a
        new utterance."""
        self._generation += 1
        self._lane.cancel()
        self._text.skip()
        with self._clock.lock:
            self._clock.made = self._clock.delivered
            self._clock.worked = 0.0
            self._encoder = None
        self._queue.put_nowait((self._generation, Event({"type": "cancelled", "offset": self.offset})))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._lane.close()
        self.hub.untrack(self)

    @property
    def busy(self) -> bool:
        """Units queued or running, or output not yet taken: the client is owed something."""
        return not self._lane.idle or not self._queue.empty()

    # ------------------------------------------------------------------------------------ output

    async def next(self) -> Audio | Event:
        """The next audio or event, in order (waits for it)."""
        while True:
            generation, item = await self._queue.get()
            if generation != self._generation:
                continue
            if isinstance(item, _UnitDone):
                self._lane.release()
                continue
            if isinstance(item, _Fatal):
                raise item.error
            if isinstance(item, Audio):
                with self._clock.lock:
                    self._clock.delivered += item.seconds
            return item

    # ------------------------------------------------------------------------------------ worker side

    def _submit(self, units: Sequence[TextUnit]) -> None:
        generation = self._generation
        for unit in units:
            self._lane.submit(functools.partial(self._speak, unit=unit, generation=generation))

    def _post(self, generation: int, item: _Item) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening
            self._loop.call_soon_threadsafe(self._queue.put_nowait, (generation, item))

    def _live(self, lane: Lane, generation: int) -> bool:
        return not lane.cancelled and generation == self._generation

    def _speak(self, lane: Lane, *, unit: TextUnit, generation: int) -> None:
        """Synthesise one unit (on a scheduler thread) and post its timings and audio."""
        try:
            if self._live(lane, generation):
                if self._context is not None:  # what the voice check allowed
                    self._context.copy().run(self._speak_unit, lane, unit, generation)
                else:
                    self._speak_unit(lane, unit, generation)
        except OverBudget as exc:  # the route sends the error event and closes the socket
            self._post(generation, _Fatal(exc))
        except MynahError as exc:
            self._post(generation, error_event(exc))
        except Exception as exc:  # an engine bug: the stream says so and goes on
            log.exception("live synthesis failed")
            self._post(generation, error_event(EngineFailed(f"synthesis failed: {exc}")))
        finally:
            self._post(generation, _UnitDone())

    def _speak_unit(self, lane: Lane, unit: TextUnit, generation: int) -> None:
        service = self.hub.runtime.speech
        try:
            prepared: PreparedSpeech = service.prepare(
                unit.text,
                voice=self.config.voice,
                model=self.config.model,
                speed=self.config.speed,
                sample_rate=self.sample_rate,
                lexicons=self.config.lexicons,
                normalization=categories_of(self.config.normalize),
                ssml=False,
            )
        except InvalidText:  # nothing in it to speak (emoji, stray symbols)
            return
        with self._clock.lock:
            unit_base = self._clock.made
        budget = self.hub.runtime.settings.tts.max_work_seconds
        started = time.monotonic()
        chunks = service.stream(prepared, timings=self.config.timings)
        try:
            for chunk in chunks:
                if not self._live(lane, generation):
                    return
                with self._clock.lock:
                    worked = self._clock.worked + time.monotonic() - started
                if worked > budget:
                    raise OverBudget(
                        f"the synthesis of this utterance took longer than its budget of {budget:g} s "
                        "and was stopped (MYNAH_TTS__MAX_WORK_SECONDS); submit long text as a job "
                        "(/v1/mynah/jobs/speech)",
                        code="time_budget_exceeded",
                    )
                with self._clock.lock:
                    if self._encoder is None:
                        self._encoder = StreamingEncoder(
                            self.format,
                            self.sample_rate,
                            input_rate=self.sample_rate,
                            metadata=self._metadata,
                        )
                    data = self._encoder.write(chunk.samples)
                    self._clock.made += chunk.duration
                if self.config.timings:
                    for mark in chunk.marks:
                        body = mark.as_json()
                        body["time"] = round(unit_base + mark.time, 3)
                        body["start"] = unit.start + mark.start
                        body["end"] = unit.start + mark.end
                        self._post(generation, Event(body))
                if data or chunk.duration:
                    self._post(generation, Audio(data, chunk.duration))
        finally:
            with self._clock.lock:
                self._clock.worked += time.monotonic() - started
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # a cancelled unit releases its model lease here

    def _finish(self, lane: Lane, generation: int, offset: int) -> None:
        try:
            if not self._live(lane, generation):
                return
            with self._clock.lock:
                encoder, self._encoder = self._encoder, None
                seconds = self._clock.made
                self._clock.worked = 0.0  # the next utterance has a budget of its own
            tail = encoder.close() if encoder is not None else b""
            if tail:
                self._post(generation, Audio(tail, 0.0))
            self._post(generation, Event({"type": "done", "offset": offset, "seconds": round(seconds, 3)}))
        finally:
            self._post(generation, _UnitDone())
