"""Settings, read from the environment (prefix `MYNAH_`, nested with `__`) and built by the caller.

    MYNAH_SERVER__PORT=9000 MYNAH_TTS__DEFAULT_VOICE=flite:slt mynah serve

Nothing here is read at import time: `create_app()` and the CLI build `Settings()` when they start.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# OpenAI's voice names, each mapped to a chain of native voices: the first one that exists on this
# machine serves the request. flite is clearer than espeak-ng but is only there when the system has it.
DEFAULT_VOICE_ALIASES: dict[str, list[str]] = {
    "alloy": ["flite:slt", "espeak:en-us+f3"],
    "ash": ["flite:rms", "espeak:en-us+m3"],
    "ballad": ["flite:awb", "espeak:en-gb-scotland+m2"],
    "coral": ["flite:slt", "espeak:en-us+f2"],
    "echo": ["flite:rms", "espeak:en-us+m1"],
    "fable": ["flite:awb", "espeak:en-gb+m3"],
    "nova": ["flite:slt", "espeak:en-us+f4"],
    "onyx": ["flite:rms", "espeak:en-us+m7"],
    "sage": ["flite:slt", "espeak:en-gb+f3"],
    "shimmer": ["flite:slt", "espeak:en-us+f5"],
    "verse": ["flite:kal16", "espeak:en-us+m2"],
    "marin": ["flite:slt", "espeak:en-us+f1"],
    "cedar": ["flite:rms", "espeak:en-us+m4"],
}

# OpenAI's speech model names. Any of them uses the voice chain; naming an engine ("espeak", "flite")
# as the model restricts the chain to that engine.
OPENAI_TTS_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts")
OPENAI_STT_MODELS = ("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe")


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_key: SecretStr | None = None
    """When set, every /v1 route wants `Authorization: Bearer <api_key>`."""


class TtsSettings(BaseModel):
    default_voice: str = "alloy"
    voice_aliases: dict[str, list[str]] = Field(default_factory=lambda: dict(DEFAULT_VOICE_ALIASES))
    max_input_chars: int = Field(default=20_000, ge=1)
    """Longest text one HTTP request may synthesise. OpenAI's own limit is 4,096."""


class SttSettings(BaseModel):
    default_model: list[str] = Field(default_factory=lambda: ["pocketsphinx:en-us"])
    """The chain behind OpenAI's model names: the first model available serves."""
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    max_audio_seconds: float = Field(default=4 * 3600.0, gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MYNAH_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "mynah")
    engines: list[str] | None = None
    """Engines to load by entry-point name; None loads every one installed."""
    server: ServerSettings = Field(default_factory=ServerSettings)
    tts: TtsSettings = Field(default_factory=TtsSettings)
    stt: SttSettings = Field(default_factory=SttSettings)
