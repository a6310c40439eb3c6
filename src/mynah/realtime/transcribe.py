"""Live transcription: audio in as it is captured, partial results while the speaker talks, a final
result per utterance.

    stream = await TranscriptionStream.open(hub, TranscriptionConfig(model="whisper:tiny.en"))
    stream.push(pcm_bytes)                   # s16le at the declared rate (or a WAV's first bytes)
    stream.finalize()                        # end the current utterance now
    stream.close_input()                     # no more audio: finalise, then `is_last`
    while (result := await stream.next()) is not None:   # LiveResult, in order
        ...
    stream.close()                           # the client left: pending decodes are dropped

How: the audio of the current utterance grows in a buffer; about every `partial_interval` seconds of
new audio the whole buffer is decoded again, and the words two successive decodes agree on are
committed (`LocalAgreement`): a partial is those words plus the latest decode's tail. The voice
activity detector ends an utterance after `final_silence` seconds without speech; its audio is
decoded once, whole, for the final result (words with times from the start of the stream, and
probabilities), and the buffer starts again after it. That decode starts speculatively once 0.2 s
of the silence have passed (`mynah.realtime.speculation`), so the final is ready when the silence
ends the utterance; and no partial starts in a pause (`partial_hold`, 90 ms after the last voiced
frame), where it would still be decoding when that final wants the decoder. An utterance longer than
`max_utterance_seconds` is finalised at its last committed word. Any STT engine serves (Whisper,
pocketsphinx): each decode is one `transcribe` call on the hub's decoding pool. With a cluster
configured (mynah.cluster), the transcription service decodes windows remotely (`DecodesWindows`):
the stream stays here, each decode runs on a transcription replica, and no model loads on the front.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from mynah.audio.dsp import resample
from mynah.engines.base import SttEngine, SttModel, TranscriptionOptions
from mynah.errors import InvalidAudio, InvalidRequest, MynahError
from mynah.realtime.agreement import LocalAgreement
from mynah.realtime.containers import ContainerDecoder
from mynah.realtime.decoded import decoded_words
from mynah.realtime.endpoint import Endpointer
from mynah.realtime.live_results import LiveResult, TranscriptionConfig
from mynah.realtime.speculation import PAD, SpeculativeFinal
from mynah.stt.service import HoldsModels, TranscribeOptions
from mynah.transcript.redact import RedactionSpan
from mynah.types import Samples, Segment, Transcription, Word, join_words

if TYPE_CHECKING:
    from mynah.realtime.hub import Realtime

__all__ = ["LiveResult", "TranscriptionConfig", "TranscriptionStream"]

log = logging.getLogger(__name__)


@runtime_checkable
class DecodesWindows(Protocol):
    """A transcription service that decodes a live stream's windows elsewhere (a cluster's)."""

    def decode_window(
        self, model: SttModel, audio: Samples, options: TranscriptionOptions
    ) -> Transcription: ...


_LEAD = 0.5
"""Seconds of audio kept before an utterance's first voiced frames (soft onsets are heard late)."""


@dataclass
class _Utterance:
    start: float
    """Seconds from the start of the stream where this utterance's audio begins."""
    agreement: LocalAgreement = field(default_factory=LocalAgreement)
    decoded_until: float = 0.0
    """End of the audio the latest partial decode saw."""


