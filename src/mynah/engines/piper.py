"""Piper neural text to speech (`piper-tts`, ONNX VITS voices), through the model manager.

Voices
    `piper:<voice>`, where <voice> is a Piper voice name such as `en_US-lessac-medium`: every voice
    installed in the model cache is listed; a voice of rhasspy/piper-voices that is not installed
    resolves too when it can be fetched on first use (see `mynah.models`), and is skipped with the
    reason ("not downloaded and no network ...") when it cannot, so a fallback chain moves on.
    Multi-speaker voices take the speaker after `#`, by number or by name from the voice's
    `speaker_id_map`: `piper:en_US-libritts_r-medium#12`, `piper:en_US-libritts_r-medium#p3922`.
    Without one, the voice's default speaker speaks.

Loading
    Nothing is loaded at construction. `synthesize` takes a lease on the model from the manager, which
    loads `<voice>.onnx` as `PiperVoice.load` would, with server session options (`session_options`:
    `threads` intra-op threads, no spinning, ONNX Runtime's CPU memory arena), on first use (fetching
    it first where allowed) and keeps it for the next request until it is idle. The arenas keep the
    buffers of the largest synthesis so far; `Sessions.release_memory` empties them, which the model
    manager asks for once the voice has been idle `release_memory_seconds` (30 s), so memory returns
    to its baseline. A file that cannot load raises `EngineUnavailable` (ModelNotReady) from the
    first chunk, and the voice is skipped from then on.
    Each voice is loaded twice (`Sessions`): a synthesis that starts while no other runs gets the
    wide session, one that starts beside others the narrow one; `sessions_served` counts which
    served how many syntheses.

Phonemes
    With `SynthesisOptions.ipa` the text is IPA, passed to Piper as a `[[ ... ]]` block (decomposed
    to code points, as Piper's phoneme ids are).

Speed and scales
    Speed is Piper's length scale: length_scale = voice length_scale / speed. The engine options
    `length_scale`, `noise_scale` and `noise_w_scale` override the voice's own defaults (its
    `.onnx.json` "inference" block) for every request.

Early start
    With the `onnx` package installed the voice's graph is cut in two where its flow begins
    (`mynah.engines.piper_decode`): a synthesis asked for `early_start` (the first speech of a plain
    stream) delivers its first sentence in pieces, the first about 0.37 s, the join of them the
    audio the whole decode gives; every other sentence is decoded whole, as before. Each word goes
    with the piece it starts in.

Word timings
    With the `onnx` package installed the voice is loaded with `include_alignments`: Piper then reports
    how many samples each phoneme took. Phoneme words (espeak separates words with a space) are
    matched in order to the words of the text, and each word spans its phonemes. A chunk whose word
    count differs from the text's (espeak reads some tokens as several words) carries no timings.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.engines.cores import usable_cores
from mynah.engines.piper_decode import SplitVoice, split_model
from mynah.engines.piper_sessions import ArenaSession, Sessions, session_options
from mynah.errors import EngineFailed, EngineUnavailable, UnknownVoice
from mynah.models import InstalledModel, lookup, split_id
from mynah.types import AudioChunk, WordTiming

__all__ = ["PiperEngine"]

_WORD = re.compile(r"\S+")


class PiperOptions(EngineOptions):
    length_scale: float | None = Field(default=None, gt=0)
    """Overrides every voice's own length scale (its .onnx.json "inference" block); larger is slower."""
    noise_scale: float | None = Field(default=None, gt=0)
    noise_w_scale: float | None = Field(default=None, gt=0)
    word_timings: bool = True
    """Load voices with phoneme alignments (needs the `onnx` package) for measured word timings."""
    memory_arena: bool = True
    """Run the voice's sessions with ONNX Runtime's CPU memory arena (`session_options`), emptied
    once the voice has been idle `release_memory_seconds`; false: every buffer straight from
    malloc, slower on long sentences (bench/piper_threads.py), never more than one synthesis's
    worth held."""
    spinning: bool = False
    """Let the wide session's threads spin while they wait for work instead of sleeping, as the
    library's own session does (the narrow session has one thread, so nothing to spin): faster
    alone, but a spinning pool takes CPU from whatever else runs (measured: the README's real-time
    section, bench/piper_threads.py and bench/realtime_tts.py)."""
    threads: int | None = Field(default=None, ge=1)
    """ONNX Runtime threads per synthesis. Default: as many as the cores this process may use when
    the synthesis is the engine's only one, one thread when others run (two sessions of the voice,
    `Sessions`). Measured on 2 cores (Piper joe, 302 words, idle; bench/piper_threads.py): one
    thread took 1.8-1.9x the library's own time on a single stream, two 1.13-1.17x; with 8 streams
    at once (bench/realtime_tts.py with `MYNAH_ENGINE_OPTIONS='{"piper": {"threads": 2}}'`), two
    threads each fell below the throughput of the same work done in turn (x0.92)."""


