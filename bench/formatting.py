"""Smart formatting of pocketsphinx against Whisper's own formatting, on dates and numbers spoken by
Piper: does pocketsphinx, smart-formatted, write the same dates and numbers Whisper writes?

    .venv/bin/python bench/formatting.py [--model-cache DIR] [--model whisper:base]

Piper en_US-joe-medium reads each sentence; whisper:base transcribes it as it formats itself
(`format=raw`) and pocketsphinx transcribes it with `format=smart`. From both texts the dates
(month and day, any order: "October 4th", "the 4th of October", "4 October") and the other numbers
are read with one regular expression that is not mynah's formatter, and compared. One run; on a
loaded machine the times are the load's, the texts are not.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spoken import real_weights_runtime, spoken_wav  # noqa: E402

from mynah.stt.service import TranscribeOptions  # noqa: E402

SENTENCES = (
    "My appointment is on Friday the fourth of October.",
    "I was charged twice on March third.",
    "The order from the twelfth of June has not arrived.",
    "The payment is due on the twenty first of January twenty twenty five.",
    "We close on December twenty fourth and open again on January second.",
    "She was born on May fifth nineteen ninety nine.",
    "It costs twenty five dollars and the delivery takes ten days.",
    "The meeting starts at three thirty in room four twelve.",
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september")
_MONTHS += ("october", "november", "december")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _dates(text: str) -> list[tuple[str, int]]:
    lower = text.lower()
    found = [(m.group(1), int(m.group(2))) for m in re.finditer(rf"\b{_MONTH},? (?:the )?{_DAY}\b", lower)]
    found += [(m.group(2), int(m.group(1))) for m in re.finditer(rf"\b{_DAY} (?:of )?{_MONTH}\b", lower)]
    return sorted(found)


def _numbers(text: str) -> list[str]:
    lower = text.lower()
    for pattern in (rf"\b{_MONTH},? (?:the )?{_DAY}\b", rf"\b{_DAY} (?:of )?{_MONTH}\b"):
        lower = re.sub(pattern, " ", lower)
    return re.findall(r"\d[\d,.:]*\d|\d", lower.replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-cache", type=Path, default=None)
    parser.add_argument("--model", default="whisper:base")
    args = parser.parse_args()
    runtime = real_weights_runtime(args.model_cache)
    stt = runtime.transcription
    whisper = stt.prepare(args.model, TranscribeOptions(format="raw"))
    sphinx = stt.prepare("pocketsphinx:en-us", TranscribeOptions(format="smart"))
    dates_same = numbers_same = dates_total = 0
    for sentence in SENTENCES:
        wav = spoken_wav(runtime, sentence)
        heard = stt.transcribe(wav, whisper).transcription.text.strip()
        smart = stt.transcribe(wav, sphinx).transcription.text.strip()
        same_dates = _dates(heard) == _dates(smart)
        same_numbers = _numbers(heard) == _numbers(smart)
        dates_total += bool(_dates(heard))
        dates_same += same_dates and bool(_dates(heard))
        numbers_same += same_numbers
        print(f"{sentence}\n  whisper:      {heard}\n  pocketsphinx: {smart}")
        print(f"  dates {_dates(heard)} / {_dates(smart)}; numbers {_numbers(heard)} / {_numbers(smart)}")
    print(
        f"\nSUMMARY dates written as Whisper writes them: {dates_same}/{dates_total} sentences with dates; "
        f"other numbers the same: {numbers_same}/{len(SENTENCES)} sentences"
    )


if __name__ == "__main__":
    main()
