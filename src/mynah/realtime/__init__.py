"""Real-time voice: live speech and transcription streams, shared by every protocol adapter.

    hub.Realtime              the process's fair synthesis scheduler and live-decoding pool
    text_buffer.TextBuffer    text arriving token by token -> speakable units (clause, sentence, length)
    scheduler.FairScheduler   units from every stream, round robin, first units first, backpressure
    speech.SpeechStream       text in -> audio + word timings out (offsets over the whole stream)
    transcribe.LiveTranscriber  audio in -> partials (LocalAgreement) and VAD-cut finals

Adapters translate messages only: `mynah.server.routes.realtime_speech` (the native socket and the
Lightning-style HTTP, SSE and socket shapes), `mynah.server.routes.realtime_transcription` (the
native socket, OpenAI Realtime transcription events), `mynah.realtime.wyoming` (Wyoming over TCP).
"""

from mynah.realtime.hub import Realtime
from mynah.realtime.speech import Audio, Event, SpeechConfig, SpeechStream
from mynah.realtime.text_buffer import TextBuffer, TextUnit

__all__ = ["Audio", "Event", "Realtime", "SpeechConfig", "SpeechStream", "TextBuffer", "TextUnit"]
