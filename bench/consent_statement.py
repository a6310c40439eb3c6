"""How far a recogniser's transcript of a spoken consent statement is from the statement itself.

    .venv/bin/python bench/consent_statement.py --models CACHE [--recogniser whisper:base]
                                                [--transcripts FILE]

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
import json
import statistics
from datetime import UTC, datetime
from pathlib import Path

from mynah.audio.formats import AudioFormat
from mynah.cloning.consent import (
    CODE_WORDS,
    NAME_SIMILARITY,
    STATEMENT_TOLERANCE,
    ConsentChallenge,
    statement_heard,
)
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


def transcripts(args: argparse.Namespace) -> dict[str, str]:
    """Every reading's transcript, by "voice|kind|index": heard now, or read back from
    `--transcripts` (written by an earlier run with the same recogniser) to re-score without
    synthesising and transcribing again."""
    if args.transcripts is not None and args.transcripts.is_file():
        saved = json.loads(args.transcripts.read_text())
        if saved.get("recogniser") == args.recogniser:
            heard: dict[str, str] = saved["heard"]
            return heard
    settings = Settings(
        data_dir=args.data_dir,
        engines=["espeak", "piper", "whisper"],
        models=ModelSettings(cache_dir=args.models, offline=True),
    )
    found: dict[str, str] = {}
    with Runtime.start(settings) as runtime:
        prepared = runtime.transcription.prepare(args.recogniser)
        for index, kind, text in readings():
            for voice in VOICES:
                audio = speak(runtime, text, voice)
                found[f"{voice}|{kind}|{index}"] = runtime.transcription.transcribe(
                    audio, prepared
                ).transcription.text
    if args.transcripts is not None:
        args.transcripts.write_text(json.dumps({"recogniser": args.recogniser, "heard": found}, indent=1))
    return found


def readings() -> list[tuple[int, str, str]]:
    """(challenge index, kind, text spoken) for every challenge: honest, another sentence with the
    right code, the statement of another speaker and organisation with the right code."""
    out = []
    for index, (speaker, organisation) in enumerate(SPEAKERS):
        wanted = challenge(index, speaker, organisation)
        other_speaker, other_org = SPEAKERS[(index + 5) % len(SPEAKERS)]
        out += [
            (index, "honest", wanted.statement),
            (
                index,
                "other sentence",
                f"Please do not copy my voice, I have not agreed. My code is {wanted.code}.",
            ),
            (index, "other statement", challenge(index, other_speaker, other_org).statement),
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--recogniser", default="whisper:base")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/mynah-consent-bench"))
    parser.add_argument(
        "--transcripts", type=Path, default=None, help="Keep the transcripts here; reuse them if present"
    )
    args = parser.parse_args()
    heard_by = transcripts(args)
    passed: dict[str, list[bool]] = {"honest": [], "other sentence": [], "other statement": []}
    wers: dict[str, list[float]] = {kind: [] for kind in passed}
    names: dict[str, list[float]] = {kind: [] for kind in passed}
    reasons: dict[str, int] = {}
    for index, kind, _text in readings():
        wanted = challenge(index, *SPEAKERS[index])
        for voice in VOICES:
            heard = statement_heard(wanted, heard_by[f"{voice}|{kind}|{index}"])
            passed[kind].append(heard.ok)
            wers[kind].append(heard.word_error_rate)
            names[kind].append(heard.name_similarity)
            if not heard.ok and kind == "honest":
                reasons[f"{voice.split(':')[0]} {heard.code}"] = (
                    reasons.get(f"{voice.split(':')[0]} {heard.code}", 0) + 1
                )
            verdict = "heard" if heard.ok else heard.code
            print(
                f"{voice:24} {kind:16} wer {heard.word_error_rate:5.0%} names {heard.name_similarity:.2f}  "
                f"{verdict}: {heard.heard!r}"
            )
    print(
        f"\nrecogniser {args.recogniser}, statement tolerance {STATEMENT_TOLERANCE:.0%}, "
        f"name similarity at least {NAME_SIMILARITY['speaker']} (speaker), "
        f"{NAME_SIMILARITY['organisation']} (organisation)"
    )
    for kind, oks in passed.items():
        piper = [
            ok
            for ok, voice in zip(oks, VOICES * (len(oks) // len(VOICES)), strict=True)
            if voice.startswith("piper")
        ]
        print(
            f"{kind}: {sum(oks)} of {len(oks)} passed (Piper {sum(piper)} of {len(piper)}; espeak-ng "
            f"{sum(oks) - sum(piper)} of {len(oks) - len(piper)}), statement WER median "
            f"{statistics.median(wers[kind]):.0%}, range {min(wers[kind]):.0%}-{max(wers[kind]):.0%}; "
            f"name similarity median {statistics.median(names[kind]):.2f}, range "
            f"{min(names[kind]):.2f}-{max(names[kind]):.2f}"
        )
    print(f"honest refusals by reason: {reasons}")


if __name__ == "__main__":
    main()