class TranscriptionStream:
    RATE = 16000

    def __init__(
        self,
        hub: Realtime,
        config: TranscriptionConfig,
        engine: SttEngine,
        model: SttModel,
        language: str | None,
    ) -> None:
        self.hub = hub
        self.config = config
        self.engine = engine
        self.model = model
        self._language = language
        settings = hub.settings
        self._partial_interval = settings.partial_interval
        self._partial_hold = settings.partial_hold
        self._final_silence = config.final_silence or settings.final_silence
        self._max_utterance = settings.max_utterance_seconds
        self._endpoint = Endpointer(self._final_silence)
        self._audio = np.zeros(0, np.float32)
        self._audio_start = 0.0
        """Stream time of `_audio[0]` (audio before it is finished with and dropped)."""
        self._received = 0.0
        self._utterance: _Utterance | None = None
        self._utterances = 0
        self._consumed = 0.0
        """Stream time up to which speech has been finalised."""
        self._results: asyncio.Queue[LiveResult | MynahError | None] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._force_final = False
        self._input_done = False
        self._first = True
        self._inflight: set[Future[Transcription]] = set()
        """Decodes of this stream queued or running (a partial, a final, a speculation)."""
        self._speculation = SpeculativeFinal(
            lambda window: self._submit(self._window(*window)), enabled=settings.speculative_finals
        )
        self._options = TranscribeOptions(language=language)
        """What is done to each result's words before it is sent (format, redaction, review)."""
        self._owner: str | None = None
        self._container: ContainerDecoder | None = None
        if config.encoding in ("webm", "ogg", "opus"):
            loop = asyncio.get_running_loop()
            self._container = ContainerDecoder(
                lambda samples: loop.call_soon_threadsafe(self._accept, samples),
                lambda: loop.call_soon_threadsafe(self._container_ended),
            )
        self._task = asyncio.create_task(self._run(), name=f"live-stt-{id(self):x}")
        self.closed = False

    @classmethod
    async def open(
        cls, hub: Realtime, config: TranscriptionConfig, *, owner: str | None = None
    ) -> TranscriptionStream:
        """Resolve the model and check the options before any audio: raises MynahError. `owner`:
        the calling key's id, kept with the review transcripts."""
        service = hub.runtime.transcription
        asked = config.redaction()
        options = TranscribeOptions(
            language=config.language,
            format=config.format,
            redact=asked.entities if asked else (),
            redact_policy=asked.policy if asked else "label",
            review=config.review,
        )
        prepared = await asyncio.to_thread(service.prepare, config.model, options)
        resolved = prepared.resolved
        remote = isinstance(service, DecodesWindows)  # a replica loads it on its first decode
        if isinstance(resolved.engine, HoldsModels) and not remote:  # "ready" means ready to decode
            await asyncio.to_thread(_load, resolved.engine, resolved.model.name)
        stream = cls(hub, config, resolved.engine, resolved.model, prepared.options.language)
        stream._options = prepared.options
        stream._owner = owner
        hub.track(stream)
        return stream

    # ------------------------------------------------------------------------------------ input

    def push(self, data: bytes) -> None:
        """Audio as it arrives: s16le mono at the declared rate. A WAV header in the first bytes is
        read and must agree with the declared rate."""
        if self._input_done:
            raise InvalidRequest("audio after close_stream", param="audio")
        if self._container is not None:
            if self._container.error:
                raise InvalidAudio(self._container.error, param="audio")
            self._container.feed(data)
            return
        if self._first:
            self._first = False
            data = self._check_header(data)
        if len(data) % 2:
            raise InvalidAudio(
                f"a frame of {len(data)} bytes is not 16-bit samples (pcm_s16le needs an even length)",
                param="audio",
            )
        samples = np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
        if self.config.sample_rate != self.RATE:
            samples = resample(samples, self.config.sample_rate, self.RATE)
        self._accept(samples)

    def _accept(self, samples: Samples) -> None:
        """16 kHz audio, from a frame of PCM or the container decoder."""
        if self.closed:
            return
        self._endpoint.push(samples)
        self._audio = np.concatenate([self._audio, samples])
        self._received += len(samples) / self.RATE
        self._speculate()  # here, not in the decoding loop: it may be waiting on a partial
        self._wake.set()

    def _container_ended(self) -> None:
        if self._container is not None and self._container.error:
            self._results.put_nowait(InvalidAudio(self._container.error, param="audio"))
            self.close()
            return
        self._end_input()

    def _check_header(self, data: bytes) -> bytes:
        if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
            return data
        if len(data) < 44:
            raise InvalidAudio("a WAV header must come whole in the first frame", param="audio")
        channels = int.from_bytes(data[22:24], "little")
        rate = int.from_bytes(data[24:28], "little")
        bits = int.from_bytes(data[34:36], "little")
        if rate != self.config.sample_rate:
            raise InvalidAudio(
                f"the stream declared sample_rate {self.config.sample_rate} but the audio is a WAV at "
                f"{rate} Hz; declare {rate} or resample",
                param="sample_rate",
            )
        if channels != 1 or bits != 16:
            raise InvalidAudio(
                f"expected mono 16-bit audio, got {channels} channels of {bits} bits", param="audio"
            )
        start = data.find(b"data", 12)
        return data[start + 8 :] if start >= 0 else b""

    def finalize(self) -> None:
        """End the current utterance now (its final follows)."""
        self._force_final = True
        self._decode_final_now()
        self._wake.set()

    def close_input(self) -> None:
        """No more audio: the last utterance is finalised and the last result says `is_last`."""
        if self._container is not None:
            self._container.finish()  # the decoder's end calls _end_input
        else:
            self._end_input()

    def _end_input(self) -> None:
        if not self._input_done:
            self._input_done = True
            self._force_final = True
            self._decode_final_now()
            self._wake.set()

    def _decode_final_now(self) -> None:
        """Start decoding the final the decoding loop is about to cut (`_step`), here: the loop may be
        waiting on a partial, and the final would then start only after it (measured on the shared
        recordings, whose files end 0.1-0.6 s after the last word: finals up to 1.8 s late). Not when
        older utterances wait for their finals first (the loop takes those, and would drop this)."""
        endpoint = self._endpoint
        if self.closed or endpoint.ended:
            return
        if endpoint.speech_start is not None:  # as `Endpointer.cut` will cut it
            speech_start, end = endpoint.speech_start, max(endpoint.speech_start, endpoint.last_voice)
        elif self._utterance is not None:
            speech_start, end = self._utterance.start, self._received
        else:
            return
        window = self._final_window(speech_start, end, self._utterance)
        if window[1] - window[0] > 0.1:
            self._speculation.start(endpoint.last_voice, window)

    def close(self) -> None:
        """Stop decoding (sync); `wait_closed` also waits for a decode already running."""
        if self.closed:
            return
        self.closed = True
        self._task.cancel()
        if self._container is not None:
            self._container.close()

    async def wait_closed(self) -> None:
        self.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
        try:
            for future in list(self._inflight):
                # a decode still queued is cancelled; one already running finishes (and gives its
                # lease back) first
                if not future.cancel():
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await asyncio.wrap_future(future)
        finally:
            self.hub.untrack(self)  # only now: nothing of the stream is left running

    # ------------------------------------------------------------------------------------ output

    async def next(self) -> LiveResult | None:
        """The next result, in order; None after the last one. Raises what stopped the stream."""
        item = await self._results.get()
        if isinstance(item, MynahError):
            raise item
        return item

    @property
    def received(self) -> float:
        """Seconds of audio received."""
        return self._received

    # ------------------------------------------------------------------------------------ decoding

    async def _run(self) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                await self._step()
                if self._input_done and not self._force_final:
                    self._results.put_nowait(
                        LiveResult(
                            True, "", self._received, self._received, (), self._utterances, is_last=True
                        )
                    )
                    self._results.put_nowait(None)
                    return
        except MynahError as exc:
            self._results.put_nowait(exc)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("live transcription failed")
            from mynah.errors import EngineFailed

            self._results.put_nowait(EngineFailed(f"live transcription failed: {type(exc).__name__}: {exc}"))

    async def _step(self) -> None:
        """Whatever the audio received allows now: the finals of utterances the silence after them
        ended (or that were asked for), then a partial of the one still open."""
        endpoint = self._endpoint
        if self._force_final:
            self._force_final = False
            cut = endpoint.cut()
            if cut is not None:
                endpoint.ended.append(cut)
            elif self._utterance is not None:
                endpoint.ended.append((self._utterance.start, self._received))
        while endpoint.ended:
            start, end = endpoint.ended.pop(0)
            await self._final(start, end)
        if endpoint.speech_start is None:
            if self._utterance is None:
                self._drop_audio_before(self._received - _LEAD)
            return
        if self._utterance is None:
            self._utterance = _Utterance(start=max(self._consumed, endpoint.speech_start - _LEAD))
        utterance = self._utterance
        if self._received - utterance.start > self._max_utterance:
            committed = utterance.agreement.committed
            end = committed[-1].end if committed else self._received
            endpoint.speech_start = end  # the rest goes on as the next utterance
            await self._final(utterance.start, end, pad=False)
        elif self._speculate():
            return  # no partial while the silence runs: the final is being decoded
        elif self.config.partials and self._received - utterance.decoded_until >= self._partial_interval:
            if self._partial_hold and endpoint.time - endpoint.last_voice >= self._partial_hold:
                return  # a pause, perhaps the end: keep the decoder free for the final
            await self._partial(utterance)

    async def _partial(self, utterance: _Utterance) -> None:
        until = self._received
        audio = self._window(utterance.start, until)
        words = await self._decode(audio, utterance.start)
        utterance.decoded_until = until
        if self.closed or self._utterance is not utterance:
            return
        utterance.agreement.update(words)
        shown = [*utterance.agreement.committed, *utterance.agreement.tentative]
        if not shown:
            return
        committed = len(utterance.agreement.committed)
        ready, spans = await self._ready(shown, utterance.start, until, final=False)
        if len(ready) != len(shown):  # redaction joined words: count the committed ones again
            committed = sum(1 for w in ready if w.end <= (shown[committed - 1].end if committed else -1.0))
        self._results.put_nowait(
            LiveResult(
                False,
                join_words(ready),
                utterance.start,
                until,
                tuple(ready),
                self._utterances,
                committed=committed,
                redactions=spans,
            )
        )

    async def _final(self, speech_start: float, end: float, *, pad: bool = True) -> None:
        """Decode one utterance whole and send its final; the audio before its end is done with."""
        utterance, self._utterance = self._utterance, None
        start, until = self._final_window(speech_start, end, utterance, pad=pad)
        decoded = self._speculation.take((start, until))
        if decoded is not None:  # decoded already, while the silence ran
            words = decoded_words(await asyncio.wrap_future(decoded), start)
        else:
            words = await self._decode(self._window(start, until), start) if until - start > 0.1 else []
        self._consumed = max(self._consumed, until if pad else end)
        self._drop_audio_before(self._consumed)
        if not words:
            return
        ready, spans = await self._ready(words, start, until)
        final = LiveResult(
            True,
            join_words(ready),
            start,
            max(end, words[-1].end),
            tuple(ready),
            self._utterances,
            redactions=spans,
            review=await self._review(ready, start, max(end, words[-1].end))
            if self._options.review
            else None,
        )
        self._results.put_nowait(final)
        self._utterances += 1

    async def _ready(
        self, words: list[Word], start: float, end: float, *, final: bool = True
    ) -> tuple[list[Word], tuple[RedactionSpan, ...] | None]:
        """`words` formatted (finals only: a partial's words must stay the words later partials
        extend) and redacted (partials too) as the stream's options say (`mynah.transcript`)."""
        options = self._options
        spoken = self.engine.capabilities.spoken_words
        smart = final and (options.format == "smart" or (options.format == "auto" and spoken))
        if not smart and not options.redact:
            return words, None
        piece = Transcription((Segment(0, start, end, join_words(words), tuple(words)),), end)
        finished = await asyncio.to_thread(
            self.hub.runtime.transcription.finish_text, piece, smart=smart, options=options
        )
        return list(finished.transcription.words), finished.redactions

    def _final_window(
        self, speech_start: float, end: float, utterance: _Utterance | None, *, pad: bool = True
    ) -> tuple[float, float]:
        """The audio an utterance's final decodes, in stream time."""
        start = max(self._consumed, self._audio_start, speech_start - _LEAD)
        if utterance is not None:
            start = max(self._consumed, min(start, utterance.start))
        return start, (min(self._received, end + PAD) if pad else end)

    def _speculate(self) -> bool:
        """Keep the speculative final up to date (`mynah.realtime.speculation`); True while one
        stands for the silence running now (no partial is decoded then)."""
        if self.closed:
            return False
        return self._speculation.keep_up(
            self._endpoint,
            lambda speech_start, last_voice: self._final_window(speech_start, last_voice, self._utterance),
        )

    async def _review(self, words: list[Word], start: float, end: float) -> dict[str, Any]:
        """The final as sent kept for review, its low-confidence spans queued (stream times)."""
        from mynah.stt.cache import CachedTranscript
        from mynah.stt.review import queue_transcript

        piece = Transcription((Segment(0, start, end, join_words(words), tuple(words)),), end)
        served = CachedTranscript(piece, self.model.engine, self.model.id)
        runtime = self.hub.runtime
        threshold = runtime.settings.stt.low_confidence
        return await asyncio.to_thread(queue_transcript, runtime.store, threshold, served, owner=self._owner)

    def _window(self, start: float, end: float) -> Samples:
        first = max(0, round((start - self._audio_start) * self.RATE))
        last = max(first, round((end - self._audio_start) * self.RATE))
        return self._audio[first:last]

    def _drop_audio_before(self, time: float) -> None:
        cut = round((time - self._audio_start) * self.RATE)
        if cut > 0:
            self._audio = self._audio[cut:]
            self._audio_start += cut / self.RATE

    def _submit(self, audio: Samples) -> Future[Transcription]:
        options = TranscriptionOptions(
            model=self.model.name,
            language=self._language,
            word_timestamps=self.config.word_timestamps,
            beam_size=self.hub.settings.beam_size,
        )
        service = self.hub.runtime.transcription
        if isinstance(service, DecodesWindows):  # on a transcription replica of the cluster
            future = self.hub.decode(service.decode_window, self.model, audio.copy(), options)
        else:
            future = self.hub.decode(self.engine.transcribe, audio.copy(), options)
        self._inflight.add(future)
        future.add_done_callback(self._inflight.discard)
        return future

    async def _decode(self, audio: Samples, offset: float) -> list[Word]:
        return decoded_words(await asyncio.wrap_future(self._submit(audio)), offset)


def _load(engine: HoldsModels, name: str) -> None:
    with engine.hold(name):
        pass