class PiperEngine:
    """Piper TTS. Options: `length_scale`, `noise_scale`, `noise_w_scale`, `word_timings` (true)."""

    name = "piper"
    capabilities = TtsCapabilities(
        streaming=True, word_timings=True, native_speed=True, native_pitch=False, phonemes=True, cloning=False
    )

    def __init__(self, config: EngineConfig) -> None:
        missing = [m for m in ("piper", "onnxruntime") if find_spec(m) is None]
        if missing:
            raise EngineUnavailable(f"Piper needs {', '.join(missing)}: pip install 'mynah[neural]'")
        self._models = config.model_manager()
        self._options = config.parse_options(PiperOptions, self.name)
        self._alignments = self._options.word_timings and find_spec("onnx") is not None
        self._configs: dict[Path, tuple[int, dict[str, Any]]] = {}
        self._running = 0
        self._served: Counter[str] = Counter()
        self._running_lock = threading.Lock()

    # ------------------------------------------------------------------------------------ voices

    def voices(self) -> list[Voice]:
        """Every installed Piper voice that can serve (a broken one is left out, with a log line)."""
        found = []
        for model in self._models.installed(self.name):
            if model.problems or self._models.availability(model.id) is not None:
                continue
            config = self._config(model)
            if config is not None:
                found.append(_voice(model.name, config))
        return found

    def resolve_voice(self, name: str) -> Voice:
        """A voice by name (with `#speaker`), installed or fetchable; raises ModelNotDownloaded for a
        voice that is neither, UnknownVoice with the reason it cannot serve otherwise."""
        base, speaker = _split_speaker(name)
        model_id = _model_id(base)
        if lookup(model_id) is None and self._models.get(model_id) is None:
            raise UnknownVoice(
                f"unknown Piper voice {base!r}: Piper voices are named like en_US-lessac-medium "
                "(`mynah models list --available` lists some)",
                param="voice",
            )
        if (missing := self._models.not_downloaded(model_id, param="voice")) is not None:
            raise missing
        reason = self._models.availability(model_id)
        if reason is not None:
            raise UnknownVoice(reason, param="voice")
        installed = self._models.get(model_id)
        config = self._config(installed) if installed is not None else None
        if config is not None:
            voice = _voice(base, config)
            if speaker is not None:
                _speaker_id(config, speaker, model_id)
        else:
            entry = lookup(model_id)
            if entry is None:  # availability() would have said so
                raise UnknownVoice(f"{model_id}: unknown Piper voice", param="voice")
            voice = Voice(
                id=entry.id,
                engine=self.name,
                name=base,
                language=entry.languages[0],
                sample_rate=entry.sample_rate or 22050,
                description=f"{entry.description} (fetched on first use, {entry.disk_mb} MB)",
            )
        if speaker is None:
            return voice
        return replace(voice, id=f"{voice.id}#{speaker}", name=f"{base}#{speaker}")

    def preload(self, name: str) -> None:
        """Load a voice now and keep it loaded (the preload list)."""
        base, _ = _split_speaker(name)
        with self._models.lease(_model_id(base), self._load, pin=True):
            pass

    # ------------------------------------------------------------------------------------ synthesis

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """One chunk per sentence as Piper splits them. The model loads at the first chunk."""
        base, speaker = _split_speaker(options.voice)
        model_id = _model_id(base)
        if not options.speed > 0:
            raise EngineFailed(f"speed must be positive, got {options.speed}")
        if options.ipa:  # Piper reads [[ ... ]] as phonemes, one id per code point
            text = "[[ " + unicodedata.normalize("NFD", text.replace("[", " ").replace("]", " ")) + " ]]"
        return self._chunks(model_id, speaker, text, options.speed, early=options.early_start)

    def _chunks(
        self, model_id: str, speaker: str | None, text: str, speed: float, *, early: bool
    ) -> Iterator[AudioChunk]:
        from piper import SynthesisConfig

        with self._models.lease(model_id, self._load) as sessions, self._one_running() as alone:
            voice = sessions.wide if alone else sessions.narrow
            self._count_served("wide" if voice is sessions.wide else "narrow")
            config = voice.config
            speaker_id = _speaker_id(_config_dict(config), speaker, model_id) if speaker is not None else None
            scales = self._options
            length = scales.length_scale if scales.length_scale is not None else config.length_scale
            syn_config = SynthesisConfig(
                speaker_id=speaker_id,
                length_scale=length / speed,
                noise_scale=scales.noise_scale,
                noise_w_scale=scales.noise_w_scale,
            )
            words = _text_words(text)
            cursor = 0
            for sentence in voice.sentences(text, syn_config, early=early):
                timings, cursor = _word_timings(sentence, text, words, cursor)
                at = 0
                for samples in sentence.pieces:
                    begin, end = at / sentence.sample_rate, (at + len(samples)) / sentence.sample_rate
                    own = tuple(  # each word in the piece it starts in, timed from that piece's start
                        replace(w, start=w.start - begin, end=w.end - begin)
                        for w in timings
                        if begin <= w.start < end
                    )
                    at += len(samples)
                    yield AudioChunk(samples=samples, sample_rate=sentence.sample_rate, words=own)

    @contextlib.contextmanager
    def _one_running(self) -> Iterator[bool]:
        """Counts a synthesis as running while the block runs; True if no other one was."""
        with self._running_lock:
            alone = self._running == 0
            self._running += 1
        try:
            yield alone
        finally:
            with self._running_lock:
                self._running -= 1

    def _count_served(self, session: str) -> None:
        with self._running_lock:
            self._served[session] += 1

    def sessions_served(self) -> dict[str, int]:
        """How many syntheses each session (`wide`, `narrow`) has served since the engine was made:
        a synthesis counts once, when it starts, under the session that runs all its chunks. With
        `threads` set, or on one core, the two are one session and every synthesis counts as wide."""
        with self._running_lock:
            return {"wide": self._served["wide"], "narrow": self._served["narrow"]}

    def _load(self, path: Path) -> Sessions:
        """The voice as `PiperVoice.load` would load it, with the session options it does not let us
        pass (`session_options`), and with the `onnx` package cut in two (`split_model`)."""
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig

        models = sorted(path.glob("*.onnx"))
        if len(models) != 1:
            raise EngineUnavailable(f"expected one .onnx voice in {path}, found {len(models)}")
        config = json.loads(models[0].with_name(models[0].name + ".json").read_text("utf-8"))
        parts: tuple[str | bytes, bytes | None, tuple[str, ...], str | None] = (
            str(models[0]),
            None,
            (),
            None,
        )
        if find_spec("onnx") is not None:
            parts = _split(models[0], alignments=self._alignments)
        whole, decoder_model, cuts, durations = parts
        piper_config = PiperConfig.from_dict(config)

        def session(model: str | bytes, threads: int) -> Any:
            options = session_options(
                threads, arena=self._options.memory_arena, spinning=self._options.spinning
            )
            made = onnxruntime.InferenceSession(
                model, sess_options=options, providers=["CPUExecutionProvider"]
            )
            return ArenaSession(made) if self._options.memory_arena else made

        def voice(threads: int) -> SplitVoice:
            front = session(whole, threads)
            decoder = session(decoder_model, threads) if decoder_model is not None else None
            piper_voice = PiperVoice(session=front, config=piper_config, download_dir=path)
            return SplitVoice(piper_voice, front=front, decoder=decoder, cuts=cuts, durations=durations)

        wide = voice(self._options.threads or usable_cores())
        narrow = wide if self._options.threads or usable_cores() == 1 else voice(1)
        return Sessions(wide, narrow)

    # ------------------------------------------------------------------------------------ configs

    def _config(self, model: InstalledModel) -> dict[str, Any] | None:
        configs = sorted(model.path.glob("*.onnx.json"))
        if not configs:
            return None
        path = configs[0]
        try:
            stamp = path.stat().st_mtime_ns
            cached = self._configs.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        self._configs[path] = (stamp, data)
        return data


