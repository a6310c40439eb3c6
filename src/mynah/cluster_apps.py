"""Import paths for deploying the engine applications without a front (KubeRay `RayService`,
`serve deploy`/`serve run`): each builds its application from the environment's Settings.

    serve run mynah.cluster_apps:speech            serve run mynah.cluster_apps:transcription

Fronts then connect with MYNAH_CLUSTER__DEPLOY=false (they find the applications by name:
`<MYNAH_CLUSTER__APP_NAME>-speech` and `-transcription`, so give the applications those names).
"""

from __future__ import annotations

from typing import Any

from mynah.cluster import build_speech, build_transcription
from mynah.config import Settings
from mynah.runtime import Runtime


def _start(settings: Settings) -> Runtime:
    return Runtime.start(settings)


def speech(args: dict[str, str] | None = None) -> Any:
    """The speech application, for Serve's application builder (import_path mynah.cluster_apps:speech)."""
    return build_speech(Settings(), _start)


def transcription(args: dict[str, str] | None = None) -> Any:
    return build_transcription(Settings(), _start)
