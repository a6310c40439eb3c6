"""How long the steps a cancelled transcription cannot interrupt take: one CTranslate2 `encode` and
one beam-search `generate`, for a batch of one 30 s window and of two, on one thread (a lane of
the batched path).

    .venv/bin/python bench/whisper_steps.py [--model tiny.en] [--rounds 3]

The windows are jfk.flac (../shared/data/speech) repeated to 30 s each, the audio bench/disconnect.py
sends; real weights from the test tier's model cache (tests/fixtures/real_weights.py), int8, beam 5,
no prompt, English. A client that hangs up waits, at worst, for the step running when it left: the
cancel token is checked between steps (`mynah.engines.whisper_batch`), never inside one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.real_weights import real_model_cache  # noqa: E402

RATE = 16000
WINDOW = 30 * RATE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="tiny.en", choices=["tiny.en", "base"])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import ctranslate2
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio
    from faster_whisper.tokenizer import Tokenizer

    model = WhisperModel(
        str(real_model_cache() / "whisper" / args.model), device="cpu", compute_type="int8", cpu_threads=1
    )
    speech = decode_audio(str(ROOT.parent / "shared" / "data" / "speech" / "jfk.flac"), RATE)
    audio = np.tile(speech, -(-2 * WINDOW // len(speech)))
    features = np.stack(
        [model.feature_extractor(audio[i * WINDOW : (i + 1) * WINDOW])[:, :3000] for i in range(2)]
    )
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
    prompt = model.get_prompt(tokenizer, [], without_timestamps=False)
    for size in (1, 2):
        encodes, generates, tokens = [], [], []
        for _ in range(args.rounds):
            batch = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[:size]))
            started = time.perf_counter()
            encoded = model.model.encode(batch)
            encodes.append(time.perf_counter() - started)
            started = time.perf_counter()
            results = model.model.generate(encoded, [prompt] * size, beam_size=5, max_length=448)
            generates.append(time.perf_counter() - started)
            tokens = [len(r.sequences_ids[0]) for r in results]
        print(
            f"{args.model}, batch of {size}: encode median {statistics.median(encodes):.2f} s, "
            f"generate median {statistics.median(generates):.2f} s (max {max(generates):.2f} s; "
            f"{tokens} tokens), {args.rounds} rounds",
            flush=True,
        )


if __name__ == "__main__":
    main()
