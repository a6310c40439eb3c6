"""Piper joe-medium loaded two ways, for the benches that time Piper's sessions
(bench/piper_threads.py, bench/piper_phrases.py):

    library, server_voice = piper_voices(model_cache)
    library                               # PiperVoice.load as the library makes it (cores, spinning)
    server_voice(2, spinning=True)        # the voice as mynah's engine loads it (`PiperEngine._load`: its
                                          # session options, the graph cut in two), a `SplitVoice`, its
                                          # arena emptied by `Sessions(voice, voice).release_memory()`
    speak(voice, text)                    # either one, every sentence whole
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from realtime_tts import real_cache


def piper_voices(model_cache: str | None) -> tuple[Any, Callable[..., Any]]:
    from piper import PiperVoice

    from mynah.config import ModelSettings
    from mynah.engines.base import EngineConfig
    from mynah.engines.piper import PiperEngine
    from mynah.models import ModelManager

    cache = real_cache(model_cache)
    onnx = next((cache / "piper").rglob("*.onnx"))
    config_path = onnx.with_name(onnx.name + ".json")
    manager = ModelManager(ModelSettings(cache_dir=cache, offline=True))

    def server_voice(threads: int, *, spinning: bool = False, arena: bool = True) -> Any:
        options = {"threads": threads, "spinning": spinning, "memory_arena": arena}
        engine = PiperEngine(EngineConfig(cache_dir=cache, models=manager, options=options))
        return engine._load(onnx.parent).wide

    return PiperVoice.load(onnx, config_path=config_path), server_voice


def speak(voice: Any, text: str) -> None:
    """Every sentence of `text`, whole, with the voice's default scales."""
    from piper import SynthesisConfig

    from mynah.engines.piper_decode import SplitVoice

    if isinstance(voice, SplitVoice):
        for sentence in voice.sentences(text, SynthesisConfig()):
            list(sentence.pieces)
    else:
        list(voice.synthesize(text, SynthesisConfig()))
