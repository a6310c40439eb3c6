"""A Piper voice run in two parts, so the first fraction of a second of a long sentence can play
before the rest of it is synthesised.

    front, decoder, cuts = split_model(graph)        # None when the graph has no flow/decoder to cut
    voice = SplitVoice(piper_voice, front=..., decoder=..., cuts=cuts, durations=...)
    for sentence in voice.sentences(text, syn_config, early=True):
        for piece in sentence.pieces:                 # float32 audio; together the sentence
            ...

A VITS voice (every Piper voice) is a text encoder and duration predictor that settle every phoneme's
length, then a flow and a HiFi-GAN decoder that turn frames (256 samples each) into audio. The encoder
must see the whole sentence; the flow and the decoder are convolutions that see only `PAD_FRAMES` frames
either side. So the graph is cut between the two (`split_model`, with the `onnx` package): the front
runs once per sentence (on the 10-word clause of bench/realtime_tts.py about a sixth of Piper's time),
and with `early` the first sentence's frames are decoded in pieces of `HEAD_FRAMES`, then `GROWTH`
times as many, each with `PAD_FRAMES` of context either side that is decoded and dropped. The pieces
join into the audio the whole decode gives (within 1e-5; tests/real/test_piper_early.py), so there is
no seam to hide. Other sentences, and every sentence without `early`, are decoded whole, in one run.

Loudness: Piper scales each sentence to peak 1.0 (`normalize_audio`), which needs the whole sentence.
A sentence decoded in pieces is scaled by 1 / the highest peak so far, its own pieces' and the voice's
previous sentence's, moving to each new gain over `GAIN_RAMP` seconds, so it never clips and is at
most that much quieter than Piper's scaling would have made it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["SplitVoice", "SpokenSentence", "split_model"]

PAD_FRAMES = 40
"""Frames of context either side of a piece. The flow and decoder of en_US-joe-medium see 32: with 32
the pieces match the whole decode to 5e-6, with 16 to 3e-3."""

HEAD_FRAMES = 32
"""Frames in a sentence's first piece (about 0.37 s at 22,050 Hz)."""

GROWTH = 8
"""Each next piece has this many times the frames of the one before: it is decoded in well under the
time its predecessor takes to play (a frame decodes in about 0.3 ms and plays for 11.6 ms), and a long
sentence needs only two or three pieces."""

GAIN_RAMP = 0.1
"""Seconds over which a piece moves from the gain of the piece before to its own."""


def split_model(model: Any, outputs: Sequence[str] = ()) -> tuple[bytes, bytes, tuple[str, ...]] | None:
    """The voice graph `model` (an `onnx.ModelProto`) cut into a front (the graph's inputs to the cut
    tensors, plus `outputs`, such as Piper's alignment tensor) and a decoder (the cut tensors to the
    audio), serialised, with the cut tensors' names. The cut is where the flow begins (every tensor
    the flow and decoder take from before them); failing that, where the decoder begins; None when
    neither can be found."""
    from onnx.utils import Extractor

    graph = model.graph
    inputs = [i.name for i in graph.input]
    audio = graph.output[0].name
    for prefixes in (("/flow/", "/dec/"), ("/dec/",)):
        cuts = _cut_tensors(graph, prefixes)
        if not cuts:
            continue
        try:
            extractor = Extractor(model)
            decoder = extractor.extract_model(list(cuts), [audio])
            front = extractor.extract_model(inputs, [*cuts, *outputs])
        except Exception:  # not a clean cut in this graph: try the next, or none
            continue
        if [i.name for i in decoder.graph.input] != list(cuts):
            continue
        return front.SerializeToString(), decoder.SerializeToString(), cuts
    return None


