"""What the files of one engine's model look like on disk: the seam between the cache and the engines.

The cache installs files; only an engine knows which files make its model. Each engine module
(`mynah.engines.piper`, `kokoro`, `whisper`) defines a `ModelLayout` and declares it under the
entry-point group `mynah.model_layouts`, named by engine, the way engines themselves are declared
under `mynah.tts_engines` / `mynah.stt_engines`. `discover_layouts()` reads that group, so the
cache never imports an engine module by name (mynah.models sits below mynah.engines), and a
third-party engine package adds its layout the same way. A cache can also be handed its layouts
(`ModelCache(layouts=...)`); an engine with none gets `AnyLayout`, which takes the files as given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["GROUP", "AnyLayout", "ModelLayout", "discover_layouts"]

GROUP = "mynah.model_layouts"

log = logging.getLogger(__name__)


@runtime_checkable
class ModelLayout(Protocol):
    def select(self, name: str, files: Sequence[str]) -> list[str]:
        """The files of a local source (paths relative to it, `/`-separated) that make model `name`."""
        ...

    def problem(self, files: Sequence[str]) -> str | None:
        """Why these files (paths relative to the model directory) cannot serve, or None."""
        ...

    def finish(self, staging: Path) -> None:
        """Turn the staged files into the layout the engine loads (e.g. pack many files into one)."""
        ...


class AnyLayout:
    """The layout of an engine that declares none: every file is the model's, none is missing."""

    def select(self, name: str, files: Sequence[str]) -> list[str]:
        return list(files)

    def problem(self, files: Sequence[str]) -> str | None:
        return None if files else "no files"

    def finish(self, staging: Path) -> None:
        return None


def discover_layouts() -> Mapping[str, ModelLayout]:
    """Every layout declared under the `mynah.model_layouts` entry-point group, by engine name.
    One that cannot be loaded is left out with a log line (its engine then gets `AnyLayout`)."""
    found: dict[str, ModelLayout] = {}
    for point in entry_points(group=GROUP):
        try:
            layout = point.load()
        except Exception as exc:  # a broken plugin must not break the cache
            log.warning("model layout %r (%s) cannot be loaded: %s", point.name, point.value, exc)
            continue
        if not isinstance(layout, ModelLayout):
            log.warning("model layout %r (%s) is not a ModelLayout", point.name, point.value)
            continue
        found[point.name] = layout
    return found
