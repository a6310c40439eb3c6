"""Speech start and end in live audio, decided frame by frame (see `Endpointer`)."""

from __future__ import annotations

import numpy as np

from mynah.types import Samples

__all__ = ["Endpointer"]


class Endpointer:
    """Where speech starts and stops in live audio, frame by frame (30 ms, 16 kHz): a frame is voiced
    when WebRTC's detector (mode 3) says so and it is louder than `floor_dbfs`; speech starts at the
    first of 3 voiced frames among 5, and ends at the last voiced frame once `silence` seconds
    without voice follow it. Ended utterances queue up in `ended`, so a decoder that lags behind the
    audio still cuts them where the pauses were. (The batch detector, `mynah.stt.vad`, pads and
    merges regions for whole recordings; live, every tenth of a second of delay is heard, so this
    decides on frames alone.)"""

    FRAME = 480

    def __init__(self, silence: float, floor_dbfs: float = -50.0) -> None:
        import webrtcvad

        self._vad = webrtcvad.Vad(3)
        self._silence = silence
        self._floor = 10 ** (floor_dbfs / 20)
        self._rest = np.zeros(0, np.float32)
        self._recent: list[bool] = []
        self.time = 0.0
        """Seconds of audio judged."""
        self.speech_start: float | None = None
        """Start of the utterance still open (None: silence)."""
        self.last_voice = 0.0
        self.ended: list[tuple[float, float]] = []
        """(start, end) of utterances the silence after them has closed, oldest first."""

    def push(self, samples: Samples) -> None:
        audio = np.concatenate([self._rest, samples]) if len(self._rest) else samples
        whole = len(audio) // self.FRAME * self.FRAME
        self._rest = audio[whole:]
        step = self.FRAME / 16000
        for frame in audio[:whole].reshape(-1, self.FRAME):
            pcm = np.clip(np.rint(frame * 32767.0), -32768, 32767).astype("<i2").tobytes()
            loud = float(np.sqrt(np.mean(frame.astype(np.float64) ** 2))) >= self._floor
            voiced = loud and self._vad.is_speech(pcm, 16000)
            self._recent = [*self._recent[-4:], voiced]
            self.time += step
            if voiced:
                self.last_voice = self.time
                if self.speech_start is None and sum(self._recent) >= 3:
                    self.speech_start = self.time - len(self._recent) * step
            elif self.speech_start is not None and self.time - self.last_voice >= self._silence:
                self.ended.append((self.speech_start, self.last_voice))
                self.speech_start = None
                self._recent = []

    def cut(self) -> tuple[float, float] | None:
        """End the open utterance now (finalize, or the end of the stream): its (start, end), or
        None when none is open. It ends at its last voiced frame, as one the silence closes does,
        so a speculative final already decoding that audio is the final (not a second decode)."""
        if self.speech_start is None:
            return None
        found = (self.speech_start, max(self.speech_start, self.last_voice))
        self.speech_start = None
        self._recent = []
        return found
