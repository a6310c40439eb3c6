"""`mynah wyoming`: the Wyoming protocol (what Home Assistant speaks to local voice services) over
TCP, on the `wyoming` package's server classes.

    describe                                   -> info: every voice (tts) and STT model (asr) here
    transcribe? audio-start audio-chunk... audio-stop
                                               -> transcript-start, transcript-chunk per utterance
                                                  as it is finalised, transcript, transcript-stop
    synthesize                                 -> audio-start audio-chunk... audio-stop
    synthesize-start synthesize-chunk... synthesize-stop
                                               -> audio as the text arrives, then synthesize-stopped
                                                  (a `synthesize` sent alongside, as clients do for
                                                  servers without streaming, is ignored)

The handler translates events to the same live streams the WebSocket routes use
(`SpeechStream`, `TranscriptionStream`); it holds no pipeline logic.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from wyoming.asr import Transcribe, Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import AsrModel, AsrProgram, Attribution, Describe, Info, TtsProgram, TtsVoice
from wyoming.server import AsyncEventHandler, AsyncServer
from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStart, SynthesizeStop, SynthesizeStopped

from mynah import __version__
from mynah.errors import MynahError
from mynah.realtime.hub import Realtime
from mynah.realtime.speech import Audio, SpeechConfig, SpeechStream
from mynah.realtime.transcribe import TranscriptionConfig, TranscriptionStream

__all__ = ["WyomingHandler", "info", "serve"]

log = logging.getLogger(__name__)

_ATTRIBUTION = Attribution(name="mynah", url="https://github.com/")
_WIDTH, _CHANNELS = 2, 1


def info(hub: Realtime) -> Info:
    registry = hub.runtime.registry
    voices = [
        TtsVoice(
            name=voice.id,
            attribution=_ATTRIBUTION,
            installed=True,
            description=voice.description or voice.id,
            version=None,
            languages=[voice.language],
        )
        for voice in registry.all_voices()
    ]
    models = [
        AsrModel(
            name=model.id,
            attribution=_ATTRIBUTION,
            installed=True,
            description=model.description or model.id,
            version=None,
            languages=list(model.languages),
        )
        for model in registry.all_stt_models()
    ]
    return Info(
        asr=[
            AsrProgram(
                name="mynah",
                attribution=_ATTRIBUTION,
                installed=True,
                description="mynah speech to text",
                version=__version__,
                models=models,
                supports_transcript_streaming=True,
            )
        ],
        tts=[
            TtsProgram(
                name="mynah",
                attribution=_ATTRIBUTION,
                installed=True,
                description="mynah text to speech",
                version=__version__,
                voices=voices,
                supports_synthesize_streaming=True,
            )
        ],
    )


class WyomingHandler(AsyncEventHandler):
    def __init__(self, hub: Realtime, default_model: str | None, *args: Any) -> None:
        super().__init__(*args)
        self.hub = hub
        self.default_model = default_model
        self._model: str | None = None
        self._language: str | None = None
        self._stt: TranscriptionStream | None = None
        self._stt_reader: asyncio.Task[None] | None = None
        self._converter: AudioChunkConverter | None = None
        self._tts: SpeechStream | None = None
        self._tts_streaming = False

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._handle(event)
        except MynahError as exc:
            await self.write_event(Error(text=exc.message, code=exc.code).event())
        return True

    async def _handle(self, event: Event) -> None:
        if Describe.is_type(event.type):
            await self.write_event(info(self.hub).event())
        elif Transcribe.is_type(event.type):
            transcribe = Transcribe.from_event(event)
            self._model, self._language = transcribe.name, transcribe.language
        elif AudioStart.is_type(event.type):
            await self._audio_start(AudioStart.from_event(event))
        elif AudioChunk.is_type(event.type):
            if self._stt is not None and self._converter is not None:
                self._stt.push(self._converter.convert(AudioChunk.from_event(event)).audio)
        elif AudioStop.is_type(event.type):
            await self._audio_stop()
        elif SynthesizeStart.is_type(event.type):
            start = SynthesizeStart.from_event(event)
            self._tts_streaming = True
            self._tts = await self._speech(start.voice.name if start.voice else None)
            await self._start_audio(self._tts)
        elif SynthesizeChunk.is_type(event.type):
            if self._tts is not None:
                self._tts.add(SynthesizeChunk.from_event(event).text)
        elif SynthesizeStop.is_type(event.type):
            if self._tts is not None:
                await self._finish_speech(self._tts)
                self._tts = None
            self._tts_streaming = False
            await self.write_event(SynthesizeStopped().event())
        elif Synthesize.is_type(event.type):
            if self._tts_streaming:
                return  # the same text, sent for servers without streaming
            synthesize = Synthesize.from_event(event)
            stream = await self._speech(synthesize.voice.name if synthesize.voice else None)
            await self._start_audio(stream)
            stream.add(synthesize.text)
            await self._finish_speech(stream)

    # ------------------------------------------------------------------------------------ asr

    async def _audio_start(self, start: AudioStart) -> None:
        await self._close_stt()
        config = TranscriptionConfig(
            model=self._model or self.default_model,
            language=self._language,
            sample_rate=start.rate,
            partials=False,
        )
        self._converter = AudioChunkConverter(rate=start.rate, width=_WIDTH, channels=_CHANNELS)
        self._stt = await TranscriptionStream.open(self.hub, config)
        self._stt_reader = asyncio.create_task(self._read_transcripts(self._stt))

    async def _read_transcripts(self, stream: TranscriptionStream) -> None:
        started = False
        texts: list[str] = []
        while (result := await stream.next()) is not None:
            if result.is_last:
                break
            if not started:
                await self.write_event(TranscriptStart(language=self._language).event())
                started = True
            texts.append(result.text)
            await self.write_event(TranscriptChunk(text=result.text).event())
        if not started:
            await self.write_event(TranscriptStart(language=self._language).event())
        await self.write_event(
            Transcript(text=" ".join(t for t in texts if t), language=self._language).event()
        )
        await self.write_event(TranscriptStop().event())

    async def _audio_stop(self) -> None:
        stream, reader = self._stt, self._stt_reader
        if stream is None or reader is None:
            return
        stream.close_input()
        try:
            await reader
        finally:
            await self._close_stt()
        self._model = self._language = None

    async def _close_stt(self) -> None:
        stream, reader = self._stt, self._stt_reader
        self._stt = self._stt_reader = None
        if reader is not None and not reader.done():
            reader.cancel()
        if stream is not None:
            await stream.wait_closed()

    # ------------------------------------------------------------------------------------ tts

    async def _speech(self, voice: str | None) -> SpeechStream:
        config = SpeechConfig(voice=voice or self.hub.runtime.settings.tts.default_voice, format="pcm")
        return await SpeechStream.open(self.hub, config)

    async def _start_audio(self, stream: SpeechStream) -> None:
        await self.write_event(AudioStart(rate=stream.sample_rate, width=_WIDTH, channels=_CHANNELS).event())

    async def _finish_speech(self, stream: SpeechStream) -> None:
        stream.end()
        try:
            while True:
                out = await stream.next()
                if isinstance(out, Audio):
                    if out.data:
                        chunk = AudioChunk(
                            rate=stream.sample_rate, width=_WIDTH, channels=_CHANNELS, audio=out.data
                        )
                        await self.write_event(chunk.event())
                elif out.body.get("type") == "done":
                    break
                elif out.body.get("type") == "error":
                    error = out.body["error"]
                    await self.write_event(Error(text=error["message"], code=error["code"]).event())
        finally:
            stream.close()
        await self.write_event(AudioStop().event())

    async def disconnect(self) -> None:
        await self._close_stt()
        if self._tts is not None:
            self._tts.close()
            self._tts = None


async def serve(
    hub: Realtime, uri: str, *, model: str | None = None, ready: asyncio.Event | None = None
) -> None:
    """Serve Wyoming on `uri` (tcp://HOST:PORT, unix://PATH) until cancelled."""
    server = AsyncServer.from_uri(uri)

    def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> WyomingHandler:
        return WyomingHandler(hub, model, reader, writer)

    await server.start(handler)
    log.info("wyoming: listening on %s", uri)
    if ready is not None:
        ready.set()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
