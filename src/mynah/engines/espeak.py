"""espeak-ng text to speech through its C API (ctypes), using the library the `espeakng-loader` wheel ships.

Voices
    Every voice espeak-ng has (141 with espeak-ng 1.52), named by the last part of espeak's own voice
    identifier, lower-cased: `gmw/en-US` -> `en-us`, `roa/fr` -> `fr`, `gmw/en` -> `en` (espeak's British
    English). Those names are unique and are what `espeak_SetVoiceByName` accepts. `synthesize` also takes
    espeak's language codes (`fr-fr`, `en-gb`, `zh`: the voice that lists the code with the best priority),
    espeak's display names (`English (America)`), full identifiers (`gmw/en-US`) and variants appended
    with `+` (`en-us+f3`, `de+Annie`); `resolve_voice` turns any of those into a `Voice`.

Process-global state
    libespeak-ng keeps one voice, one set of parameters and one synthesis callback per process. Every
    call into it holds `_PROCESS.lock`, and `espeak_Initialize` runs once per library per process
    (`_PROCESS.sample_rates` records it), so any number of `EspeakEngine` instances can coexist. Each
    synthesis sets voice, rate, pitch and callback again before `espeak_Synth`, under the lock.

Streaming and timings
    `synthesize` splits the text at sentence ends and runs one `espeak_Synth` per sentence, yielding one
    `AudioChunk` each. Every chunk ends with espeak's own pause for its closing punctuation
    (`espeakENDPAUSE`: about 0.3 s after a full stop at normal speed), so chunks, and sentences that a
    caller synthesises one by one, join with the pauses espeak puts between the sentences of one text.
    espeak's output varies by a few samples from call to call (its pitch flutter carries over).

    Word timings come from `espeakEVENT_WORD`: `text_position` is 1-based and counts characters, not
    UTF-8 bytes (checked with "Grüße aus Köln"). Events are mapped onto the words of the input, merged
    where espeak reads one word as several ("123") and repaired where espeak misplaces or drops one
    ("It was", "I am"); see `_word_timings`. A word ends where the next begins, or at the end of the
    chunk, pulled back past trailing silence (10 ms frames 40 dB under the chunk's loudest frame), so
    the pauses after commas and sentences are not counted as speech.

Speed and pitch
    Speed 1.0 is espeak's 175 words per minute, clamped to its 80..450 range. Pitch p sets espeak's
    pitch parameter 50 + 50 * log2(p), clamped to 0..100: espeak scales the voice's base pitch by
    2 ** ((value - 50) / 50), so p = 1.5 raises it by half, and 0.5..2.0 is the reachable range.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.engines.espeak_ipa import ipa_to_espeak
from mynah.errors import EngineFailed, EngineUnavailable, UnknownVoice
from mynah.types import AudioChunk, Samples, WordTiming

__all__ = ["EspeakEngine", "bcp47", "sentence_spans"]

# speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # espeakPHONEMES: read [[...]] as phoneme mnemonics
_ENDPAUSE = 0x1000
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_EE_OK = 0
_RATE_NORMAL = 175
_RATE_MIN = 80
_RATE_MAX = 450
_PITCH_NORMAL = 50

_MAX_SENTENCE_CHARS = 600
_SILENCE_DB = 40.0
_FLOOR_DBFS = -60.0


class _EspeakVoice(ctypes.Structure):
    # `languages` is a packed list of (priority byte, NUL-terminated string) pairs, so it is read raw.
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _EspeakEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_EspeakEvent)
)


class _ProcessState:
    """What libespeak-ng shares across the whole process: one lock for every call into it, and the
    sample rate of each library (by path) already initialised. Holds no library handle."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.sample_rates: dict[str, int] = {}


_PROCESS = _ProcessState()


@dataclass(frozen=True)
class _VoiceEntry:
    voice: Voice
    identifier: str
    espeak_name: str
    languages: tuple[tuple[int, str], ...]


@dataclass
class _Capture:
    """Audio and word events collected by the synthesis callback for one `espeak_Synth` call."""

    pcm: list[npt.NDArray[np.int16]] = field(default_factory=list)
    words: list[tuple[int, int, int]] = field(default_factory=list)
    """(text_position 1-based in characters, length in characters, audio_position ms)."""
    error: BaseException | None = None


class EspeakOptions(EngineOptions):
    library_path: str | None = None
    """libespeak-ng to load; default: the `espeakng-loader` wheel's."""
    data_path: str | None = None
    """espeak-ng's data directory; default: the wheel's."""