def _split(model: Path, *, alignments: bool) -> tuple[str | bytes, bytes | None, tuple[str, ...], str | None]:
    """The voice file as (front graph, decoder graph or None, the cut tensors, the front's output
    with each phoneme id's frames or None): Piper's own alignment patch when `alignments`
    (`include_alignments`), then `split_model`. A graph that cannot be cut runs whole."""
    import onnx

    graph = onnx.load(str(model))
    audio = graph.graph.output[0].name
    if alignments:
        from piper.patch_voice_with_alignment import add_alignment_output

        with contextlib.suppress(ValueError):  # already patched, or no such tensor: as it is
            add_alignment_output(graph)
    extra = [o.name for o in graph.graph.output if o.name != audio]
    durations = extra[0] if alignments and extra else None
    split = split_model(graph, extra)
    if split is None:
        return graph.SerializeToString(), None, (), durations
    front, decoder, cuts = split
    return front, decoder, cuts, durations


def _model_id(base: str) -> str:
    model_id = f"piper:{base}"
    try:
        split_id(model_id)
    except ValueError:
        raise UnknownVoice(
            f"unknown Piper voice {base!r}: Piper voices are named like en_US-lessac-medium", param="voice"
        ) from None
    return model_id


def _split_speaker(name: str) -> tuple[str, str | None]:
    base, sep, speaker = name.strip().partition("#")
    if sep and not speaker.strip():
        raise UnknownVoice(f"voice {name!r} names no speaker after '#'", param="voice")
    return base.strip(), speaker.strip() if sep else None


