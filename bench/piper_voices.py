"""Piper joe-medium loaded two ways, for the benches that time Piper's sessions
(bench/piper_threads.py, bench/piper_phrases.py):

    library, server_voice = piper_voices(model_cache)
    library                               # PiperVoice.load as the library makes it (cores, spinning)
    server_voice(2, spinning=True)        # mynah's session options (`mynah.engines.piper_sessions.session_options`),
                                          # its arena emptied by `Sessions(voice, voice).release_memory()`
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from realtime_tts import real_cache

from mynah.engines.piper_sessions import ArenaSession, session_options


def piper_voices(model_cache: str | None) -> tuple[Any, Callable[..., Any]]:
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    onnx = next((real_cache(model_cache) / "piper").rglob("*.onnx"))
    config_path = onnx.with_name(onnx.name + ".json")
    config = PiperConfig.from_dict(json.loads(config_path.read_text()))

    def server_voice(threads: int, *, spinning: bool = False, arena: bool = True) -> Any:
        options = session_options(threads, arena=arena, spinning=spinning)
        session = onnxruntime.InferenceSession(
            str(onnx), sess_options=options, providers=["CPUExecutionProvider"]
        )
        wrapped = ArenaSession(session) if arena else session
        return PiperVoice(session=wrapped, config=config, download_dir=onnx.parent)

    return PiperVoice.load(onnx, config_path=config_path), server_voice
