"""Round trip per language: espeak-ng speaks a paragraph dense with numbers, dates, money and units,
once as mynah's normaliser reads it and once as written (espeak's own number rules), and the
multilingual whisper:base transcribes both. WER of each transcript against the paragraph as we read it,
both sides through our normaliser (so "2024" and "zweitausendvierundzwanzig" compare equal).

    .venv/bin/python bench/normalize_roundtrip.py [--languages de,fr]

Needs the real-weights cache (python tests/fixtures/real_weights.py fetches it). espeak-ng comes from
the espeakng-loader wheel. Lower is better; "ours" should beat "raw" in every language.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np

from mynah.audio.dsp import resample
from mynah.engines.base import EngineConfig, SynthesisOptions
from mynah.engines.espeak import EspeakEngine
from mynah.text import normalize

PARAGRAPHS: dict[str, str] = {
    "de": (
        "Am 3. Mai 2024 um 14:30 Uhr kostete das Ticket 12,50 €. Der Zug fuhr 120 km/h und war 25 % "
        "schneller als 1999. Das 2. Konzert beginnt am 15.06.2024 um 20 Uhr."
    ),
    "es": (
        "El 3 de mayo de 2024 a las 14:30 el billete costaba 12,50 €. El tren iba a 120 km/h, un 25 % "
        "más rápido que en 1999. El 2.º concierto empieza el 15/06/2024."
    ),
    "fi": (
        "Sunnuntaina 3. toukokuuta 2024 klo 14.30 lippu maksoi 12,50 €. Juna kulki 120 km/h, 25 % "
        "nopeammin kuin vuonna 1999. Konsertti alkaa 15.6.2024 klo 20.00."
    ),
    "fr": (
        "Le 3 mai 2024 à 14h30, le billet coûtait 12,50 €. Le train roulait à 120 km/h, 25 % plus vite "
        "qu'en 1999. Le 2e concert commence le 15/06/2024 à 20h."
    ),
    "it": (
        "Il 3 maggio 2024 alle 14:30 il biglietto costava 12,50 €. Il treno andava a 120 km/h, il 25 % "
        "più veloce che nel 1999. Il 2º concerto inizia il 15/06/2024 alle 20:00."
    ),
    "pt": (
        "No dia 3 de maio de 2024, às 14h30, o bilhete custava 12,50 €. O comboio ia a 120 km/h, 25 % "
        "mais rápido do que em 1999. O 2.º concerto começa a 15/06/2024 às 20h."
    ),
    "ru": (
        "3 мая 2024 года в 14:30 билет стоил 1 250 ₽. Поезд шёл со скоростью 120 км/ч, на 25 % "
        "быстрее, чем в 1999 году. 2-й концерт начнётся 15.06.2024 в 20:00."
    ),
    "cs": (
        "Dne 3. května 2024 ve 14:30 stála jízdenka 125 Kč. Vlak jel 120 km/h, o 25 % rychleji než "
        "v roce 1999. 2. koncert začíná 15. 6. 2024 ve 20:00."
    ),
    "da": (
        "Den 3. maj 2024 kl. 14.30 kostede billetten 125 kr. Toget kørte 120 km/t, 25 % hurtigere end "
        "i 1999. Den 2. koncert begynder den 15.06.2024 kl. 20.00."
    ),
    "nb": (
        "Den 3. mai 2024 kl. 14.30 kostet billetten 125 kr. Toget kjørte 120 km/t, 25 % raskere enn "
        "i 1999. Den 2. konserten begynner 15.06.2024 kl. 20.00."
    ),
    "nl": (
        "Op 3 mei 2024 om 14.30 uur kostte het kaartje € 12,50. De trein reed 120 km/u, 25 % sneller "
        "dan in 1999. Het 2e concert begint op 15-06-2024 om 20 uur."
    ),
    "pl": (
        "3 maja 2024 r. o 14:30 bilet kosztował 12,50 zł. Pociąg jechał 120 km/h, o 25 % szybciej niż "
        "w 1999 r. 2. koncert zaczyna się 15.06.2024 o 20:00."
    ),
    "sv": (
        "Den 3 maj 2024 kl. 14.30 kostade biljetten 125 kr. Tåget körde 120 km/h, 25 % snabbare än "
        "år 1999. Den 2:a konserten börjar 2024-06-15 kl. 20.00."
    ),
    "tr": (
        "3 Mayıs 2024 saat 14.30'da bilet 12,50 TL idi. Tren 120 km hızla gitti, 1999'a göre %25 daha "
        "hızlıydı. 2. konser 15.06.2024 saat 20.00'de başlıyor."
    ),
    "uk": (
        "3 травня 2024 р. о 14:30 квиток коштував 12,50 грн. Потяг їхав 120 км/год, на 25 % швидше, "
        "ніж у 1999 році. 2-й концерт почнеться 15.06.2024 о 20:00."
    ),
}
SPEED = 1.0
"""espeak-ng at its own 175 words a minute."""
FOLLOWS = 0.35
"""Below this WER on our reading, whisper:base follows espeak-ng's voice for the language well enough
that the comparison means something (German and Spanish here); above it run-to-run noise decides."""
_NOT_A_WORD = re.compile(r"[^\w\s]|_")
WHISPER_LANGUAGE = {"nb": "no"}
"""Whisper's code where it differs from the voice's: it knows Norwegian Bokmål as "no"."""


@dataclass(frozen=True)
class RoundTrip:
    language: str
    reference: str
    ours: str
    raw: str
    wer_ours: float
    wer_raw: float


def words(text: str, language: str) -> str:
    """Our normaliser's reading, lower-cased, without punctuation, hyphens as spaces."""
    spoken = normalize(text, language=language).text.lower()
    return " ".join(_NOT_A_WORD.sub(" ", spoken).split())