def _speaker_id(config: dict[str, Any], speaker: str, model_id: str) -> int:
    count = int(config.get("num_speakers", 1) or 1)
    names: dict[str, int] = dict(config.get("speaker_id_map") or {})
    if count <= 1:
        raise UnknownVoice(f"{model_id} has a single speaker; drop '#{speaker}'", param="voice")
    if speaker in names:
        return int(names[speaker])
    if speaker.isdigit() and int(speaker) < count:
        return int(speaker)
    raise UnknownVoice(
        f"{model_id} has speakers 0 to {count - 1}"
        + (f" (or by name: {', '.join(list(names)[:5])}, ...)" if names else "")
        + f"; no speaker {speaker!r}",
        param="voice",
    )


def _config_dict(config: Any) -> dict[str, Any]:
    return {"num_speakers": config.num_speakers, "speaker_id_map": dict(config.speaker_id_map or {})}


def _voice(name: str, config: dict[str, Any]) -> Voice:
    language = config.get("language", {}).get("code") or name.split("-", 1)[0]
    speakers = int(config.get("num_speakers", 1) or 1)
    quality = config.get("audio", {}).get("quality") or name.rsplit("-", 1)[-1]
    description = f"Piper {quality} voice" + (
        f", {speakers} speakers (#0 ... #{speakers - 1})" if speakers > 1 else ""
    )
    return Voice(
        id=f"piper:{name}",
        engine="piper",
        name=name,
        language=str(language).replace("_", "-"),
        gender=None,
        sample_rate=int(config.get("audio", {}).get("sample_rate", 22050)),
        description=description,
    )


