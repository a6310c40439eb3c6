"""Logging for the `mynah` process (the CLI and `mynah serve`); a library embedding mynah keeps its own.

One handler on the root logger, on stderr. `-v` on the command line is the verbosity:

    verbosity   mynah's loggers                    every other library (httpx, faster_whisper, ...)
    0           WARNING (serve: its --log-level)   WARNING
    1 (-v)      INFO (or serve's lower level)      INFO
    2 (-vv)     DEBUG                              DEBUG

so without `-v` third-party chatter (an INFO line per HTTP request, per transcribed file) stays out of
the CLI's output and the server's log alike.
"""

from __future__ import annotations

import logging

_LEVELS = (logging.WARNING, logging.INFO, logging.DEBUG)
_PLAIN = "mynah: %(message)s"
_DETAILED = "%(levelname)s %(name)s: %(message)s"


def verbosity_level(verbosity: int) -> int:
    """The logging level that `-v` given `verbosity` times asks for."""
    return _LEVELS[max(0, min(verbosity, len(_LEVELS) - 1))]


def configure_logging(verbosity: int = 0, *, mynah_level: int = logging.WARNING) -> int:
    """Set up logging for this process; returns the level mynah's own loggers now use.

    `mynah_level` is mynah's own level without `-v` (serve passes its --log-level, INFO by default);
    `-v` can only make mynah say more."""
    everything = verbosity_level(verbosity)
    mine = min(everything, mynah_level) if verbosity > 0 else mynah_level
    detailed = mine < logging.WARNING
    logging.basicConfig(level=everything, format=_DETAILED if detailed else _PLAIN, force=True)
    logging.getLogger("mynah").setLevel(mine)
    return mine
