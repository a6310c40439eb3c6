"""False-accept and false-reject rates of the cloning speaker check (mynah.cloning.speaker).

    .venv/bin/python bench/speaker_verification.py [--data ../shared/data]

The speakers are the real people in ../shared/data: LJSpeech's reader (8 clips), JFK, the cards
speaker (5 clips), the two people of the pyannote phone call (their turns without overlap, from
sample.rttm), and the two channels of the faster-whisper stereo file (too short for a reference,
so they only play impostors' consent recordings). A trial pairs a 4 s "consent" window with a
"reference": the rest of the same speaker's audio (genuine), or all of another speaker's
(impostor). Prints each trial's distance and the rates at a range of thresholds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from mynah.audio.decode import decode_audio, decode_channels
from mynah.cloning.speaker import SAME_SPEAKER_THRESHOLD, speaker_distance

RATE = 16000
WINDOW = 4.0


def speakers(data: Path) -> dict[str, np.ndarray]:
    speech = data / "speech"
    found: dict[str, np.ndarray] = {}
    found["ljspeech"] = np.concatenate(
        [decode_audio(p, RATE) for p in sorted((speech / "ljspeech").glob("*.flac"))]
    )
    found["jfk"] = decode_audio(speech / "jfk.flac", RATE)
    found["cards"] = np.concatenate([decode_audio(p, RATE) for p in sorted((speech / "cards").glob("*.wav"))])
    call = data / "diarization" / "pyannote_sample"
    audio = decode_audio(call / "sample.wav", RATE)
    turns = [line.split() for line in (call / "sample.rttm").read_text().splitlines() if line.strip()]
    spans = [(float(t[3]), float(t[3]) + float(t[4]), t[7]) for t in turns]
    owners = np.zeros((2, len(audio)), dtype=np.int8)
    names = sorted({s[2] for s in spans})
    for start, end, name in spans:
        owners[names.index(name), int(start * RATE) : int(end * RATE)] = 1
    for index, who in enumerate(names):
        alone = (owners[index] == 1) & (owners.sum(axis=0) == 1)
        found[f"call-{who}"] = audio[alone]
    stereo = data / "diarization" / "faster_whisper_stereo" / "stereo_diarization.wav"
    left, right = decode_channels(stereo, RATE)
    found["stereo-left"], found["stereo-right"] = left, right
    return found


def trials(
    voices: dict[str, np.ndarray],
) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    step = int(WINDOW * RATE)
    references = {n: a for n, a in voices.items() if len(a) >= 9 * RATE}
    genuine, impostor = [], []
    for name, audio in voices.items():
        for start in range(0, len(audio) - step + 1, step // 2):
            window = audio[start : start + step]
            label = f"{name}@{start / RATE:.0f}s"
            if name in references:
                rest = np.concatenate([audio[:start], audio[start + step :]])
                genuine.append((label, name, speaker_distance(window, rest, RATE)))
            for other, reference in references.items():
                if other != name:
                    impostor.append((label, other, speaker_distance(window, reference, RATE)))
    return genuine, impostor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = Path(__file__).resolve()
    found = [p / "shared" / "data" for p in here.parents[1:4] if (p / "shared" / "data").is_dir()]
    parser.add_argument("--data", type=Path, default=found[0] if found else Path("../shared/data"))
    args = parser.parse_args()
    voices = speakers(args.data)
    for name, audio in voices.items():
        print(f"speaker {name}: {len(audio) / RATE:.1f} s")
    genuine, impostor = trials(voices)
    print(f"\n{len(genuine)} genuine trials, {len(impostor)} impostor trials")
    print("genuine:", ", ".join(f"{g[0]} {g[2]:.2f}" for g in genuine))
    worst = sorted(impostor, key=lambda t: t[2])[:8]
    print("closest impostors:", ", ".join(f"{c} vs {r} {d:.2f}" for c, r, d in worst))
    g = np.array([t[2] for t in genuine])
    i = np.array([t[2] for t in impostor])
    print("\nthreshold  false-reject  false-accept")
    for threshold in sorted({*np.round(np.arange(0.8, 1.81, 0.05), 2), SAME_SPEAKER_THRESHOLD}):
        frr = float(np.mean(g > threshold))
        far = float(np.mean(i <= threshold))
        mark = "  <- mynah" if abs(threshold - SAME_SPEAKER_THRESHOLD) < 1e-9 else ""
        print(f"{threshold:9.2f}  {frr:11.1%}  {far:12.1%}{mark}")


if __name__ == "__main__":
    main()