def _text_words(text: str) -> list[tuple[int, int]]:
    """Spans of the words of `text` that espeak will speak (tokens with a letter or digit)."""
    spans = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _word_timings(
    chunk: Any, text: str, words: list[tuple[int, int]], cursor: int
) -> tuple[tuple[WordTiming, ...], int]:
    """Word timings of one Piper chunk, taking the chunk's words from `words[cursor:]`."""
    groups = _phoneme_words(chunk.phonemes)
    alignments = chunk.phoneme_alignments
    if alignments is None or not groups:
        return (), cursor + len(groups)
    available = words[cursor : cursor + len(groups)]
    if len(available) != len(groups):
        return (), cursor + len(groups)
    rate = chunk.sample_rate
    # alignments are [BOS] + phonemes + [EOS], each with the samples it took (pads included)
    bounds = np.concatenate([[0], np.cumsum([a.num_samples for a in alignments])])
    timings = []
    for (first, last), (start, end) in zip(groups, available, strict=True):
        begin = int(bounds[first + 1])  # +1: BOS comes first
        finish = int(bounds[last + 2])
        timings.append(
            WordTiming(
                text=text[start:end], start=begin / rate, end=finish / rate, text_start=start, text_end=end
            )
        )
    return tuple(timings), cursor + len(groups)


def _phoneme_words(phonemes: list[str]) -> list[tuple[int, int]]:
    """(first, last) phoneme index of each word: runs between spaces that hold a speech sound."""
    groups: list[tuple[int, int]] = []
    start: int | None = None
    for index, phoneme in enumerate([*phonemes, " "]):
        if phoneme == " ":
            if start is not None:
                run = phonemes[start:index]
                last = index - 1
                while last >= start and not _is_sound(phonemes[last]):
                    last -= 1
                if any(_is_sound(p) for p in run):
                    groups.append((start, last))
                start = None
        elif start is None:
            start = index
    return groups


def _is_sound(phoneme: str) -> bool:
    return (
        phoneme not in {".", ",", "!", "?", ";", ":", "—", "-", "…", "'", '"', "(", ")"}
        and not phoneme.isspace()
    )


# ------------------------------------------------------------------------------- model layout


class PiperLayout:
    """A Piper voice: one `<voice>.onnx` with its `<voice>.onnx.json` config beside it
    (mynah.models.layout.ModelLayout)."""

    def select(self, name: str, files: Sequence[str]) -> list[str]:
        voice = [f for f in files if f.endswith((".onnx", ".onnx.json"))]
        own = [f for f in voice if f.rsplit("/", 1)[-1] in (f"{name}.onnx", f"{name}.onnx.json")]
        return own or voice

    def problem(self, files: Sequence[str]) -> str | None:
        names = [f.rsplit("/", 1)[-1] for f in files]
        onnx = [n for n in names if n.endswith(".onnx")]
        if len(onnx) != 1:
            return f"a Piper voice is one .onnx file with its .onnx.json beside it; found {len(onnx)} .onnx files"
        if f"{onnx[0]}.json" not in names:
            return f"{onnx[0]}.json (the voice's config) is missing"
        return None

    def finish(self, staging: Path) -> None:
        return None


LAYOUT = PiperLayout()
"""Declared under the `mynah.model_layouts` entry points (pyproject.toml)."""