def _cut_tensors(graph: Any, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The tensors the part of `graph` from the first node named with one of `prefixes` to the end
    takes from before it. The part is every node after such a node (some of the flow's nodes carry no
    module name); what it takes from nodes that come after none of them is the cut."""
    initializers = {i.name for i in graph.initializer}
    after: set[str] = set()  # tensors produced at or after the start of the part
    part: list[Any] = []
    for node in graph.node:  # ONNX nodes are in topological order
        if node.name.startswith(prefixes) or any(i in after for i in node.input):
            part.append(node)
            after.update(node.output)
    cuts: list[str] = []
    for node in part:
        for name in node.input:
            if name and name not in after and name not in initializers and name not in cuts:
                cuts.append(name)
    return tuple(cuts)


@dataclass
class SpokenSentence:
    """One sentence: its phonemes and their alignments (as Piper's `AudioChunk` has them, so word
    timings are read the same way) and its audio, in pieces that play in order."""

    phonemes: list[str]
    phoneme_alignments: list[Any] | None
    sample_rate: int
    pieces: Iterator[np.ndarray]


class SplitVoice:
    """A Piper voice whose graph runs as `front` then `decoder` (ONNX Runtime sessions); with no
    `decoder`, `front` is the whole graph and every sentence is one piece."""

    def __init__(
        self,
        voice: Any,
        *,
        front: Any,
        decoder: Any | None,
        cuts: Sequence[str] = (),
        durations: str | None = None,
    ) -> None:
        self.voice = voice
        """The `PiperVoice`, for its config and phonemizer."""
        self.front = front
        self.decoder = decoder
        self.cuts = tuple(cuts)
        self.durations = durations
        """The front's output with each phoneme id's frames (Piper's alignment patch), if any."""
        self._last_peak = 0.0
        self._peak_lock = threading.Lock()

    @property
    def config(self) -> Any:
        return self.voice.config

    @property
    def sessions(self) -> list[Any]:
        return [s for s in (self.front, self.decoder) if s is not None]

    def sentences(self, text: str, syn_config: Any, *, early: bool = False) -> Iterator[SpokenSentence]:
        """Each sentence of `text` as Piper splits them. With `early` (and a decoder), the first
        sentence long enough comes in pieces; the others whole."""
        config = self.config
        for phonemes in self.voice.phonemize(text):
            if not phonemes:
                continue
            ids = self.voice.phonemes_to_ids(phonemes)
            outputs = self.front.run(None, self._feed(ids, syn_config))
            frames = None if self.durations is None else outputs[-1].reshape(-1)
            alignments = _phoneme_alignments(config, phonemes, ids, frames)
            if self.decoder is None:
                pieces: Iterator[np.ndarray] = iter([self._scaled(outputs[0].reshape(-1), syn_config)])
            else:
                cut = dict(zip(self.cuts, outputs[: len(self.cuts)], strict=True))
                length = max(t.shape[-1] for t in cut.values())
                if early and length >= 2 * HEAD_FRAMES + PAD_FRAMES:
                    pieces = self._early(cut, length, syn_config)
                    early = False
                else:
                    audio = self.decoder.run(None, cut)[0].reshape(-1)
                    pieces = iter([self._scaled(audio, syn_config)])
            yield SpokenSentence(phonemes, alignments, config.sample_rate, pieces)

    def _feed(self, ids: list[int], syn_config: Any) -> dict[str, np.ndarray]:
        """The graph's inputs, as `PiperVoice.phoneme_ids_to_audio` builds them."""
        config = self.config

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        feed: dict[str, np.ndarray] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array(
                [
                    pick(syn_config.noise_scale, config.noise_scale),
                    pick(syn_config.length_scale, config.length_scale),
                    pick(syn_config.noise_w_scale, config.noise_w_scale),
                ],
                dtype=np.float32,
            ),
        }
        if config.num_speakers > 1:
            speaker = pick(syn_config.speaker_id, config.default_speaker_id)
            feed["sid"] = np.array([speaker if speaker is not None else 0], dtype=np.int64)
        return feed

    def _scaled(self, audio: np.ndarray, syn_config: Any) -> np.ndarray:
        """A whole sentence scaled as Piper scales it; its peak is remembered for the next early one."""
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        with self._peak_lock:
            self._last_peak = peak
        if syn_config.normalize_audio:
            audio = np.zeros_like(audio) if peak < 1e-8 else audio / peak
        return _finished(audio, syn_config)

    def _early(self, cut: dict[str, np.ndarray], length: int, syn_config: Any) -> Iterator[np.ndarray]:
        """The sentence's frames decoded piece by piece, each with its context, and scaled."""
        decoder = self.decoder
        assert decoder is not None
        with self._peak_lock:
            peak = self._last_peak
        gain: float | None = None
        ramp = max(1, int(GAIN_RAMP * self.config.sample_rate))
        for start, end in _pieces(length):
            low, high = max(0, start - PAD_FRAMES), min(length, end + PAD_FRAMES)
            window = {name: t[..., low:high] if t.shape[-1] == length else t for name, t in cut.items()}
            audio = decoder.run(None, window)[0].reshape(-1)
            hop = len(audio) // (high - low)
            audio = audio[(start - low) * hop : (end - low) * hop]
            if not syn_config.normalize_audio:
                yield _finished(audio, syn_config)
                continue
            peak = max(peak, float(np.max(np.abs(audio))) if audio.size else 0.0)
            target = 1.0 / peak if peak >= 1e-8 else 0.0
            if gain is None or gain == target:
                scaled = audio * target
            else:
                steps = np.full(len(audio), target, dtype=np.float32)
                n = min(ramp, len(audio))
                steps[:n] = np.linspace(gain, target, n, endpoint=False, dtype=np.float32)
                scaled = audio * steps
            gain = target
            yield _finished(scaled, syn_config)
        with self._peak_lock:
            self._last_peak = peak


def _pieces(length: int) -> list[tuple[int, int]]:
    """[start, end) frames of each piece: HEAD_FRAMES, then GROWTH times the last; a last piece
    shorter than the head joins the one before it."""
    bounds, size, start = [], HEAD_FRAMES, 0
    while start < length:
        end = min(length, start + size)
        if length - end < HEAD_FRAMES:
            end = length
        bounds.append((start, end))
        start, size = end, size * GROWTH
    return bounds


def _finished(audio: np.ndarray, syn_config: Any) -> np.ndarray:
    if syn_config.volume != 1.0:
        audio = audio * syn_config.volume
    clipped: np.ndarray = np.clip(audio, -1.0, 1.0).astype(np.float32)
    return clipped


def _phoneme_alignments(
    config: Any, phonemes: list[str], ids: list[int], frames: np.ndarray | None
) -> list[Any] | None:
    """Samples each phoneme took, from the frames of each phoneme id: a phoneme owns its own ids and
    the pad id after it (Piper's layout: BOS, each phoneme then PAD, EOS). None if the ids do not
    follow that layout or no frames were reported."""
    from piper.const import BOS, EOS, PAD
    from piper.voice import PhonemeAlignment

    if frames is None or len(frames) != len(ids):
        return None
    samples = (frames * config.hop_length).astype(np.int64)
    pad = config.phoneme_id_map.get(PAD, [])
    alignments, at = [], 0
    for phoneme in itertools.chain([BOS], phonemes, [EOS]):
        own = list(config.phoneme_id_map.get(phoneme, []))
        expected = own if phoneme == EOS else own + list(pad)
        if ids[at : at + len(expected)] != expected:
            return None
        alignments.append(
            PhonemeAlignment(
                phoneme=phoneme, phoneme_ids=expected, num_samples=int(samples[at : at + len(expected)].sum())
            )
        )
        at += len(expected)
    return alignments
