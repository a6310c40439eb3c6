"""Whisper windows decoded in batches: one encoder pass and one beam search for up to N windows.

A window here is at most 30 s of speech (Whisper's own input), cut at pauses by mynah's VAD and
planner (`mynah.stt.chunking`). Each window is decoded as faster-whisper's sequential `transcribe`
decodes its first 30 s, so that a short recording comes out the same either way:

    log-Mel features (padded to 30 s)  ──►  encode (the whole batch at once)
      ──►  language: the request's (mynah detects it once, from the first window), or per window
      ──►  generate: beam search with timestamps, no text from earlier windows as context
             (conditioning is what makes sequential decoding sequential), the first timestamp
             within 1 s, blank and non-speech tokens suppressed
      ──►  temperature fallback, window by window: a decode that repeats itself (gzip ratio > 2.4)
             or that the model doubts (mean log-probability < -1) is sampled again at 0.2, 0.4, ...
             1.0, as faster-whisper does, in a batch of the windows that need it
      ──►  a window the model calls silence (no-speech > 0.6 and log-probability < -1) gives nothing
      ──►  segments at Whisper's timestamp tokens; word times and probabilities from one
             cross-attention alignment over the batch (`WhisperModel.add_word_timestamps`)

Windows in one call may carry different options only in their language and prompt; the batching
queue (`mynah.stt.batching`) puts together only windows whose `batch_key` agrees.

Between the steps (before each window's encoding on CPU, after the encoder, before each decode at a temperature, before the alignment and
before each pass over the tails) the batch checks `mynah.cancel.check_cancelled`: the batching queue
runs it under a token that is set once every request in the batch was cancelled, so a batch nobody
waits for stops at the next step instead of running its remaining decodes.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from mynah.cancel import check_cancelled
from mynah.engines.base import TranscriptionOptions
from mynah.types import Samples, Segment, Transcription, Word

__all__ = ["MAX_BATCH_WINDOW", "decode_windows", "detect_language"]

MAX_BATCH_WINDOW = 30.0
"""Seconds: Whisper's input; a longer window would be cut short."""

_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
_COMPRESSION_RATIO_THRESHOLD = 2.4
_LOG_PROB_THRESHOLD = -1.0
_NO_SPEECH_THRESHOLD = 0.6
_MAX_INITIAL_TIMESTAMP = 1.0
_BEST_OF = 5
_TAIL = 1.5
"""Seconds of a window after its last word that are decoded again (see `decode_windows`)."""
_OPEN_TAIL = 0.3
"""Seconds after the last word of a window whose decode ended open (see `decode_windows`) from which
the rest is decoded again."""
_TAIL_PASSES = 2
_PREPEND = "\"'“¿([{-"
_APPEND = "\"'.。,，!！?？:：”)]}、"


def detect_language(model: Any, samples: Samples) -> tuple[str, float]:
    """The language of the first 30 s of `samples`, and its probability (one encoder pass). The
    encoding is kept for a moment (`_ENCODED`): a request detects its language on its first window
    and then sends that same window to a batch, which takes the encoding instead of redoing it."""
    import ctranslate2

    features = _features(model, samples)
    if getattr(model.model, "device", "cpu") != "cpu":
        language, probability, _ = model.detect_language(features=features)
        return str(language), float(probability)
    encoded = np.asarray(model.encode(features[np.newaxis]))
    _ENCODED.put(model, samples, encoded[0])
    found = model.model.detect_language(ctranslate2.StorageView.from_array(encoded))[0]
    return str(found[0][0])[2:-2], float(found[0][1])