class EspeakEngine:
    """espeak-ng TTS. Options: `library_path`, `data_path` (default: the `espeakng-loader` wheel's)."""

    name = "espeak"
    capabilities = TtsCapabilities(
        streaming=True, word_timings=True, native_speed=True, native_pitch=True, phonemes=True, cloning=False
    )

    def __init__(self, config: EngineConfig) -> None:
        options = config.parse_options(EspeakOptions, self.name)
        library_path, data_path = options.library_path, options.data_path
        if library_path is None or data_path is None:
            try:
                import espeakng_loader
            except ImportError as exc:
                raise EngineUnavailable("espeak-ng library not found; pip install espeakng-loader") from exc
            library_path = library_path or espeakng_loader.get_library_path()
            try:
                data_path = data_path or espeakng_loader.get_data_path()
            except RuntimeError as exc:
                raise EngineUnavailable(f"espeak-ng data missing: {exc}") from exc
        try:
            self._lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise EngineUnavailable(f"cannot load espeak-ng from {library_path}: {exc}") from exc
        self._declare()
        self._capture: _Capture | None = None
        self._callback = _SynthCallback(self._on_synth)
        key = os.path.realpath(library_path)
        with _PROCESS.lock:
            rate = _PROCESS.sample_rates.get(key)
            if rate is None:
                rate = self._lib.espeak_Initialize(
                    _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _INITIALIZE_DONT_EXIT
                )
                if rate <= 0:
                    raise EngineUnavailable(f"espeak-ng failed to initialise with data at {data_path}")
                _PROCESS.sample_rates[key] = rate
            self.sample_rate: int = rate
            entries = self._list_voices(None)
            variants = self._list_voices(b"variant")
        self._entries = self._name_voices(entries)
        self._by_name = {e.voice.name: e for e in self._entries}
        # Variant files are looked up by name on a case-sensitive file system: keep espeak's spelling.
        self._variants = {
            ident.rsplit("/", 1)[-1].lower(): (ident.rsplit("/", 1)[-1], name, gender)
            for name, ident, _, gender in variants
        }

    # ------------------------------------------------------------------------------------ public API

    def voices(self) -> list[Voice]:
        """Every espeak-ng voice (variants are not listed; `resolve_voice` accepts them)."""
        return [e.voice for e in self._entries]

    def resolve_voice(self, name: str) -> Voice:
        """The voice `synthesize` would use for `name`; raises `UnknownVoice` when there is none.

        `name` is a listed voice name, an espeak language code, display name or identifier, optionally
        followed by `+variant`."""
        entry, variant = self._resolve(name)
        if variant is None:
            return entry.voice
        file_name, display, gender = variant
        return replace(
            entry.voice,
            id=f"{self.name}:{entry.voice.name}+{file_name}",
            name=f"{entry.voice.name}+{file_name}",
            gender=gender or entry.voice.gender,
            description=f"{entry.espeak_name}, variant {display}",
        )

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """Speak `text`, one chunk per sentence. The voice is checked here, before the first chunk."""
        entry, variant = self._resolve(options.voice)
        selector = entry.identifier + (f"+{variant[0]}" if variant else "")
        rate = _espeak_rate(options.speed)
        pitch = _espeak_pitch(options.pitch)
        if options.ipa:  # one phoneme string: its only "word" covers the whole text
            phonemes = "[[" + ipa_to_espeak(text).replace("]]", "") + "]]"
            return self._phoneme_chunks(text, phonemes, selector.encode(), rate, pitch)
        text = text.replace("\0", " ")  # same length: offsets still point into the caller's text
        return self._chunks(text, sentence_spans(text), selector.encode(), rate, pitch)

    def _phoneme_chunks(
        self, text: str, phonemes: str, selector: bytes, rate: int, pitch: int
    ) -> Iterator[AudioChunk]:
        capture = self._synth(phonemes, selector, rate, pitch, flags=_PHONEMES)
        samples = self._samples(capture)
        end = len(samples) / self.sample_rate
        words = (WordTiming(text=text, start=0.0, end=end, text_start=0, text_end=len(text)),) if text else ()
        yield AudioChunk(samples=samples, sample_rate=self.sample_rate, words=words)

    @staticmethod
    def _samples(capture: _Capture) -> Samples:
        if not capture.pcm:
            return np.zeros(0, dtype=np.float32)
        samples: Samples = np.concatenate(capture.pcm).astype(np.float32) / np.float32(32768.0)
        return samples

    # ----------------------------------------------------------------------------------- internals

    def _chunks(
        self, text: str, spans: list[tuple[int, int]], selector: bytes, rate: int, pitch: int
    ) -> Iterator[AudioChunk]:
        for start, end in spans:
            piece = text[start:end]
            capture = self._synth(piece, selector, rate, pitch)
            samples = self._samples(capture)
            words = _word_timings(piece, start, capture.words, samples, self.sample_rate)
            yield AudioChunk(samples=samples, sample_rate=self.sample_rate, words=words)

    def _synth(self, piece: str, selector: bytes, rate: int, pitch: int, *, flags: int = 0) -> _Capture:
        data = piece.encode("utf-8") + b"\0"
        capture = _Capture()
        flags |= _CHARS_UTF8 | _ENDPAUSE
        with _PROCESS.lock:
            if self._lib.espeak_SetVoiceByName(selector) != _EE_OK:
                raise EngineFailed(f"espeak-ng could not load voice {selector.decode()!r}")
            self._lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
            self._lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
            self._lib.espeak_SetSynthCallback(self._callback)
            self._capture = capture
            try:
                status = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, flags, None, None)
            finally:
                self._capture = None
        if capture.error is not None:
            raise EngineFailed(f"espeak-ng synthesis failed: {capture.error!r}") from capture.error
        if status != _EE_OK:
            raise EngineFailed(f"espeak-ng synthesis failed with status {status}")
        return capture

    def _on_synth(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_EspeakEvent]
    ) -> int:
        # Runs inside espeak_Synth on the calling thread; an exception here could not propagate, so it
        # is kept and the synthesis aborted (return 1).
        capture = self._capture
        if capture is None:
            return 1
        try:
            if count > 0 and wav:
                capture.pcm.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            i = 0
            while events[i].type != _EVENT_LIST_TERMINATED:
                event = events[i]
                if event.type == _EVENT_WORD and event.text_position > 0:
                    capture.words.append((event.text_position, event.length, event.audio_position))
                i += 1
        except Exception as exc:
            capture.error = exc
            return 1
        return 0

    def _resolve(self, name: str) -> tuple[_VoiceEntry, tuple[str, str, str | None] | None]:
        base, _, variant_name = name.strip().partition("+")
        entry = self._find_entry(base)
        if entry is None:
            raise UnknownVoice(f"unknown espeak voice {name!r}", param="voice")
        if not variant_name:
            return entry, None
        variant = self._variants.get(variant_name.lower())
        if variant is None:
            raise UnknownVoice(f"unknown espeak voice variant {variant_name!r} in {name!r}", param="voice")
        return entry, variant

    def _find_entry(self, name: str) -> _VoiceEntry | None:
        key = name.lower()
        if not key:
            return None
        found = self._by_name.get(key)
        if found is not None:
            return found
        for entry in self._entries:
            if key in (entry.identifier.lower(), entry.espeak_name.lower()):
                return entry
        best: tuple[int, _VoiceEntry] | None = None
        for entry in self._entries:
            for priority, language in entry.languages:
                if language == key and (best is None or priority < best[0]):
                    best = (priority, entry)
        return best[1] if best else None

    def _declare(self) -> None:
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_EspeakVoice)]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_EspeakVoice))
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int

    def _list_voices(
        self, language: bytes | None
    ) -> list[tuple[str, str, tuple[tuple[int, str], ...], str | None]]:
        """(display name, identifier, languages, gender) per voice; call with the lock held."""
        spec = None
        if language is not None:
            spec = _EspeakVoice()
            spec.languages = ctypes.cast(ctypes.c_char_p(language), ctypes.c_void_p).value
        listed = self._lib.espeak_ListVoices(ctypes.byref(spec) if spec is not None else None)
        out = []
        i = 0
        while listed[i]:
            raw = listed[i].contents
            name = (raw.name or b"").decode("utf-8", "replace").strip()
            identifier = (raw.identifier or b"").decode("utf-8", "replace")
            out.append((name, identifier, _read_languages(raw.languages), _GENDERS.get(raw.gender)))
            i += 1
        return out

    def _name_voices(
        self, listed: list[tuple[str, str, tuple[tuple[int, str], ...], str | None]]
    ) -> list[_VoiceEntry]:
        entries = []
        seen: set[str] = set()
        for display, identifier, languages, gender in listed:
            name = identifier.rsplit("/", 1)[-1].lower()
            if not name or name in seen:
                name = identifier.lower().replace("/", "-")
            seen.add(name)
            language = languages[0][1] if languages else name
            voice = Voice(
                id=f"{self.name}:{name}",
                engine=self.name,
                name=name,
                language=bcp47(language),
                gender=gender,
                sample_rate=self.sample_rate,
                description=display,
            )
            entries.append(_VoiceEntry(voice, identifier, display, languages))
        return entries


