"""What an SSML document (or plain text) becomes: a SpeechDoc, a flat list of units that remember their
span in the ORIGINAL input, each carrying the Context (prosody, voice, language, say-as, lexicons) in
force where it occurs. Everything here is just numbers and text; `mynah.text.ssml` parses into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Prosody:
    rate: float = 1.0
    """Speaking-rate multiplier: 2.0 speaks twice as fast, 0.5 takes twice as long."""
    pitch: float = 1.0
    """Multiplier of the voice's pitch (1.12 is about +2 semitones)."""
    volume_db: float = 0.0
    """Gain in dB; -inf is silent."""


@dataclass(frozen=True)
class SayAs:
    interpret_as: str
    format: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Context:
    prosody: Prosody = field(default_factory=Prosody)
    voice: str | None = None
    """A voice id or name asked for by <voice name="...">, None for the request's voice."""
    voice_gender: str | None = None
    language: str | None = None
    say_as: SayAs | None = None
    lexicons: tuple[str, ...] = ()
    """Lexicon ids in force, innermost <lookup> first, then every <lexicon> of the document."""


@dataclass(frozen=True)
class Text:
    """Text to normalise and speak. For <sub>, `text` is the alias and `span` the element's content."""

    text: str
    span: Span
    context: Context = Context()


@dataclass(frozen=True)
class Phoneme:
    """Speak `ipa` (always IPA; X-SAMPA is converted on parse) in place of `text`."""

    ipa: str
    text: str
    span: Span
    context: Context = Context()


@dataclass(frozen=True)
class Break:
    seconds: float
    span: Span


@dataclass(frozen=True)
class Mark:
    name: str
    span: Span


@dataclass(frozen=True)
class AudioClip:
    """<audio src>: insert a file's audio; `fallback` is spoken when it cannot be fetched."""

    src: str
    span: Span
    fallback: tuple[Text | Phoneme | Break | Mark, ...] = ()


@dataclass(frozen=True)
class Boundary:
    """The end of an <s> or <p>: a place the TTS pipeline must split a sentence (and pause, for p)."""

    kind: str  # "sentence" | "paragraph"
    span: Span


Unit = Text | Phoneme | Break | Mark | AudioClip | Boundary


@dataclass(frozen=True)
class LexiconRef:
    id: str
    uri: str


@dataclass(frozen=True)
class SpeechDoc:
    units: tuple[Unit, ...]
    language: str | None = None
    lexicons: tuple[LexiconRef, ...] = ()
