"""mynah: a self-hosted speech platform. Text to speech and speech to text, offline, OpenAI-compatible."""

from mynah.errors import (
    EngineFailed,
    EngineUnavailable,
    InvalidAudio,
    InvalidRequest,
    InvalidText,
    MynahError,
    NotFound,
    NotSupported,
    PayloadTooLarge,
    UnknownModel,
    UnknownVoice,
    UnsupportedFormat,
    UnsupportedMediaType,
)

__version__ = "0.1.0"

__all__ = [
    "EngineFailed",
    "EngineUnavailable",
    "InvalidAudio",
    "InvalidRequest",
    "InvalidText",
    "MynahError",
    "NotFound",
    "NotSupported",
    "PayloadTooLarge",
    "UnknownModel",
    "UnknownVoice",
    "UnsupportedFormat",
    "UnsupportedMediaType",
    "__version__",
]