def decode_windows(
    model: Any,
    windows: Sequence[tuple[Samples, TranscriptionOptions]],
    *,
    beam_size: int,
    language: str | None,
) -> list[Transcription]:
    """Transcribe each window (mono float32 at 16 kHz, <= 30 s), all in one batch.

    `model` is a faster_whisper.WhisperModel. Every window's options must agree on task, prompt,
    hotwords and word timestamps (see `batch_key`); `language` is theirs, or None to detect it per
    window on a multilingual model.

    Whisper sometimes stops before the end of a window, and sequential decoding seeks and decodes
    again; here the untranscribed tails of a batch are decoded together in a second pass, at most
    twice: (1) a decode that ended open (two timestamp tokens: Whisper closed a segment and began
    the next, then stopped), where sequential decoding always goes on from the last word, when more
    than `_OPEN_TAIL` seconds follow it (tiny.en dropped the last word, "1455.", of an LJSpeech
    clip so: 1.4 s after "of about"); (2) any window whose last word is more than `_TAIL` seconds
    before its end (tiny.en dropped "before the woodcutters of the Netherlands, by a similar
    process" so, though its decode said the speech had ended).
    """
    if not windows:
        return []
    options = windows[0][1]
    rate = model.feature_extractor.sampling_rate
    samples = [s for s, _ in windows]
    decoded = _decode_pass(model, samples, options, beam_size, [language] * len(samples))
    segments = [found for found, _, _ in decoded]
    languages = [lang for _, lang, _ in decoded]
    open_ends = [open_end for _, _, open_end in decoded]
    done = [False] * len(samples)
    for _ in range(_TAIL_PASSES):
        check_cancelled()
        tails = [(i, _last_end(segments[i])) for i in range(len(samples)) if segments[i] and not done[i]]
        tails = [
            (i, at)
            for i, at in tails
            if len(samples[i]) / rate - at > (_OPEN_TAIL if open_ends[i] else _TAIL)
        ]
        if not tails:
            break
        rerun = _decode_pass(
            model,
            [samples[i][round(at * rate) :] for i, at in tails],
            options,
            beam_size,
            [languages[i][0] for i, _ in tails],
        )
        for (i, at), (found, _, open_end) in zip(tails, rerun, strict=True):
            open_ends[i] = open_end
            if not found:
                done[i] = True  # nothing more in it: do not ask again
                continue
            segments[i] += [_shifted(segment, at) for segment in found]
    return [
        Transcription(
            segments=tuple(_segment(i, s) for i, s in enumerate(found)),
            duration=len(window) / rate,
            language=code,
            language_probability=probability,
        )
        for window, found, (code, probability) in zip(samples, segments, languages, strict=True)
    ]


