"""Word timestamps of two decodes of one file compared, and where they disagree, the audio asked.

    agreement(ours, theirs)             matched words, share within 0.3 s, p95 and worst |Δ|
    disputes(ours, theirs, samples)     for each disagreement over 0.3 s, whose edge the audio backs

Used by bench/stt_batched.py. "Within 0.3 s of the sequential decode's" measures agreement, not
accuracy: sequential decoding has its own misplaced words (a word's start pulled back over the
pause before it, "has" at 96.0 s where its speech starts at 97.5 s). So each disagreement is also
put to the audio: the stretch one decode gives the word and the other does not is silence or
speech by its level (20 ms frames; silence is 35 dB or more below the file's 90th-percentile frame
level, no VAD of mynah's involved). A stretch that is mostly (> 70 %) silence means the decode that
put the word there is wrong; mostly speech (< 30 % silence), the one that left it out; otherwise
unclear.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from corpus import normalise

Words = list[tuple[str, float, float]]

FRAME_SECONDS = 0.02
SILENCE_BELOW_DB = 35.0
TOLERANCE = 0.3


def _pairs(ours: Words, theirs: Words) -> list[tuple[tuple[str, float, float], tuple[float, float]]]:
    """Each word of ours with the word of theirs of the same normalised text whose times are closest,
    its start within 3 s (the files repeat the corpus, so text alone would pair a word with its
    repetition)."""
    by_text: dict[str, list[tuple[float, float]]] = {}
    for text, start, end in theirs:
        by_text.setdefault(normalise(text), []).append((start, end))
    pairs = []
    for word in ours:
        text, start, end = word
        near = [(s, e) for s, e in by_text.get(normalise(text), []) if abs(start - s) < 3]
        if near:
            pairs.append((word, min(near, key=lambda t: max(abs(start - t[0]), abs(end - t[1])))))
    return pairs


def agreement(ours: Words, theirs: Words) -> tuple[int, int, float, float, float]:
    """Matched words, words in ours, share of matched within 0.3 s (start and end), p95 and max |Δ|."""
    deltas = sorted(max(abs(w[1] - t[0]), abs(w[2] - t[1])) for w, t in _pairs(ours, theirs))
    if not deltas:
        return 0, len(ours), 0.0, 0.0, 0.0
    within = sum(d <= TOLERANCE for d in deltas) / len(deltas)
    return len(deltas), len(ours), within, deltas[int(0.95 * (len(deltas) - 1))], deltas[-1]


def _silence(samples: np.ndarray, rate: int) -> np.ndarray:
    frame = round(FRAME_SECONDS * rate)
    frames = samples[: len(samples) // frame * frame].reshape(-1, frame).astype(np.float64)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    return np.asarray(level < np.percentile(level, 90) - SILENCE_BELOW_DB)


def disputes(ours: Words, theirs: Words, samples: np.ndarray, rate: int) -> Counter[str]:
    """For every word edge (start or end) the two decodes put more than 0.3 s apart: 'ours' when
    the audio backs ours, 'theirs' when it backs theirs, 'unclear' otherwise."""
    silent = _silence(samples, rate)

    def silent_share(lo: float, hi: float) -> float:
        i = int(lo / FRAME_SECONDS)
        j = max(int(hi / FRAME_SECONDS), i + 1)
        return float(silent[i:j].mean()) if i < len(silent) else 1.0

    verdicts: Counter[str] = Counter()
    for (_, start, end), (their_start, their_end) in _pairs(ours, theirs):
        # (our edge, their edge, does the earlier of the two put the stretch inside the word?)
        for mine, other, earlier_includes in ((start, their_start, True), (end, their_end, False)):
            if abs(mine - other) <= TOLERANCE:
                continue
            share = silent_share(min(mine, other), max(mine, other))
            includes = (mine < other) == earlier_includes  # ours gives the word the stretch
            if share > 0.7:
                verdicts["theirs" if includes else "ours"] += 1
            elif share < 0.3:
                verdicts["ours" if includes else "theirs"] += 1
            else:
                verdicts["unclear"] += 1
    return verdicts
