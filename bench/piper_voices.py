"""Piper joe-medium loaded two ways, for the benches that time Piper's sessions
(bench/piper_threads.py, bench/piper_phrases.py):

    library, server_voice = piper_voices(model_cache)
    library                               # PiperVoice.load as the library makes it (cores, spinning)
    server_voice(2, spinning=True)        # the voice as mynah's engine loads it (`PiperEngine._load`: its
                                          # session options, the graph cut in two), a `SplitVoice`, its
                                          # arena emptied by `Sessions(voice, voice).release_memory()`
    server_voice(2, whole=True)           # the same session options on ONE session of the whole graph
                                          # (Piper's alignment output added, as the engine does): what
                                          # the cut costs
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

    def server_voice(threads: int, *, spinning: bool = False, arena: bool = True, whole: bool = False) -> Any:
        if whole:
            return whole_voice(threads, spinning=spinning, arena=arena)
        options = {"threads": threads, "spinning": spinning, "memory_arena": arena}
        engine = PiperEngine(EngineConfig(cache_dir=cache, models=manager, options=options))
        return engine._load(onnx.parent).wide

    def whole_voice(threads: int, *, spinning: bool, arena: bool) -> Any:
        import onnx as onnx_package
        import onnxruntime
        from piper.patch_voice_with_alignment import add_alignment_output

        from mynah.engines.piper_decode import SplitVoice
        from mynah.engines.piper_sessions import ArenaSession, session_options

        graph = onnx_package.load(str(onnx))
        durations = add_alignment_output(graph)
        made = onnxruntime.InferenceSession(
            graph.SerializeToString(),
            sess_options=session_options(threads, arena=arena, spinning=spinning),
            providers=["CPUExecutionProvider"],
        )
        session = ArenaSession(made) if arena else made
        piper_voice = PiperVoice(session=session, config=library.config, download_dir=onnx.parent)
        return SplitVoice(piper_voice, front=session, decoder=None, durations=durations)

    library = PiperVoice.load(onnx, config_path=config_path)
    return library, server_voice


def speak(voice: Any, text: str) -> None:
    """Every sentence of `text`, whole, with the voice's default scales."""
    from piper import SynthesisConfig

    from mynah.engines.piper_decode import SplitVoice

    if isinstance(voice, SplitVoice):
        for sentence in voice.sentences(text, SynthesisConfig()):
            list(sentence.pieces)
    else:
        list(voice.synthesize(text, SynthesisConfig()))