def _decode_pass(
    model: Any,
    samples: list[Samples],
    options: TranscriptionOptions,
    beam_size: int,
    asked: list[str | None],
) -> list[tuple[list[dict[str, Any]], tuple[str, float | None], bool]]:
    """One batch through encoder, decoder and alignment: each window's segments (times local to
    it), its language, and whether its decode ended open (its last two tokens timestamps)."""
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

    multilingual = bool(model.model.is_multilingual)
    frames = [min(model.feature_extractor.nb_max_frames, _frames(model, len(s))) for s in samples]
    encoder_output = _encode(model, samples)
    check_cancelled()

    languages: list[tuple[str, float | None]]
    if not multilingual:
        languages = [("en", 1.0)] * len(samples)
    elif all(code is not None for code in asked):
        languages = [(str(code), 1.0) for code in asked]
    else:
        detected = model.model.detect_language(encoder_output)
        languages = [
            (str(code), 1.0) if code is not None else (str(found[0][0])[2:-2], float(found[0][1]))
            for code, found in zip(asked, detected, strict=True)
        ]

    tokenizers = {
        code: Tokenizer(model.hf_tokenizer, multilingual, task=options.task, language=code)
        for code in {code for code, _ in languages}
    }
    first = tokenizers[languages[0][0]]
    prompt_text = (" " + options.prompt.strip()) if options.prompt else None
    previous = first.encode(prompt_text) if prompt_text else []
    hotwords = " ".join(options.hotwords) or None
    suppress = get_suppressed_tokens(first, [-1])
    prompts = [
        model.get_prompt(tokenizers[code], list(previous), without_timestamps=False, hotwords=hotwords)
        for code, _ in languages
    ]
    max_length = model.max_length

    decoded: list[dict[str, Any] | None] = [None] * len(samples)
    pending = list(range(len(samples)))
    candidates: list[list[dict[str, Any]]] = [[] for _ in samples]
    for temperature in _TEMPERATURES:
        if not pending:
            break
        check_cancelled()
        sampling: dict[str, Any] = (
            {"beam_size": beam_size, "patience": 1.0}
            if temperature == 0
            else {
                "beam_size": 1,
                "num_hypotheses": _BEST_OF,
                "sampling_topk": 0,
                "sampling_temperature": temperature,
            }
        )
        output = encoder_output if len(pending) == len(samples) else _rows(encoder_output, pending)
        results = model.model.generate(
            output,
            [prompts[i] for i in pending],
            max_length=max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=suppress,
            max_initial_timestamp_index=round(_MAX_INITIAL_TIMESTAMP / model.time_precision),
            **sampling,
        )
        still: list[int] = []
        for index, result in zip(pending, results, strict=True):
            tokens = list(result.sequences_ids[0])
            avg_logprob = float(result.scores[0]) * len(tokens) / (len(tokens) + 1)
            ratio = get_compression_ratio(tokenizers[languages[index][0]].decode(tokens).strip())
            attempt = {
                "tokens": tokens,
                "avg_logprob": avg_logprob,
                "no_speech_prob": float(result.no_speech_prob),
                "ratio": ratio,
            }
            candidates[index].append(attempt)
            silent = attempt["no_speech_prob"] > _NO_SPEECH_THRESHOLD and avg_logprob < _LOG_PROB_THRESHOLD
            if silent or (ratio <= _COMPRESSION_RATIO_THRESHOLD and avg_logprob >= _LOG_PROB_THRESHOLD):
                decoded[index] = attempt
            else:
                still.append(index)
        pending = still
    for index in pending:  # every temperature failed: the likeliest of those that did not repeat
        tried = candidates[index]
        usable = [a for a in tried if a["ratio"] <= _COMPRESSION_RATIO_THRESHOLD] or tried
        decoded[index] = max(usable, key=lambda a: a["avg_logprob"])

    segments_per_window: list[list[dict[str, Any]]] = []
    open_ends: list[bool] = []
    for index, chosen in enumerate(decoded):
        assert chosen is not None
        attempt = chosen
        tokenizer = tokenizers[languages[index][0]]
        duration = len(samples[index]) / model.feature_extractor.sampling_rate
        tokens = attempt["tokens"]
        begin = tokenizer.timestamp_begin
        open_ends.append(len(tokens) >= 2 and tokens[-1] >= begin and tokens[-2] >= begin)
        if attempt["no_speech_prob"] > _NO_SPEECH_THRESHOLD and attempt["avg_logprob"] < _LOG_PROB_THRESHOLD:
            segments_per_window.append([])
            continue
        segments_per_window.append(
            [
                {
                    "seek": 0,
                    "start": start,
                    "end": end,
                    "tokens": tokens,
                    "text": tokenizer.decode(tokens),
                    "avg_logprob": attempt["avg_logprob"],
                    "no_speech_prob": attempt["no_speech_prob"],
                }
                for start, end, tokens in _split(tokenizer, attempt["tokens"], duration, model.time_precision)
            ]
        )
    if options.word_timestamps:
        check_cancelled()
        _add_words(model, tokenizers, languages, segments_per_window, encoder_output, frames)

    return list(zip(segments_per_window, languages, open_ends, strict=True))


def _add_words(
    model: Any,
    tokenizers: dict[str, Any],
    languages: list[tuple[str, float | None]],
    segments: list[list[dict[str, Any]]],
    encoder_output: Any,
    frames: list[int],
) -> None:
    """Word timings for every window with text, one alignment call per language (usually one)."""
    for code, tokenizer in tokenizers.items():
        rows = [i for i, (c, _) in enumerate(languages) if c == code and segments[i]]
        if not rows:
            continue
        output = encoder_output if len(rows) == len(segments) else _rows(encoder_output, rows)
        model.add_word_timestamps(
            [segments[i] for i in rows], tokenizer, output, [frames[i] for i in rows], _PREPEND, _APPEND, 0.0
        )


def _split(
    tokenizer: Any, tokens: list[int], duration: float, precision: float
) -> list[tuple[float, float, list[int]]]:
    """Segments at Whisper's timestamp tokens: `<|t0|> text <|t1|><|t1|> text <|t2|>`. Text after
    the last timestamp (Whisper leaves the last segment open when it thinks speech goes on past
    the window) is kept, up to the end of the window: sequential decoding would decode it again
    in the next 30 s; a window cut at a pause has no next 30 s."""
    begin, eot = tokenizer.timestamp_begin, tokenizer.eot
    segments: list[tuple[float, float, list[int]]] = []
    start = 0.0
    text: list[int] = []
    for token in tokens:
        if token >= begin:
            at = min(duration, (token - begin) * precision)
            if text:
                segments.append((start, max(start, at), text))
                text = []
            start = at
        elif token < eot:
            text.append(token)
    if text:
        segments.append((start, max(start, duration), text))
    return segments


