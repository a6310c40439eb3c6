"""espeak-ng text to speech through its C API, using the library the `espeakng-loader` wheel ships.

    espeak_binding   the ctypes binding: loading, the process-wide lock, one synthesis call
    espeak_voices    voice names, language codes, variants (`en-us+f3`) -> the voice to load
    espeak_words     espeak's word events -> word timings
    espeak_ipa       IPA -> espeak's phoneme mnemonics (SSML <phoneme>, IPA lexicon entries)

Synthesis
    `synthesize` speaks its text as one utterance (one `espeak_Synth`, one `AudioChunk`): the speech
    service hands engines one sentence at a time (`mynah.tts.plan` splits, once). The chunk ends with
    espeak's own pause for its closing punctuation (`espeakENDPAUSE`: about 0.3 s after a full stop at
    normal speed), so sentences synthesised one by one join with the pauses espeak puts between the
    sentences of one text. espeak's output varies by a few samples from call to call (its pitch
    flutter carries over).

Speed and pitch
    Speed 1.0 is espeak's 175 words per minute, clamped to its 80..450 range. Pitch p sets espeak's
    pitch parameter 50 + 50 * log2(p), clamped to 0..100: espeak scales the voice's base pitch by
    2 ** ((value - 50) / 50), so p = 1.5 raises it by half, and 0.5..2.0 is the reachable range.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.engines.espeak_binding import PHONEMES, EspeakLibrary
from mynah.engines.espeak_ipa import ipa_to_espeak
from mynah.engines.espeak_voices import EspeakVoices, bcp47
from mynah.engines.espeak_words import word_timings
from mynah.errors import EngineUnavailable
from mynah.types import AudioChunk, WordTiming

__all__ = ["EspeakEngine", "EspeakOptions", "bcp47"]

_RATE_NORMAL = 175
_RATE_MIN = 80
_RATE_MAX = 450
_PITCH_NORMAL = 50


class EspeakOptions(EngineOptions):
    library_path: str | None = None
    """libespeak-ng to load; default: the `espeakng-loader` wheel's."""
    data_path: str | None = None
    """espeak-ng's data directory; default: the wheel's."""


class EspeakEngine:
    """espeak-ng TTS. Options: `library_path`, `data_path` (default: the `espeakng-loader` wheel's)."""

    name = "espeak"
    capabilities = TtsCapabilities(
        streaming=True,
        word_timings=True,
        native_speed=True,
        speed_range=(_RATE_MIN / _RATE_NORMAL, _RATE_MAX / _RATE_NORMAL),
        native_pitch=True,
        phonemes=True,
        cloning=False,
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
        self._lib = EspeakLibrary(library_path, data_path)
        self.sample_rate: int = self._lib.sample_rate
        self._voices = EspeakVoices(
            self.name, self.sample_rate, self._lib.voices(), self._lib.voices(b"variant")
        )

    def voices(self) -> list[Voice]:
        """Every espeak-ng voice (variants are not listed; `resolve_voice` accepts them)."""
        return self._voices.voices()

    def resolve_voice(self, name: str) -> Voice:
        """The voice `synthesize` would use for `name`; raises `UnknownVoice` when there is none.

        `name` is a listed voice name, an espeak language code, display name or identifier, optionally
        followed by `+variant`."""
        return self._voices.resolve(name)

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """Speak `text` as one utterance, one chunk. The voice is checked here, before the chunk."""
        entry, variant = self._voices.find(options.voice)
        selector = EspeakVoices.selector(entry, variant)
        rate = _espeak_rate(options.speed)
        pitch = _espeak_pitch(options.pitch)
        if options.ipa:  # one phoneme string: its only "word" covers the whole text
            return self._phonemes(text, selector, rate, pitch)
        text = text.replace("\0", " ")  # same length: offsets still point into the caller's text
        return self._words(text, selector, rate, pitch)

    def _words(self, text: str, selector: bytes, rate: int, pitch: int) -> Iterator[AudioChunk]:
        if not text.strip():
            return
        capture = self._lib.synth(text, selector, rate, pitch)
        samples = capture.samples()
        words = word_timings(text, 0, capture.words, samples, self.sample_rate)
        yield AudioChunk(samples=samples, sample_rate=self.sample_rate, words=words)

    def _phonemes(self, text: str, selector: bytes, rate: int, pitch: int) -> Iterator[AudioChunk]:
        phonemes = "[[" + ipa_to_espeak(text).replace("]]", "") + "]]"
        samples = self._lib.synth(phonemes, selector, rate, pitch, flags=PHONEMES).samples()
        end = len(samples) / self.sample_rate
        words = (WordTiming(text=text, start=0.0, end=end, text_start=0, text_end=len(text)),) if text else ()
        yield AudioChunk(samples=samples, sample_rate=self.sample_rate, words=words)


def _espeak_rate(speed: float) -> int:
    if not math.isfinite(speed) or speed <= 0:
        speed = 1.0
    return max(_RATE_MIN, min(_RATE_MAX, round(_RATE_NORMAL * speed)))


def _espeak_pitch(pitch: float) -> int:
    # espeak scales the voice's base pitch by 2 ** ((p - 50) / 50) (wavegen.c pitch_adjust_tab), p in 0..100.
    if not math.isfinite(pitch) or pitch <= 0:
        pitch = 1.0
    return max(0, min(100, round(_PITCH_NORMAL + 50 * math.log2(pitch))))
