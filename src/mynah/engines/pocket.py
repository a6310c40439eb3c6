"""Kyutai's Pocket TTS (`pocket-tts`, MIT): zero-shot voice cloning on a CPU, for consented voices.

Voices
    `pocket:<cloned voice id>`: the voices made through the consent flow (mynah.cloning), one for
    each folder of `<data_dir>/cloned-voices/` that holds a `reference.wav`. The engine lists none
    (so no alias ever lands on one) and speaks only the voice the serving route authorised in
    `AUTHORISED` after checking the caller may use it (mynah.cloning.disclosure). A revoked voice's folder is erased, and the voice
    is unknown from the next request on (its conditioning state is dropped too).

Model
    `pocket:english` by default (engine option `model`), through the model manager: a directory with
    the released `model.safetensors` (FlowLM + Mimi, with the voice-cloning speaker projection) and
    its `tokenizer.json`, and optionally a pocket-tts `config.yaml` (else the package's own
    `english.yaml`). Its paths are pointed at the installed files and the model is loaded with
    `TTSModel.load_model` on first use. Needs torch: `pip install torch==2.13.0` (the CPU build)
    then `pip install 'mynah[cloning]'`.

Synthesis
    The reference recording is encoded once per voice (`get_state_for_audio_prompt`) and kept while
    the model is loaded; `generate_audio_stream` yields the audio as it is decoded (24 kHz). The
    model is not thread-safe: one synthesis at a time per loaded model.
"""

from __future__ import annotations

import copy
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from mynah.engines.base import EngineConfig, EngineOptions, SynthesisOptions, TtsCapabilities, Voice
from mynah.errors import EngineUnavailable, NotFound, UnknownVoice
from mynah.types import AudioChunk

__all__ = ["AUTHORISED", "INSTALL", "LAYOUT", "PocketEngine", "PocketLayout"]

INSTALL = "pip install torch==2.13.0 && pip install 'mynah[cloning]'"
RATE = 24000
REFERENCE = "reference.wav"
AUTHORISED: ContextVar[str | None] = ContextVar("mynah_cloned_voice", default=None)
"""The cloned voice the current request may speak with, set by the route once it checked the
caller's right to it (mynah.server.routes.voices.authorise_cloned_voice)."""


class PocketOptions(EngineOptions):
    model: str = "pocket:english"
    """The Pocket TTS model (an installed model id)."""
    voices_dir: Path | None = None
    """Where the cloned voices live (default: `<data_dir>/cloned-voices`)."""
    temperature: float | None = None
    """Sampling temperature (None: the model's own, 0.3)."""


class _Loaded:
    def __init__(self, model: Any) -> None:
        self.model = model
        self.lock = threading.Lock()
        self.states: dict[str, tuple[float, Any]] = {}