def _last_end(segments: list[dict[str, Any]]) -> float:
    last = segments[-1]
    words = last.get("words") or ()
    return float(words[-1]["end"]) if words else float(last["end"])


def _shifted(segment: dict[str, Any], offset: float) -> dict[str, Any]:
    words = [
        {**w, "start": w["start"] + offset, "end": w["end"] + offset} for w in segment.get("words") or ()
    ]
    return {**segment, "start": segment["start"] + offset, "end": segment["end"] + offset, "words": words}


def _features(model: Any, samples: Samples) -> np.ndarray:
    from faster_whisper.audio import pad_or_trim

    limit = model.feature_extractor.n_samples
    features = model.feature_extractor(np.asarray(samples[:limit], dtype=np.float32))[..., :-1]
    padded: np.ndarray = pad_or_trim(features)
    return padded


def _encode(model: Any, samples: list[Samples]) -> Any:
    """The encoder's output for a batch, a window's kept encoding (`detect_language`) used instead
    of encoding it again. On CPU the windows go through the encoder one at a time, checking for
    cancellation before each: CTranslate2's encoder costs the same per window batched or not there
    (measured: 9 windows in batches of 3 or 9, 13.6-14.7 s of CPU either way), and a batch nobody
    waits for then stops within one window's encoding instead of the whole batch's."""
    import ctranslate2

    if getattr(model.model, "device", "cpu") != "cpu":
        return model.encode(np.stack([_features(model, s) for s in samples]))
    kept = [_ENCODED.take(model, s) for s in samples]
    rows = []
    for window, encoded in zip(samples, kept, strict=True):
        if encoded is None:
            check_cancelled()
            encoded = np.asarray(model.encode(_features(model, window)[np.newaxis]))[0]
        rows.append(encoded)
    return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.stack(rows)))


class _EncodedWindows:
    """Encoder outputs of the last few windows whose language was detected, by model and by the
    window's samples (a digest of them), each taken once. A few, because a request detects its
    language only on its first window, and one is taken moments later by the batch that window
    joins; one never taken (its request cancelled in between) is pushed out by later ones."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[int, bytes], tuple[weakref.ref[Any], np.ndarray]] = OrderedDict()

    def put(self, model: Any, samples: Samples, encoded: np.ndarray) -> None:
        with self._lock:
            self._kept[self._key(model, samples)] = (weakref.ref(model), encoded)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def take(self, model: Any, samples: Samples) -> np.ndarray | None:
        if not self._kept:  # the usual case: nothing to look for, nothing to hash
            return None
        key = self._key(model, samples)
        with self._lock:
            found = self._kept.pop(key, None)
        if found is None or found[0]() is not model:  # a new model at a freed model's address
            return None
        return found[1]

    @staticmethod
    def _key(model: Any, samples: Samples) -> tuple[int, bytes]:
        data = np.ascontiguousarray(samples, dtype=np.float32)
        return id(model), hashlib.blake2b(data.tobytes(), digest_size=16).digest()


_ENCODED = _EncodedWindows()


def _frames(model: Any, samples: int) -> int:
    hop: int = model.feature_extractor.hop_length
    return round(samples / hop)


def _rows(encoder_output: Any, rows: list[int]) -> Any:
    """The encoder output of some windows of the batch (a CPU StorageView)."""
    import ctranslate2

    return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.asarray(encoder_output)[rows]))


def _segment(index: int, segment: dict[str, Any]) -> Segment:
    words = tuple(
        Word(
            text=str(w["word"]).strip(),
            start=float(w["start"]),
            end=float(w["end"]),
            probability=min(max(float(w["probability"]), 0.0), 1.0),
            joins_previous=not str(w["word"])[:1].isspace(),
        )
        for w in segment.get("words") or ()
        if str(w["word"]).strip()
    )
    return Segment(
        id=index,
        start=float(segment["start"]),
        end=float(segment["end"]),
        text=str(segment["text"]).strip(),
        words=words,
        avg_logprob=float(segment["avg_logprob"]),
        no_speech_prob=float(segment["no_speech_prob"]),
    )
