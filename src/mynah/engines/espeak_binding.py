"""The ctypes binding to libespeak-ng's C API (speak_lib.h): what `mynah.engines.espeak` calls.

Process-global state
    libespeak-ng keeps one voice, one set of parameters and one synthesis callback per process. Every
    call into it holds `PROCESS.lock`, and `espeak_Initialize` runs once per library per process
    (`PROCESS.sample_rates` records it), so any number of `EspeakLibrary` objects can coexist. Each
    synthesis sets voice, rate, pitch and callback again before `espeak_Synth`, under the lock.

Synthesis is synchronous (`AUDIO_OUTPUT_SYNCHRONOUS`): `espeak_Synth` calls the callback with audio and
events on the calling thread and returns when the text is spoken. Word events carry `text_position`
1-based in characters (with `espeakCHARS_UTF8`), and the audio position in milliseconds.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from mynah.errors import EngineFailed, EngineUnavailable
from mynah.types import Samples

__all__ = ["PHONEMES", "PROCESS", "Capture", "EspeakLibrary", "ListedVoice"]

# speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
PHONEMES = 0x100
"""espeakPHONEMES: read [[...]] as phoneme mnemonics."""
_ENDPAUSE = 0x1000
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_EE_OK = 0
_GENDERS = {1: "male", 2: "female"}


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


PROCESS = _ProcessState()


@dataclass(frozen=True)
class ListedVoice:
    """One voice as espeak lists it: display name, identifier (`gmw/en-US`), (priority, language)
    pairs, gender."""

    name: str
    identifier: str
    languages: tuple[tuple[int, str], ...]
    gender: str | None


@dataclass
class Capture:
    """Audio and word events collected by the synthesis callback for one `espeak_Synth` call."""

    pcm: list[npt.NDArray[np.int16]] = field(default_factory=list)
    words: list[tuple[int, int, int]] = field(default_factory=list)
    """(text_position 1-based in characters, length in characters, audio_position ms)."""
    error: BaseException | None = None

    def samples(self) -> Samples:
        """The audio as float32 in [-1, 1]."""
        if not self.pcm:
            return np.zeros(0, dtype=np.float32)
        samples: Samples = np.concatenate(self.pcm).astype(np.float32) / np.float32(32768.0)
        return samples


class EspeakLibrary:
    """One loaded libespeak-ng, initialised for synchronous synthesis with its data at `data_path`.
    Raises `EngineUnavailable` when the library cannot load or initialise."""

    def __init__(self, library_path: str, data_path: str) -> None:
        try:
            self._lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise EngineUnavailable(f"cannot load espeak-ng from {library_path}: {exc}") from exc
        self._declare()
        self._capture: Capture | None = None
        self._callback = _SynthCallback(self._on_synth)
        key = os.path.realpath(library_path)
        with PROCESS.lock:
            rate = PROCESS.sample_rates.get(key)
            if rate is None:
                rate = self._lib.espeak_Initialize(
                    _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), _INITIALIZE_DONT_EXIT
                )
                if rate <= 0:
                    raise EngineUnavailable(f"espeak-ng failed to initialise with data at {data_path}")
                PROCESS.sample_rates[key] = rate
            self.sample_rate: int = rate

    def voices(self, language: bytes | None = None) -> list[ListedVoice]:
        """The voices espeak lists (for `language=b"variant"`: the variants)."""
        with PROCESS.lock:
            spec = None
            if language is not None:
                spec = _EspeakVoice()
                spec.languages = ctypes.cast(ctypes.c_char_p(language), ctypes.c_void_p).value
            listed = self._lib.espeak_ListVoices(ctypes.byref(spec) if spec is not None else None)
            out = []
            i = 0
            while listed[i]:
                raw = listed[i].contents
                out.append(
                    ListedVoice(
                        name=(raw.name or b"").decode("utf-8", "replace").strip(),
                        identifier=(raw.identifier or b"").decode("utf-8", "replace"),
                        languages=_read_languages(raw.languages),
                        gender=_GENDERS.get(raw.gender),
                    )
                )
                i += 1
            return out

    def synth(self, text: str, selector: bytes, rate: int, pitch: int, *, flags: int = 0) -> Capture:
        """Speak `text` with the voice `selector` (espeak's name, `+variant` allowed) at espeak's rate
        (words per minute) and pitch (0..100). Ends with espeak's pause for the closing punctuation."""
        data = text.encode("utf-8") + b"\0"
        capture = Capture()
        flags |= _CHARS_UTF8 | _ENDPAUSE
        with PROCESS.lock:
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
