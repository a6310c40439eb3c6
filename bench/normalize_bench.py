"""Benchmark: English text normalisation of a ~10,000-word document.

Builds a realistic document deterministically (seeded templates mixing prose with numbers, money, dates,
times, measures, phone numbers, URLs, acronyms, Roman numerals and Markdown), then times

- `mynah.text.normalize` on the whole document, cold (number-word caches cleared) and warm;
- num2words alone, called once on every number found in the document (the floor for any normaliser
  that uses it for number words);

and prints a small table. No network, no files written.

    python bench/normalize_bench.py [--words 10000] [--repeat 7] [--seed 7]

Times are wall-clock (best and median) and CPU time of the process (best); "words/s" is computed from
the best wall-clock run. A large gap between best and median means the machine was busy.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable

from num2words import num2words

from mynah.text import normalize, split_sentences
from mynah.text.normalize.en import numwords

NAMES = ["Alice", "Bob", "Carmen", "Deepak", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"]
PLACES = ["Lisbon", "Toronto", "Nairobi", "Osaka", "Denver", "Leeds", "Perth", "Lyon"]
MONTHS = ["January", "March", "May", "July", "September", "November", "Feb.", "Oct."]
ACRONYMS = ["FBI", "NASA", "CEO", "NATO", "HTML", "GPU", "UNESCO", "BBC", "API", "DNA"]
UNITS = ["km", "kg", "mph", "GB", "mL", "°C", "°F", "ft", "lbs", "kWh", "%"]
CURRENCIES = ["$", "€", "£", "¥"]
FILLER = re.findall(
    r"\w+",
    "the report said that the team would review every part of the plan before the next meeting and "
    "most people agreed it was a sensible way to move forward even if some details were still unclear",
)

TEMPLATES: list[Callable[[random.Random], str]] = [
    lambda r: (
        f"{r.choice(NAMES)} paid {r.choice(CURRENCIES)}{r.randint(1, 999)}.{r.randint(0, 99):02d} for "
        f"{r.randint(2, 40)} tickets on {r.choice(MONTHS)} {r.randint(1, 28)}, {r.randint(1950, 2030)}."
    ),
    lambda r: f"In {r.randint(1900, 2024)}, {r.randint(1000, 99999):,} people moved to {r.choice(PLACES)}.",
    lambda r: (
        f"The {r.choice(ACRONYMS)} met Dr. {r.choice(NAMES)} at {r.randint(1, 12)}:{r.randint(0, 59):02d} "
        f"{r.choice(['a.m.', 'p.m.'])} {r.choice(['EST', 'UTC', 'GMT'])}."
    ),
    lambda r: (
        f"It was {r.randint(-10, 40)}{r.choice(['°C', '°F'])} and we drove {r.randint(2, 900)} "
        f"{r.choice(['km', 'miles'])} at {r.randint(20, 120)} mph."
    ),
    lambda r: (
        f"Call ({r.randint(200, 999)}) {r.randint(200, 999)}-{r.randint(0, 9999):04d} or email "
        f"{r.choice(NAMES).lower()}.{r.choice(PLACES).lower()}@example.com."
    ),
    lambda r: (
        f"Visit https://www.example.com/{r.choice(PLACES).lower()} for the {r.randint(1, 30)}th edition."
    ),
    lambda r: (
        f"King George {r.choice(['II', 'III', 'IV'])} read Chapter {r.choice(['IV', 'IX', 'XII'])} "
        f"of the {r.randint(1, 9)}{r.choice(['th', 'th', 'th'])} volume."
    ),
    lambda r: (
        f"Revenue grew {r.randint(1, 99)}.{r.randint(0, 9)}% to ${r.randint(1, 9)}.{r.randint(1, 9)}M "
        f"in Q{r.randint(1, 4)}, up from {r.randint(1, 99)}% in the {r.choice(['1990s', '2000s', '1980s'])}."
    ),
    lambda r: (
        f"Add {r.choice(['1/2', '3/4', '2 1/2', '½'])} cup of flour and {r.randint(2, 500)} "
        f"{r.choice(UNITS)} of water, then wait {r.randint(5, 60)} min."
    ),
    lambda r: (
        f"**Note:** the {r.choice(['COVID-19', 'B2B', 'MP3', 'v2.1.3', '4K'])} rollout, e.g. in "
        f"{r.choice(PLACES)}, covered pages {r.randint(1, 50)}-{r.randint(51, 300)}."
    ),
    lambda r: (
        f"- {r.choice(NAMES)} scored {r.randint(0, 9)}-{r.randint(0, 9)} on {r.randint(1, 12)}/"
        f"{r.randint(1, 28)}/{r.randint(2000, 2030)}; see [the notes](https://example.org/n/{r.randint(1, 99)})."
    ),
]


def build_document(words: int, seed: int) -> str:
    r = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(r.randint(3, 6)):
            sentence = r.choice(TEMPLATES)(r)
            if r.random() < 0.6:
                sentence += (
                    " " + " ".join(r.choice(FILLER) for _ in range(r.randint(6, 18))).capitalize() + "."
                )
            sentences.append(sentence)
        paragraph = " ".join(sentences)
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> list[int | float]:
    values: list[int | float] = []
    for m in _NUMBER.finditer(text):
        raw = m.group().rstrip(",").replace(",", "")
        values.append(float(raw) if "." in raw else int(raw))
    return values


def timed(fn: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds) of each run."""
    out = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - wall, time.process_time() - cpu))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    doc = build_document(args.words, args.seed)
    numbers = numbers_in(doc)
    normalize("warm up the rule tables: 1 $2 3:00")

    def cold() -> None:
        numwords.clear_caches()
        normalize(doc)

    cold_times = timed(cold, args.repeat)
    warm_times = timed(lambda: normalize(doc), args.repeat)
    n2w_times = timed(lambda: [num2words(n) for n in numbers], args.repeat)
    split_times = timed(lambda: split_sentences(normalize(doc)), args.repeat)
    result = normalize(doc)

    n_words = len(doc.split())
    rows = [
        ("normalize, cold caches", cold_times),
        ("normalize, warm caches", warm_times),
        ("normalize + split_sentences", split_times),
        ("num2words on every number", n2w_times),
    ]
    print(f"document: {n_words:,} words, {len(doc):,} characters, {len(numbers):,} numbers")
    print(
        f"output:   {len(result.words):,} spoken tokens, {len(result.tokens):,} tokens in all, "
        f"{len(split_sentences(result)):,} sentences"
    )
    print()
    header = (
        f"{'what (' + str(args.repeat) + ' runs)':<30}{'wall best':>10}{'wall median':>12}{'CPU best':>10}"
    )
    print(header + f"{'words/s':>11}")
    print("-" * (len(header) + 11))
    for label, times in rows:
        walls = [w for w, _ in times]
        cpu = min(c for _, c in times)
        best = min(walls)
        print(
            f"{label:<30}{best * 1000:>8.1f}ms{statistics.median(walls) * 1000:>10.1f}ms"
            f"{cpu * 1000:>8.1f}ms{n_words / best:>11,.0f}"
        )


if __name__ == "__main__":
    main()