_GENDERS = {1: "male", 2: "female"}


def _read_languages(address: int | None) -> tuple[tuple[int, str], ...]:
    if not address:
        return ()
    raw = ctypes.cast(address, ctypes.POINTER(ctypes.c_ubyte))
    out = []
    pos = 0
    while raw[pos] != 0:
        priority = raw[pos]
        pos += 1
        text = ctypes.string_at(address + pos)
        out.append((priority, text.decode("utf-8", "replace").lower()))
        pos += len(text) + 1
    return tuple(out)


def bcp47(tag: str) -> str:
    """Case a language tag the BCP-47 way: `en-gb-x-rp` -> `en-GB-x-rp`, `cmn-latn-pinyin` ->
    `cmn-Latn-pinyin`."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    private = False
    for part in parts[1:]:
        if private or part.lower() == "x":
            private = True
            out.append(part.lower())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _espeak_rate(speed: float) -> int:
    if not math.isfinite(speed) or speed <= 0:
        speed = 1.0
    return max(_RATE_MIN, min(_RATE_MAX, round(_RATE_NORMAL * speed)))


def _espeak_pitch(pitch: float) -> int:
    # espeak scales the voice's base pitch by 2 ** ((p - 50) / 50) (wavegen.c pitch_adjust_tab), p in 0..100.
    if not math.isfinite(pitch) or pitch <= 0:
        pitch = 1.0
    return max(0, min(100, round(_PITCH_NORMAL + 50 * math.log2(pitch))))


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？]+|\n[ \t]*\n")


def sentence_spans(text: str, max_chars: int = _MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Character spans of the sentences in `text`, without surrounding whitespace.

    A sentence ends after `.`, `!`, `?` or `…` (with closing quotes or brackets) followed by white space,
    after `。！？`, or at a blank line. Longer pieces than `max_chars` are cut at the last clause
    punctuation or space before the limit, so streaming stays responsive."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.extend(_cut(text, start, match.end(), max_chars))
        start = match.end()
    spans.extend(_cut(text, start, len(text), max_chars))
    return spans


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while True:
        start, stop = _trim(text, start, end)
        if stop <= start:
            return out
        if stop - start <= max_chars:
            out.append((start, stop))
            return out
        window = text[start : start + max_chars]
        clause = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if clause >= max_chars // 2:
            cut = clause + 1
        else:
            cut = max((i for i, c in enumerate(window) if c.isspace()), default=0) or max_chars
        out.append(_trim(text, start, start + cut))
        start += cut


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_WORD = re.compile(r"\S+")


@dataclass
class _Group:
    """espeak word events taken as one spoken word: its token, character range and first sample, and
    the samples of later events merged into it."""

    token: int
    lo: int
    hi: int
    sample: int
    extra: list[int] = field(default_factory=list)


def _word_timings(
    piece: str, offset: int, events: list[tuple[int, int, int]], samples: Samples, sample_rate: int
) -> tuple[WordTiming, ...]:
    """Turn espeak word events for `piece` (which starts at `offset` in the caller's text) into timings.

    An event belongs to the whitespace-delimited token holding its first character; one that starts on
    white space continues the token before it (espeak reports the second word of a spoken emoji there).
    Overlapping events in one token merge ("123" is read as three words with overlapping spans); disjoint
    ones stay separate words ("你好世界" is two). Within a token the words share its characters, leading
    and trailing punctuation left out unless espeak spoke it.

    espeak misplaces some words: in "It was" it reports "was" at "It" + 1, and in "I am here" it
    reports no "am" at all. So a word left without an event takes a surplus event merged into the
    word before it, when there is one; otherwise it joins the text of the word before it ("I am")."""
    tokens = [(m.start(), m.end()) for m in _WORD.finditer(piece)]
    if not tokens or not events:
        return ()
    groups = _repair(_group(tokens, events, len(samples), sample_rate), tokens, piece)
    loudness = _frame_loudness(samples, sample_rate)
    out = []
    for index, group in enumerate(groups):
        following = groups[index + 1] if index + 1 < len(groups) else None
        lo = group.lo
        if index == 0:  # words before espeak's first event are taken as spoken with it
            first = next((k for k in range(group.token) if _has_word(piece, tokens[k])), group.token)
            lo = min(lo, _strip_punctuation(piece, *tokens[first])[0])
        elif groups[index - 1].token != group.token:
            lo = min(lo, _strip_punctuation(piece, *tokens[group.token])[0])
        if following is not None and following.token == group.token:
            hi = max(_strip_punctuation(piece, lo, following.lo)[1], lo + 1)
        else:
            limit = following.token if following is not None else len(tokens)
            last_word = max(
                (k for k in range(group.token, limit) if _has_word(piece, tokens[k])), default=group.token
            )
            hi = max(group.hi, _strip_punctuation(piece, *tokens[last_word])[1])
        stop = following.sample if following is not None else len(samples)
        end = _voiced_end(loudness, group.sample, max(stop, group.sample))
        out.append(
            WordTiming(
                text=piece[lo:hi],
                start=group.sample / sample_rate,
                end=end / sample_rate,
                text_start=offset + lo,
                text_end=offset + hi,
            )
        )
    return tuple(out)


def _group(
    tokens: list[tuple[int, int]], events: list[tuple[int, int, int]], count: int, sample_rate: int
) -> list[_Group]:
    groups: list[_Group] = []
    for position, length, audio_ms in events:
        first = position - 1
        token = _token_at(tokens, first)
        t_start, t_end = tokens[token]
        lo = min(max(first, t_start), t_end - 1)
        hi = max(min(first + max(length, 1), t_end), lo + 1)
        sample = min(max(round(audio_ms * sample_rate / 1000), 0), count)
        last = groups[-1] if groups else None
        if last is not None:
            sample = max(sample, last.sample)
            if last.token > token or (last.token == token and lo < last.hi):
                if last.token == token:
                    last.lo, last.hi = min(last.lo, lo), max(last.hi, hi)
                last.extra.append(sample)
                continue
        groups.append(_Group(token, lo, hi, sample))
    return groups


def _repair(groups: list[_Group], tokens: list[tuple[int, int]], piece: str) -> list[_Group]:
    """Give words that espeak left without an event the surplus events of the word before them."""
    out: list[_Group] = []
    for index, group in enumerate(groups):
        out.append(group)
        limit = groups[index + 1].token if index + 1 < len(groups) else len(tokens)
        missing = [k for k in range(group.token + 1, limit) if _has_word(piece, tokens[k])]
        take = min(len(missing), len(group.extra))
        if not take:
            continue
        moved = group.extra[len(group.extra) - take :]
        del group.extra[len(group.extra) - take :]
        group.hi = min(group.hi, tokens[group.token][1])
        for token, sample in zip(missing, moved, strict=False):
            lo, hi = _strip_punctuation(piece, *tokens[token])
            out.append(_Group(token, lo, hi, sample))
    return out


def _has_word(text: str, span: tuple[int, int]) -> bool:
    return any(c.isalnum() for c in text[span[0] : span[1]])


def _token_at(tokens: list[tuple[int, int]], char: int) -> int:
    previous = 0
    for index, (start, end) in enumerate(tokens):
        if start <= char < end:
            return index
        if start <= char:
            previous = index
    return previous


def _strip_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` without leading and trailing punctuation, or unchanged if that is all it is."""
    lo, hi = start, end
    while lo < hi and unicodedata.category(text[lo]).startswith("P"):
        lo += 1
    while hi > lo and unicodedata.category(text[hi - 1]).startswith("P"):
        hi -= 1
    return (lo, hi) if lo < hi else (start, end)


_Loudness = tuple[npt.NDArray[np.bool_], int]


def _frame_loudness(samples: Samples, sample_rate: int) -> _Loudness:
    """Which 10 ms frames hold sound (louder than 40 dB under the loudest frame, and than -60 dBFS)."""
    frame = max(1, sample_rate // 100)
    count = len(samples) // frame + (1 if len(samples) % frame else 0)
    padded = np.zeros(count * frame, dtype=np.float32)
    padded[: len(samples)] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, frame) ** 2, axis=1)) if count else np.zeros(0)
    peak = float(rms.max()) if count else 0.0
    threshold = max(10 ** (_FLOOR_DBFS / 20), peak * 10 ** (-_SILENCE_DB / 20))
    return rms > threshold, frame


def _voiced_end(loudness: _Loudness, start: int, stop: int) -> int:
    """The end of the last sounding frame in [start, stop), or `stop` when nothing in it sounds."""
    voiced, frame = loudness
    first = start // frame
    last = max(stop // frame, first + 1)  # frames wholly before the next word
    hits = np.flatnonzero(voiced[first:last])
    if hits.size == 0:
        return stop
    end = (first + int(hits[-1]) + 1) * frame
    return max(min(end, stop), min(start + frame, stop))
