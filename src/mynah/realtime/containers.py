"""Compressed live audio (Opus in WebM or Ogg, as browsers' MediaRecorder sends it) decoded as it
arrives: bytes go in on the event loop, 16 kHz mono float32 comes out on a decoding thread.

    decoder = ContainerDecoder(on_samples)   # on_samples(samples) is called from the thread
    decoder.feed(data)                       # any piece of the stream, in order
    decoder.finish()                         # the stream is complete: decode to the end
    decoder.close()                          # stop now (the client left)
    decoder.error                            # what PyAV said if the bytes were not audio

PyAV reads from a file object whose `read` blocks until the next piece arrives, so the container is
parsed once, front to back, however it was cut into messages.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import av
import numpy as np

from mynah.types import Samples

__all__ = ["ContainerDecoder"]


class _Pipe:
    """A read-only, unseekable file object fed from another thread."""

    def __init__(self) -> None:
        self._pieces: queue.Queue[bytes | None] = queue.Queue()
        self._buffer = b""
        self._ended = False

    def put(self, data: bytes | None) -> None:
        self._pieces.put(data)

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._buffer) < size):
            piece = self._pieces.get()
            if piece is None:
                self._ended = True
                break
            self._buffer += piece
            if size >= 0 and self._buffer:
                break  # give what there is: PyAV asks for large blocks
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


class ContainerDecoder:
    RATE = 16000

    def __init__(self, on_samples: Callable[[Samples], object], on_end: Callable[[], object]) -> None:
        self._pipe = _Pipe()
        self._on_samples = on_samples
        self._on_end = on_end
        self._closed = False
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="mynah-live-decode", daemon=True)
        self._thread.start()

    def feed(self, data: bytes) -> None:
        if data:
            self._pipe.put(bytes(data))

    def finish(self) -> None:
        self._pipe.put(None)

    def close(self) -> None:
        self._closed = True
        self._pipe.put(None)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            resampler = av.AudioResampler(format="flt", layout="mono", rate=self.RATE)
            with av.open(self._pipe, mode="r") as container:
                if not container.streams.audio:
                    raise ValueError("the stream holds no audio")
                for frame in container.decode(audio=0):
                    if self._closed:
                        return
                    for out in resampler.resample(frame):
                        self._on_samples(np.ascontiguousarray(out.to_ndarray().reshape(-1), dtype=np.float32))
                for out in resampler.resample(None):
                    self._on_samples(np.ascontiguousarray(out.to_ndarray().reshape(-1), dtype=np.float32))
        except (av.FFmpegError, ValueError, OSError) as exc:
            self.error = f"could not decode the audio stream: {exc}"
        finally:
            if not self._closed:
                self._on_end()
