"""espeak-ng's voices under mynah's names, and every way a request may name one.

Every voice espeak-ng has (141 with espeak-ng 1.52) is named by the last part of espeak's own voice
identifier, lower-cased: `gmw/en-US` -> `en-us`, `roa/fr` -> `fr`, `gmw/en` -> `en` (espeak's British
English). Those names are unique and are what `espeak_SetVoiceByName` accepts. `EspeakVoices.resolve`
also takes espeak's language codes (`fr-fr`, `en-gb`, `zh`: the voice that lists the code with the best
priority), espeak's display names (`English (America)`), full identifiers (`gmw/en-US`) and variants
appended with `+` (`en-us+f3`, `de+Annie`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mynah.engines.base import Voice
from mynah.engines.espeak_binding import ListedVoice
from mynah.errors import UnknownVoice

__all__ = ["EspeakVoices", "Variant", "VoiceEntry", "bcp47"]


@dataclass(frozen=True)
class VoiceEntry:
    voice: Voice
    identifier: str
    espeak_name: str
    languages: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Variant:
    """A voice variant: its file name as espeak spells it (case matters on disk), display name, gender."""

    file_name: str
    display: str
    gender: str | None


class EspeakVoices:
    """The voices and variants of one espeak-ng installation, by every name they answer to."""

    def __init__(
        self, engine: str, sample_rate: int, listed: list[ListedVoice], variants: list[ListedVoice]
    ) -> None:
        self._engine = engine
        self.entries = _name_voices(engine, sample_rate, listed)
        self._by_name = {e.voice.name: e for e in self.entries}
        self._variants = {
            v.identifier.rsplit("/", 1)[-1].lower(): Variant(
                v.identifier.rsplit("/", 1)[-1], v.name, v.gender
            )
            for v in variants
        }

    def voices(self) -> list[Voice]:
        return [e.voice for e in self.entries]

    def find(self, name: str) -> tuple[VoiceEntry, Variant | None]:
        """The entry and variant `name` names; raises `UnknownVoice`."""
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

    def resolve(self, name: str) -> Voice:
        """The `Voice` for `name` (a variant gets its own id, `espeak:en-us+f3`)."""
        entry, variant = self.find(name)
        if variant is None:
            return entry.voice
        return replace(
            entry.voice,
            id=f"{self._engine}:{entry.voice.name}+{variant.file_name}",
            name=f"{entry.voice.name}+{variant.file_name}",
            gender=variant.gender or entry.voice.gender,
            description=f"{entry.espeak_name}, variant {variant.display}",
        )

    @staticmethod
    def selector(entry: VoiceEntry, variant: Variant | None) -> bytes:
        """What `espeak_SetVoiceByName` takes for this voice."""
        return (entry.identifier + (f"+{variant.file_name}" if variant else "")).encode()

    def _find_entry(self, name: str) -> VoiceEntry | None:
        key = name.lower()
        if not key:
            return None
        found = self._by_name.get(key)
        if found is not None:
            return found
        for entry in self.entries:
            if key in (entry.identifier.lower(), entry.espeak_name.lower()):
                return entry
        best: tuple[int, VoiceEntry] | None = None
        for entry in self.entries:
            for priority, language in entry.languages:
                if language == key and (best is None or priority < best[0]):
                    best = (priority, entry)
        return best[1] if best else None


def _name_voices(engine: str, sample_rate: int, listed: list[ListedVoice]) -> list[VoiceEntry]:
    entries = []
    seen: set[str] = set()
    for raw in listed:
        name = raw.identifier.rsplit("/", 1)[-1].lower()
        if not name or name in seen:
            name = raw.identifier.lower().replace("/", "-")
        seen.add(name)
        language = raw.languages[0][1] if raw.languages else name
        voice = Voice(
            id=f"{engine}:{name}",
            engine=engine,
            name=name,
            language=bcp47(language),
            gender=raw.gender,
            sample_rate=sample_rate,
            description=raw.name,
        )
        entries.append(VoiceEntry(voice, raw.identifier, raw.name, raw.languages))
    return entries


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
