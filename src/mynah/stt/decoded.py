"""One decoding pass of an upload, shared by the recogniser and the diarizer.

    open_audio(source, engine rate)      the header: duration (for progress) and channels
      └─ blocks ─► mono ─► stt.chunking.transcribe_long (VAD, windows, engine, merge)
                 └─ kept, when diarizing ─► `DecodedAudio.kept`: the mono audio, or both channels of
                                             a stereo recording that may be one speaker per channel

Mono blocks are libswresample's mix-down, exactly what `iter_decode` gives; a stereo recording kept
channel by channel is mixed down here as (left + right) / 2, the same matrix. Without diarization
nothing is kept, so memory stays at one block plus the window buffer whatever the length; with it the
diarizers need the whole recording, at the engine's rate (16 kHz float32: 230 MB an hour, twice that
for a stereo call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from mynah.audio.decode import OpenedAudio
from mynah.types import Samples

__all__ = ["DecodedAudio"]

BLOCK_SECONDS = 30.0


class DecodedAudio:
    """`audio` decoded once: `mono()` for the recogniser, then `kept()` for the diarizer.

    `keep` keeps what diarization needs; `by_channel` decodes (and keeps) the source's channels
    separately, handing the recogniser their mix. `bound(samples)`, called with the samples kept so
    far (per channel) after each block, raises to stop keeping more (the diarization memory bound).
    """

    def __init__(
        self,
        audio: OpenedAudio,
        *,
        keep: bool,
        by_channel: bool,
        bound: Callable[[int], None] | None = None,
    ) -> None:
        self._audio = audio
        self._keep = keep
        self._by_channel = by_channel
        self._bound = bound
        self._kept: list[np.ndarray] = []
        self._samples = 0

    def mono(self) -> Iterator[Samples]:
        for block in self._audio.blocks(block_seconds=BLOCK_SECONDS, channels=self._by_channel):
            if self._keep:
                self._kept.append(block)
                self._samples += block.shape[-1]
                if self._bound is not None:
                    self._bound(self._samples)
            if block.ndim == 1:
                yield block
            elif len(block) == 1:
                yield block[0]
            else:
                yield np.asarray(block.mean(axis=0, dtype=np.float32), dtype=np.float32)

    def kept(self) -> tuple[Samples, ...]:
        """What `mono()` read, whole: one array (mono), or one per channel. Read it once; it is then
        released."""
        blocks, self._kept = self._kept, []
        if not blocks:
            return (np.zeros(0, dtype=np.float32),)
        if blocks[0].ndim == 1:
            return (np.concatenate(blocks),)
        joined = np.concatenate(blocks, axis=1)
        del blocks
        return tuple(np.ascontiguousarray(row) for row in joined)