class PocketEngine:
    """Pocket TTS speaking cloned voices. Options: `model`, `voices_dir`, `temperature`."""

    name = "pocket"
    capabilities = TtsCapabilities(streaming=True, word_timings=False, native_speed=False, cloning=True)

    def __init__(self, config: EngineConfig) -> None:
        missing = [m for m in ("torch", "pocket_tts") if find_spec(m) is None]
        if missing:
            raise EngineUnavailable(f"Pocket TTS needs {', '.join(missing)}: {INSTALL}")
        self._options = config.parse_options(PocketOptions, self.name)
        self._models = config.model_manager()
        # cache_dir is <data_dir>/engines/pocket
        self._voices_dir = self._options.voices_dir or config.cache_dir.parent.parent / "cloned-voices"

    def voices(self) -> list[Voice]:
        """None: a cloned voice is never listed or picked for an alias here; the server lists each
        key's own (GET /v1/audio/voices) and names them explicitly."""
        return []

    def resolve_voice(self, name: str) -> Voice:
        if "/" in name or name.startswith(".") or not (self._voices_dir / name / REFERENCE).is_file():
            # 404 like the server's answer for another key's voice: a revoked voice is simply gone
            raise NotFound(f"no cloned voice {name!r}", param="voice", code="unknown_voice")
        if (missing := self._models.not_downloaded(self._options.model, param="voice")) is not None:
            raise missing
        return _voice(name)

    def synthesize(self, text: str, options: SynthesisOptions) -> Iterator[AudioChunk]:
        """Only for the voice the serving route authorised (`speaking_as`): a route that did not check
        who may use the voice cannot reach it."""
        if AUTHORISED.get() != options.voice:
            raise UnknownVoice(f"no cloned voice {options.voice!r} here", param="voice")
        self.resolve_voice(options.voice)
        return self._chunks(text, options.voice)

    def _chunks(self, text: str, voice: str) -> Iterator[AudioChunk]:
        with self._models.lease(self._options.model, self._load) as loaded, loaded.lock:
            state = self._state(loaded, voice)
            for piece in loaded.model.generate_audio_stream(state, text):
                samples = np.asarray(piece.detach().cpu().numpy(), dtype=np.float32).reshape(-1)
                if len(samples):
                    yield AudioChunk(samples, RATE)

    def _state(self, loaded: _Loaded, voice: str) -> Any:
        reference = self._voices_dir / voice / REFERENCE
        try:
            stamp = reference.stat().st_mtime
        except FileNotFoundError:
            loaded.states.pop(voice, None)
            raise UnknownVoice(f"no cloned voice {voice!r}", param="voice") from None
        cached = loaded.states.get(voice)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        for gone in [v for v in loaded.states if not (self._voices_dir / v / REFERENCE).exists()]:
            del loaded.states[gone]  # revoked voices' conditioning goes with their files
        state = loaded.model.get_state_for_audio_prompt(reference)
        loaded.states[voice] = (stamp, state)
        return state

    def _load(self, path: Path) -> _Loaded:
        import yaml
        from pocket_tts import TTSModel
        from pocket_tts.utils.config import CONFIGS_DIR

        own = path / "config.yaml"
        source = own if own.is_file() else CONFIGS_DIR / "english.yaml"
        raw: dict[str, Any] = copy.deepcopy(yaml.safe_load(source.read_text(encoding="utf-8")))
        raw["weights_path"] = str(path / "model.safetensors")
        raw.pop("weights_path_without_voice_cloning", None)
        raw["flow_lm"]["lookup_table"]["tokenizer"] = "tokenizers"
        raw["flow_lm"]["lookup_table"]["tokenizer_path"] = str(path / "tokenizer.json")
        with tempfile.TemporaryDirectory(prefix="mynah-pocket-") as folder:
            config = Path(folder) / "config.yaml"
            config.write_text(yaml.safe_dump(raw), encoding="utf-8")
            model = TTSModel.load_model(config=config, temp=self._options.temperature)
        if not model.has_voice_cloning:
            raise EngineUnavailable(f"{path.name}: these Pocket TTS weights cannot clone a voice")
        return _Loaded(model)


def _voice(name: str) -> Voice:
    return Voice(
        id=f"pocket:{name}",
        engine="pocket",
        name=name,
        language="en",
        sample_rate=RATE,
        description="cloned voice (consent on record)",
    )


class PocketLayout:
    """A Pocket TTS model: `model.safetensors` and `tokenizer.json`, `config.yaml` optional."""

    _FILES = ("model.safetensors", "tokenizer.json", "config.yaml")

    def select(self, name: str, files: Sequence[str]) -> list[str]:
        return [f for f in files if f.rsplit("/", 1)[-1] in self._FILES]

    def problem(self, files: Sequence[str]) -> str | None:
        names = {f.rsplit("/", 1)[-1] for f in files}
        missing = [n for n in self._FILES[:2] if n not in names]
        return f"a Pocket TTS model needs {' and '.join(missing)}" if missing else None

    def finish(self, staging: Path) -> None:
        return None


LAYOUT = PocketLayout()
"""Declared under the `mynah.model_layouts` entry points (pyproject.toml)."""
