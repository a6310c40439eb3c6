"""How far a recogniser's transcript of a spoken consent statement is from the statement itself.

    .venv/bin/python bench/consent_statement.py --models CACHE [--recogniser whisper:base]

CACHE is a model cache holding the recogniser and piper:en_US-joe-medium (the tests' real-weights
cache: `python tests/fixtures/real_weights.py` prints it). Twelve challenges (speakers and
organisations of different kinds, fresh codes) are each spoken by Piper's joe and by espeak-ng
(en-us, en-gb), then transcribed; printed: for each, the word error rate of the statement outside
the code and whether the code was heard exactly, and the same for impostor texts (another sentence
with the right code, the statement of another speaker and organisation). The statement tolerance
(`mynah.cloning.consent.STATEMENT_TOLERANCE`) should sit above the honest readings and below the
impostors.
"""

from __future__ import annotations

import argparse
import io
import statistics
from datetime import UTC, datetime
from pathlib import Path

from mynah.audio.formats import AudioFormat
from mynah.cloning.consent import CODE_WORDS, STATEMENT_TOLERANCE, ConsentChallenge, statement_heard
from mynah.config import ModelSettings, Settings
from mynah.runtime import Runtime
from mynah.tts.render import Render

SPEAKERS = [
    ("Ada Lovelace", "Acme"),
    ("John Smith", "the BBC"),
    ("Maria Garcia", "Northwind Traders"),
    ("Wei Zhang", "Contoso"),
    ("Priya Patel", "Globex Corporation"),
    ("Olu Adeyemi", "Initech"),
    ("Siobhan O'Connor", "Umbrella Health"),
    ("Tom Baker", "City Library"),
    ("Fatima Khan", "Blue Sky Radio"),
    ("Lars Eriksson", "Nordic Audio"),
    ("Emily Brown", "Stark Industries"),
    ("Kenji Watanabe", "Tokyo Books"),
]
VOICES = ("piper:en_US-joe-medium", "espeak:en-us", "espeak:en-gb")


def challenge(index: int, speaker: str, organisation: str) -> ConsentChallenge:
    code = " ".join(CODE_WORDS[(index * 7 + k * 3) % 10] for k in range(4))
    statement = (
        f"I, {speaker}, agree that {organisation} may create a synthetic copy of my voice. My code is {code}."
    )
    now = datetime.now(UTC)
    return ConsentChallenge(f"ch_{index}", "key", speaker, organisation, statement, code, now, now)


def speak(runtime: Runtime, text: str, voice: str) -> bytes:
    prepared = runtime.speech.prepare(text, voice=voice, sample_rate=16000)
    sink = io.BytesIO()
    for _ in Render.open(runtime.speech, prepared, AudioFormat.wav, file=sink):
        pass
    return sink.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--recogniser", default="whisper:base")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/mynah-consent-bench"))
    args = parser.parse_args()
    settings = Settings(
        data_dir=args.data_dir,
        engines=["espeak", "piper", "whisper"],
        models=ModelSettings(cache_dir=args.models, offline=True),
    )
    with Runtime.start(settings) as runtime:
        prepared = runtime.transcription.prepare(args.recogniser)

        def hear(audio: bytes) -> str:
            return runtime.transcription.transcribe(audio, prepared).transcription.text

        honest: list[float] = []
        impostor: list[float] = []
        codes_missed = 0
        for index, (speaker, organisation) in enumerate(SPEAKERS):
            wanted = challenge(index, speaker, organisation)
            other_speaker, other_org = SPEAKERS[(index + 5) % len(SPEAKERS)]
            texts = {
                "honest": wanted.statement,
                "other sentence": f"Please do not copy my voice, I have not agreed. My code is {wanted.code}.",
                "other statement": challenge(index, other_speaker, other_org).statement,
            }
            for voice in VOICES:
                for kind, text in texts.items():
                    heard = statement_heard(wanted, hear(speak(runtime, text, voice)))
                    if kind == "honest":
                        honest.append(heard.word_error_rate)
                        codes_missed += heard.code == "consent_code_mismatch"
                    else:
                        impostor.append(heard.word_error_rate)
                    verdict = "heard" if heard.ok else heard.code
                    print(
                        f"{voice:24} {kind:16} wer {heard.word_error_rate:5.0%}  {verdict}: {heard.heard!r}"
                    )
        print(f"\nrecogniser {args.recogniser}, tolerance {STATEMENT_TOLERANCE:.0%}")
        print(
            f"honest readings: {len(honest)}, statement WER median {statistics.median(honest):.0%}, "
            f"max {max(honest):.0%}; over the tolerance {sum(w > STATEMENT_TOLERANCE for w in honest)}; "
            f"code not heard exactly {codes_missed}"
        )
        print(
            f"impostor readings: {len(impostor)}, WER min {min(impostor):.0%}, "
            f"within the tolerance {sum(w <= STATEMENT_TOLERANCE for w in impostor)}"
        )


if __name__ == "__main__":
    main()