def speak(engine: EspeakEngine, text: str, voice: str, speed: float) -> np.ndarray:
    """espeak-ng's reading of `text` as one utterance, at 16 kHz for Whisper."""
    chunks = list(engine.synthesize(text, SynthesisOptions(voice=voice, speed=speed)))
    return np.concatenate([resample(c.samples, c.sample_rate, 16000) for c in chunks]).astype(np.float32)


def round_trip(language: str, whisper_dir: Path, work: Path, model: object | None = None) -> RoundTrip:
    from faster_whisper import WhisperModel

    recogniser = model or WhisperModel(str(whisper_dir), device="cpu", compute_type="int8")
    engine = EspeakEngine(EngineConfig(cache_dir=work / "espeak"))
    paragraph = PARAGRAPHS[language]
    ours_text = normalize(paragraph, language=language).text
    heard = {}
    for name, text in (("ours", ours_text), ("raw", paragraph)):
        audio = speak(engine, text, language, SPEED)
        segments, _ = recogniser.transcribe(  # type: ignore[attr-defined]
            audio,
            language=WHISPER_LANGUAGE.get(language, language),
            beam_size=5,
            condition_on_previous_text=False,
        )
        heard[name] = " ".join(s.text.strip() for s in segments)
    reference = words(paragraph, language)
    return RoundTrip(
        language,
        reference,
        heard["ours"],
        heard["raw"],
        float(jiwer.wer(reference, words(heard["ours"], language) or "<empty>")),
        float(jiwer.wer(reference, words(heard["raw"], language) or "<empty>")),
    )


def main() -> None:
    from faster_whisper import WhisperModel

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.fixtures.real_weights import real_model_cache

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--languages", default=",".join(PARAGRAPHS))
    args = parser.parse_args()
    whisper_dir = real_model_cache() / "whisper" / "base"
    model = WhisperModel(str(whisper_dir), device="cpu", compute_type="int8")
    print("| language | WER, espeak-ng reading our text | WER, espeak-ng reading the raw text |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for language in args.languages.split(","):
            result = round_trip(language, whisper_dir, Path(tmp), model)
            print(f"| {language} | {result.wer_ours:.1%} | {result.wer_raw:.1%} |", flush=True)


if __name__ == "__main__":
    main()
