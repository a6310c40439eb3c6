"""The real recordings in ../shared/data/speech with their human reference transcripts, and the WER
normaliser both sides go through (lower-case, no punctuation, numbers spelled out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from num2words import num2words

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class Recording:
    path: Path
    reference: str


def recordings(data: Path = DATA) -> list[Recording]:
    speech = data / "speech"
    found = [
        Recording(
            speech / "jfk.flac",
            "And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.",
        ),
        Recording(speech / "goforward.wav", "go forward ten meters"),
        Recording(speech / "forever.wav", "feels like these days go on forever"),
    ]
    for line in (speech / "cards" / "cards.transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((\w+)\)", line.strip())
        if match:
            found.append(Recording(speech / "cards" / f"{match.group(2)}.wav", match.group(1).strip()))
    for line in (speech / "ljspeech" / "transcripts.txt").read_text().splitlines():
        name, _, text = line.partition("|")
        path = speech / "ljspeech" / name.replace(".wav", ".flac")
        if path.exists():
            found.append(Recording(path, text.strip()))
    return found


def normalise(text: str) -> str:
    text = text.lower().replace("-", " ")
    text = re.sub(r"\d+", lambda m: " " + num2words(int(m.group())) + " ", text)
    text = re.sub(r"[^\w\s']", " ", text).replace("'", "")
    return " ".join(text.split())
