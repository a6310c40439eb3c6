"""WER of transcription through the mynah server vs. pocketsphinx called directly on whole files.

    .venv/bin/python bench/stt_wer.py

"Direct" decodes each file with PyAV to 16 kHz mono int16 and feeds it, whole, to a pocketsphinx
Decoder built with the wheel's own en-us model and defaults: the floor that any pipeline of ours must
not fall below. "Server" uploads the original file to a live mynah server through the official
`openai` client, as a user would. Both sides go through the same normaliser before jiwer.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import av
import jiwer
import numpy as np
import uvicorn
from openai import OpenAI
from pocketsphinx import Decoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Recording, normalise, recordings

from mynah.config import Settings
from mynah.server.app import create_app


def pcm16k(path: Path) -> bytes:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=16000)
    parts = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
        parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(parts).astype(np.int16).tobytes()


def direct(recording: Recording) -> str:
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw(pcm16k(recording.path), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def start_server(tmp: Path) -> tuple[uvicorn.Server, str]:
    config = uvicorn.Config(create_app(Settings(data_dir=tmp)), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/v1"


def main() -> None:
    import tempfile

    corpus = recordings()
    with tempfile.TemporaryDirectory() as tmp:
        server, url = start_server(Path(tmp))
        client = OpenAI(base_url=url, api_key="unused", max_retries=0)
        refs, direct_hyps, server_hyps = [], [], []
        print(f"{'file':<28} {'direct':>7} {'server':>7}")
        for rec in corpus:
            with rec.path.open("rb") as audio:
                served = client.audio.transcriptions.create(model="whisper-1", file=audio).text
            d = direct(rec)
            ref = normalise(rec.reference)
            refs.append(ref)
            direct_hyps.append(normalise(d))
            server_hyps.append(normalise(served))
            print(
                f"{rec.path.name:<28} {jiwer.wer(ref, normalise(d)):>7.3f} {jiwer.wer(ref, normalise(served)):>7.3f}"
            )
        server.should_exit = True
    print(
        f"{'ALL (corpus WER)':<28} {jiwer.wer(refs, direct_hyps):>7.3f} {jiwer.wer(refs, server_hyps):>7.3f}"
    )


if __name__ == "__main__":
    main()
