"""mynah.logs: what each verbosity lets through, for mynah's loggers and for everyone else's."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from mynah.logs import configure_logging


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging changes the process's logging; put back what pytest had."""
    root, mine = logging.getLogger(), logging.getLogger("mynah")
    saved = (root.level, list(root.handlers), mine.level)
    yield
    root.handlers[:] = saved[1]
    root.setLevel(saved[0])
    mine.setLevel(saved[2])


@pytest.mark.usefixtures("restored_logging")
@pytest.mark.parametrize(
    ("verbosity", "mynah_level", "mynah_lets", "libraries_let"),
    [
        (0, logging.WARNING, logging.WARNING, logging.WARNING),  # a CLI command
        (1, logging.WARNING, logging.INFO, logging.INFO),  # mynah -v say ...
        (2, logging.WARNING, logging.DEBUG, logging.DEBUG),  # mynah -vv say ...
        (5, logging.WARNING, logging.DEBUG, logging.DEBUG),
        (0, logging.INFO, logging.INFO, logging.WARNING),  # mynah serve
        (0, logging.DEBUG, logging.DEBUG, logging.WARNING),  # mynah serve --log-level debug
        (1, logging.INFO, logging.INFO, logging.INFO),  # mynah -v serve
        (0, logging.ERROR, logging.ERROR, logging.WARNING),  # mynah serve --log-level error
    ],
)
def test_levels(verbosity: int, mynah_level: int, mynah_lets: int, libraries_let: int) -> None:
    assert configure_logging(verbosity, mynah_level=mynah_level) == mynah_lets
    for name, lowest in (
        ("mynah.engines.registry", mynah_lets),
        ("httpx", libraries_let),
        ("any.lib", libraries_let),
    ):
        logger = logging.getLogger(name)
        assert logger.isEnabledFor(lowest)
        assert lowest == logging.DEBUG or not logger.isEnabledFor(lowest - 10)
