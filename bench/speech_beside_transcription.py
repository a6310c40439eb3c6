"""How long a synthesis takes beside transcriptions, with transcription's threads at one priority or
another: the arms interleaved in one process, so a busy machine weighs on all of them alike.

    .venv/bin/python bench/speech_beside_transcription.py [--rounds 4] [--phase 8] [--speakers 2]

Real weights (the test tier's cache, tests/fixtures/real_weights.py): Piper en_US-joe-medium
through mynah's engine (its wide and narrow sessions) and faster-whisper tiny.en through mynah's
engine (CTranslate2's threads started at the transcription priority, `mynah.priority`). As the
server runs them under bench/overload.py: `--speakers` synthesis loops (the speech slots, on threads
at WORKER_NICENESS) and one transcription loop (one slot: jfk.flac, 11 s, again and again). Each
round has a phase per arm, `--phase` seconds each, in turn:

    one at a time  speech only, one synthesis at a time (the ratios are to this arm: the
                   overload bench's "alone")
    alone        speech only, `--speakers` at once
    nice 5       speech beside the transcription loop, CTranslate2's threads at 5 (as before)
    nice 12      the same at 12 (the default); `--niceness 5 8 12` for others

Switching the running threads' niceness back down to 5 needs root (CAP_SYS_NICE): the bench says so
and stops without it. Reported per arm: synthesis p50/p95 (over every round) and their ratio to
alone, syntheses and transcriptions done (each counted in the phase it ended in), and the load average at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mynah.config import ModelSettings  # noqa: E402
from mynah.engines.base import EngineConfig, SynthesisOptions, TranscriptionOptions  # noqa: E402
from mynah.engines.piper import PiperEngine  # noqa: E402
from mynah.engines.whisper import WhisperEngine  # noqa: E402
from mynah.models import ModelManager  # noqa: E402
from mynah.priority import WORKER_NICENESS, in_worker, keep_priority, transcription_niceness  # noqa: E402

TEXT = "Thanks for calling. Your order shipped on Monday and should arrive by Friday."
VOICE = "en_US-joe-medium"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def ct2_threads(known: set[str]) -> list[int]:
    """The native threads started since `known` (the Whisper model's load and first decode):
    CTranslate2's and their OpenMP teams; not the Python threads."""
    python = {str(t.native_id) for t in threading.enumerate()}
    return [int(name) for name in set(os.listdir("/proc/self/task")) - known - python]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--phase", type=float, default=8.0, help="seconds per arm per round")
    parser.add_argument("--speakers", type=int, default=2)
    parser.add_argument(
        "--niceness",
        type=int,
        nargs="+",
        default=[WORKER_NICENESS, transcription_niceness()],
        help="the transcription threads' niceness in each arm beside speech",
    )
    parser.add_argument("--model-cache")
    args = parser.parse_args()
    from faster_whisper.audio import decode_audio

    from tests.fixtures.real_weights import real_model_cache

    cache = Path(args.model_cache) if args.model_cache else real_model_cache()
    shared = next(p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir())
    audio = decode_audio(str(shared / "data" / "speech" / "jfk.flac"))
    keep_priority()  # this thread stands for the event loop's
    manager = ModelManager(ModelSettings(offline=True), cache_dir=cache)
    config = EngineConfig(cache_dir=cache, models=manager)
    piper, whisper = PiperEngine(config), WhisperEngine(config)
    speak_options = SynthesisOptions(voice=VOICE)
    hear_options = TranscriptionOptions(model="tiny.en", language="en")
    piper.preload(VOICE)
    list(piper.synthesize(TEXT, speak_options))
    known = set(os.listdir("/proc/self/task"))
    whisper.preload("tiny.en")
    whisper.transcribe(audio, hear_options)  # warm: CTranslate2's OpenMP teams exist from here
    pool = ct2_threads(known)
    try:
        for tid in pool:
            os.setpriority(os.PRIO_PROCESS, tid, WORKER_NICENESS)
            os.setpriority(os.PRIO_PROCESS, tid, transcription_niceness())
    except PermissionError:
        sys.exit("switching threads back to nice 5 needs root (CAP_SYS_NICE)")

    one = "one at a time"
    arms = [one, "alone", *(f"nice {n}" for n in args.niceness)]
    times: dict[str, list[float]] = {arm: [] for arm in arms}
    heard = {arm: 0 for arm in arms}
    state: dict[str, Any] = {"arm": "", "stop": False, "hearing": False}

    def speaker(index: int) -> None:
        while not state["stop"]:
            arm = state["arm"]
            if arm == one and index > 0:
                time.sleep(0.01)
                continue
            start = time.perf_counter()
            list(piper.synthesize(TEXT, speak_options))
            if state["arm"] == arm:  # not one that straddled two phases
                times[arm].append(time.perf_counter() - start)

    def hearer() -> None:
        while not state["stop"]:
            if not state["hearing"]:
                time.sleep(0.01)
                continue
            whisper.transcribe(audio, hear_options)
            if state["arm"] in heard:  # counted in the phase it finished in
                heard[state["arm"]] += 1

    load_start = Path("/proc/loadavg").read_text().split()[:3]
    threads = [threading.Thread(target=in_worker(speaker), args=(i,)) for i in range(args.speakers)]
    threads.append(threading.Thread(target=in_worker(hearer)))
    for thread in threads:
        thread.start()
    try:
        for _ in range(args.rounds):
            for arm in arms:
                if arm.startswith("nice"):
                    niceness = int(arm.split()[1])
                    for tid in ct2_threads(known):
                        try:
                            os.setpriority(os.PRIO_PROCESS, tid, niceness)
                        except OSError:
                            continue
                state["hearing"] = arm.startswith("nice")
                state["arm"] = arm
                time.sleep(args.phase)
    finally:
        state["stop"] = True
        state["arm"] = ""
        for thread in threads:
            thread.join()
    alone95 = pct(times[one], 95)
    alone50 = pct(times[one], 50)
    report = {
        arm: {
            "synthesis_p50_s": round(pct(times[arm], 50), 3),
            "synthesis_p95_s": round(pct(times[arm], 95), 3),
            "p50_over_alone": round(pct(times[arm], 50) / alone50, 2),
            "p95_over_alone": round(pct(times[arm], 95) / alone95, 2),
            "syntheses": len(times[arm]),
            "transcriptions": heard[arm],
            "synthesis_mean_s": round(statistics.fmean(times[arm]), 3) if times[arm] else None,
        }
        for arm in arms
    }
    report["load_average"] = {"start": load_start, "end": Path("/proc/loadavg").read_text().split()[:3]}
    report["sessions_served"] = piper.sessions_served()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
