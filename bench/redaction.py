"""Redaction and smart formatting on real speech: recall and precision per entity type, the redacted
audio transcribed again, and what formatting and redaction add to a transcription's time.

    .venv/bin/python bench/redaction.py [--model-cache DIR] [--model whisper:base]

The real weights come from the test tier's model cache (tests/fixtures/real_weights.py builds it):
Piper en_US-joe-medium speaks scripted support calls (card numbers, phone numbers and e-mail addresses
read out digit by digit and word by word, names, dates) and whisper:base recognises them; the shared
recordings (../shared/data/speech) are recognised too, against hand-labelled entities of their
reference transcripts. One run; the machine is shared and loaded, so times are the load's too.

Recall of a type: the scripted entities of that type that a span of that type covers (its original
words share a token with the entity, spelt within 80 % alike: a digit group, a name, a day; for an
e-mail address, a word of the address of 4 letters or more inside Whisper's run-together spelling of it,
"davidotchenetexample.com" holds "david" and "example"). Precision: the spans of that
type that cover a scripted entity of that type. "Leaks": digits of card and phone numbers (any run
of 4 of them) still found in the redacted text, and in Whisper's transcript of the redacted audio.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spoken import real_weights_runtime, spoken_wav  # noqa: E402

from mynah.stt.service import TranscribeOptions  # noqa: E402
from mynah.transcript import Finisher  # noqa: E402
from mynah.transcript.audio_redact import redact_audio  # noqa: E402
from mynah.transcript.redact import RedactionRequest  # noqa: E402
from mynah.types import Segment, Transcription, Word  # noqa: E402

TYPES = ("CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "PERSON", "DATE_TIME")
SHARED_TYPES = ("PERSON", "DATE_TIME", "LOCATION", "NRP")


@dataclass(frozen=True)
class Call:
    script: str
    entities: tuple[tuple[str, str], ...]
    """(type, value): digits for cards and phones, the words otherwise."""


CALLS = (
    Call(
        "Thank you for calling Northwind support, my name is Maria Garcia. Can I take the card number? "
        "Sure, it is four one one one, one one one one, one one one one, one one one one. "
        "And a phone number to call you back? Five five five, two one three, four four five six.",
        (("PERSON", "Maria Garcia"), ("CREDIT_CARD", "4111111111111111"), ("PHONE_NUMBER", "5552134456")),
    ),
    Call(
        "Hello, this is David Chen. I was charged twice on March third. My card is five five five five, "
        "five five five five, five five five five, four four four four. You can e-mail me at "
        "david dot chen at example dot com.",
        (
            ("PERSON", "David Chen"),
            ("DATE_TIME", "March third"),
            ("CREDIT_CARD", "5555555555554444"),
            ("EMAIL_ADDRESS", "david chen example"),
        ),
    ),
    Call(
        "Hi, I am calling about my order from the twelfth of June. The name on the account is Sarah "
        "Johnson and my number is two zero two, five five five, zero one four three.",
        (("DATE_TIME", "twelfth June"), ("PERSON", "Sarah Johnson"), ("PHONE_NUMBER", "2025550143")),
    ),
    Call(
        "Good morning, Peter Novak here. Please update the card to four zero one two, eight eight eight "
        "eight, eight eight eight eight, one eight eight one, and send the receipt to peter at "
        "novak dot org.",
        (("PERSON", "Peter Novak"), ("CREDIT_CARD", "4012888888881881"), ("EMAIL_ADDRESS", "peter novak")),
    ),
    Call(
        "This is Emily Brown. My appointment is on Friday the fourth of October. If anything changes "
        "call me on four one five, five five five, two six seven one.",
        (("PERSON", "Emily Brown"), ("DATE_TIME", "fourth October"), ("PHONE_NUMBER", "4155552671")),
    ),
    Call(
        "Yes, the card number is six zero one one, one one one one, one one one one, one one one seven, "
        "and my e-mail is anna dot lee at mail dot com. My name is Anna Lee.",
        (("CREDIT_CARD", "6011111111111117"), ("EMAIL_ADDRESS", "anna lee mail"), ("PERSON", "Anna Lee")),
    ),
)

# The shared recordings' reference transcripts, with the entities a reader would mark in them.
SHARED = {
    "jfk.flac": (("NRP", "Americans"),),
    "ljspeech/LJ001-0003.flac": (("NRP", "Chinese"), ("LOCATION", "Netherlands"), ("DATE_TIME", "centuries")),
    "ljspeech/LJ001-0005.flac": (("DATE_TIME", "fifteenth century"),),
    "ljspeech/LJ001-0007.flac": (("PERSON", "Gutenberg"), ("DATE_TIME", "fourteen fifty-five")),
    "ljspeech/LJ001-0001.flac": (),
    "ljspeech/LJ001-0002.flac": (),
    "ljspeech/LJ001-0004.flac": (),
    "ljspeech/LJ001-0006.flac": (),
    "ljspeech/LJ001-0008.flac": (),
    "goforward.wav": (),
}
_DIGIT_WORDS = {
    w: str(i)
    for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
}


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w for w in words if len(w) > 2 or w.isdigit()}


def _digits(text: str) -> str:
    spoken = "".join(_DIGIT_WORDS.get(w, "") for w in re.findall(r"[a-z]+", text.lower()))
    return re.sub(r"\D", "", text) or spoken


def _covers(span_text: str, kind: str, value: str) -> bool:
    if kind in ("CREDIT_CARD", "PHONE_NUMBER"):
        digits = _digits(span_text)
        return len(digits) >= 4 and any(digits[i : i + 4] in value for i in range(len(digits) - 3))
    # a name as the recogniser spelt it counts ("Guttenberg" for "Gutenberg")
    if any(
        difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 for a in _tokens(span_text) for b in _tokens(value)
    ):
        return True
    # an address Whisper wrote run together ("davidotchenetexample.com") holds the words it was read from
    run = re.sub(r"[^a-z0-9]", "", span_text.lower())
    return kind == "EMAIL_ADDRESS" and any(len(b) > 3 and b in run for b in _tokens(value))


def _span_text(transcription: Transcription, start: float, end: float) -> str:
    return " ".join(w.text for w in transcription.words if w.start >= start - 0.01 and w.end <= end + 0.01)


def _leaks(text: str, numbers: list[str]) -> int:
    digits = re.sub(r"\D", "", text)
    return sum(1 for n in numbers if any(n[i : i + 4] in digits for i in range(len(n) - 3)))


def _score(
    found: Counter[str],
    expected: Counter[str],
    spans: Counter[str],
    right: Counter[str],
    types: tuple[str, ...],
) -> list[str]:
    rows = []
    for kind in types:
        recall = f"{found[kind]}/{expected[kind]}" if expected[kind] else "-"
        precision = f"{right[kind]}/{spans[kind]}" if spans[kind] else "-"
        rows.append(f"| {kind} | {recall} | {precision} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-cache", type=Path, default=None)
    parser.add_argument("--model", default="whisper:base")
    args = parser.parse_args()
    runtime = real_weights_runtime(args.model_cache)
    stt = runtime.transcription
    finisher = Finisher()
    t0 = time.perf_counter()
    warm = Transcription(
        (Segment(0, 0.0, 1.0, "hello there", (Word("hello", 0, 0.5, 1), Word("there", 0.5, 1, 1))),), 1
    )
    finisher.finish(warm, b"", smart=True, redaction=RedactionRequest(TYPES))  # loads Presidio and spaCy once
    print(f"redactor load: {time.perf_counter() - t0:.2f} s")
    raw = stt.prepare(args.model, TranscribeOptions(format="raw"))
    again = stt.prepare(args.model, TranscribeOptions(format="raw"))

    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    spans_by_type: Counter[str] = Counter()
    right: Counter[str] = Counter()
    text_leaks = audio_leaks = numbers_total = 0
    transcribe_s = finish_s = audio_s = 0.0
    for number, call in enumerate(CALLS):
        wav = spoken_wav(runtime, call.script)
        t = time.perf_counter()
        result = stt.transcribe(wav, raw)
        transcribe_s += time.perf_counter() - t
        t = time.perf_counter()
        done = finisher.finish(result.transcription, wav, smart=True, redaction=RedactionRequest(TYPES))
        finish_s += time.perf_counter() - t
        t = time.perf_counter()
        assert done.redactions is not None
        bleeped = redact_audio(wav, done.redactions)  # silence, the default
        audio_s += time.perf_counter() - t
        hit: set[int] = set()
        for span in done.redactions:
            spans_by_type[span.type] += 1
            original = _span_text(result.transcription, span.start, span.end)
            matches = [
                i for i, (k, v) in enumerate(call.entities) if k == span.type and _covers(original, k, v)
            ]
            if matches:
                right[span.type] += 1
                hit.update(matches)
        for i, (kind, _value) in enumerate(call.entities):
            expected[kind] += 1
            found[kind] += i in hit
        numbers = [v for k, v in call.entities if k in ("CREDIT_CARD", "PHONE_NUMBER")]
        numbers_total += len(numbers)
        text_leaks += _leaks(done.transcription.text, numbers)
        heard = stt.transcribe(bleeped, again).transcription.text
        audio_leaks += _leaks(heard, numbers)
        print(
            f"call {number + 1}: {result.transcription.text}\n  -> {done.transcription.text}\n  re-heard: {heard}"
        )

    print("\n| type | recall | precision |\n|---|---|---|")
    print("\n".join(_score(found, expected, spans_by_type, right, TYPES)))
    print(
        f"card and phone numbers: {numbers_total}; numbers with 4 digits in a row left in the redacted text: {text_leaks}, "
        f"in the redacted audio transcribed again: {audio_leaks}"
    )
    print(
        f"synthesised calls: transcription {transcribe_s:.2f} s, formatting + redaction {finish_s:.2f} s "
        f"({100 * finish_s / transcribe_s:.1f} %), audio redaction {audio_s:.2f} s ({100 * audio_s / transcribe_s:.1f} %)"
    )
    recall = ", ".join(f"{k} {found[k]}/{expected[k]}" for k in TYPES)
    precision = ", ".join(f"{k} {right[k]}/{spans_by_type[k]}" for k in TYPES if spans_by_type[k])
    print(f"SUMMARY calls recall: {recall}; precision: {precision}")
    clean = text_leaks == 0 and audio_leaks == 0
    print(
        f"SUMMARY card and phone numbers redacted: text {numbers_total - text_leaks}/{numbers_total}, "
        f"audio {numbers_total - audio_leaks}/{numbers_total} (target: all): {'met' if clean else 'NOT met'}"
    )
    overhead = 100 * (finish_s + audio_s) / transcribe_s
    print(
        f"SUMMARY formatting + redaction + audio redaction: {overhead:.1f} % of the transcription's time "
        f"(target <= 10 %): {'met' if overhead <= 10 else 'NOT met'}"
    )

    shared = ROOT.parent / "shared" / "data" / "speech"
    if not shared.is_dir():
        return
    for model in (args.model, "pocketsphinx:en-us"):
        expected, found, spans_by_type, right = Counter(), Counter(), Counter(), Counter()
        transcribe_s = finish_s = 0.0
        prepared_raw = stt.prepare(model, TranscribeOptions(format="raw"))
        for name, entities in SHARED.items():
            path = shared / name
            t = time.perf_counter()
            result = stt.transcribe(path, prepared_raw)
            transcribe_s += time.perf_counter() - t
            t = time.perf_counter()
            done = finisher.finish(
                result.transcription, path, smart=True, redaction=RedactionRequest(SHARED_TYPES)
            )
            finish_s += time.perf_counter() - t
            hit: set[int] = set()
            for span in done.redactions or ():
                spans_by_type[span.type] += 1
                original = _span_text(result.transcription, span.start, span.end)
                matches = [
                    i for i, (k, v) in enumerate(entities) if k == span.type and _covers(original, k, v)
                ]
                if matches:
                    right[span.type] += 1
                    hit.update(matches)
            for i, (kind, _value) in enumerate(entities):
                expected[kind] += 1
                found[kind] += i in hit
        print(f"\nshared recordings, {model}:\n| type | recall | precision |\n|---|---|---|")
        print("\n".join(_score(found, expected, spans_by_type, right, SHARED_TYPES)))
        print(
            f"transcription {transcribe_s:.2f} s, formatting + redaction {finish_s:.2f} s "
            f"({100 * finish_s / transcribe_s:.1f} %)"
        )
        share = 100 * finish_s / transcribe_s
        print(
            f"SUMMARY shared recordings, {model}: formatting + redaction {share:.1f} % of the transcription's "
            f"time (target <= 10 %): {'met' if share <= 10 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
