"""What the platform knows about the request in progress: its id, its key, and what it used.

The gate (mynah.platform.gate) makes one `RequestContext` per HTTP or WebSocket request and puts it
in the ASGI scope and in a context variable; routes add what only they know (engine, voice, billable
characters, audio seconds) through `mynah.platform.hooks`. Every log line made while the request runs
carries its `request_id` (see `RequestIdFilter`), and with `json_logs` each line is one JSON object.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.types import Scope

from mynah.platform.keys import ApiKey

__all__ = ["JsonFormatter", "RequestContext", "RequestIdFilter", "context_of", "current_request_id"]

SCOPE_KEY = "mynah.context"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")
_current: ContextVar[RequestContext | None] = ContextVar("mynah_request", default=None)


@dataclass(slots=True)
class RequestContext:
    request_id: str
    key: ApiKey | None = None
    started: float = field(default_factory=time.perf_counter)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    kind: str = "other"
    engine: str | None = None
    model: str | None = None
    """The voice that spoke, or the model that transcribed."""
    chars: int = 0
    audio_seconds: Callable[[], float] | float = 0.0
    """A number, or a callable read when the response has ended (streamed speech)."""
    cached: bool = False
    charged_chars: bool = False
    audio_counted: bool = False
    """The audio seconds were counted against the key's daily minutes (before the last byte left)."""
    """The characters were spent against the key's daily budget (metered even if it then failed)."""
    extra_headers: dict[str, str] = field(default_factory=dict)

    def seconds(self) -> float:
        value = self.audio_seconds() if callable(self.audio_seconds) else self.audio_seconds
        return float(value or 0.0)


def new_request_id(scope: Scope) -> str:
    """The caller's `x-request-id` when it is sane (1-128 safe characters), else a fresh one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = str(value.decode("latin-1")).strip()
            if _REQUEST_ID.fullmatch(text):
                return text
    return os.urandom(16).hex()  # as random as uuid4().hex, without building a UUID


def context_of(scope: Scope) -> RequestContext | None:
    found = scope.get(SCOPE_KEY)
    return found if isinstance(found, RequestContext) else None


def current_request_id() -> str | None:
    ctx = _current.get()
    return ctx.request_id if ctx is not None else None


def enter(ctx: RequestContext) -> object:
    return _current.set(ctx)


def leave(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


class RequestIdFilter(logging.Filter):
    """Puts `request_id` (or "-") on every record, and `request_suffix` (" [id]", or "" outside a
    request), so formats may use either."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = getattr(record, "request_id", None) or current_request_id() or "-"
        record.request_id = request_id
        record.request_suffix = f" [{request_id}]" if request_id != "-" else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and any `extra` fields."""

    _SKIP = frozenset(vars(logging.makeLogRecord({})).keys()) | {
        "message",
        "asctime",
        "request_id",
        "request_suffix",
    }

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for name, value in vars(record).items():
            if name not in self._SKIP and not name.startswith("_"):
                entry[name] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def install_logging(*, json_logs: bool) -> None:
    """Give the handlers of `mynah.logs` (the CLI's and `mynah serve`'s) the request id on every line,
    or, with `json_logs`, one JSON object per line. Handlers others installed (a host application's,
    pytest's) get the filter only, so their records carry `request_id` too. Idempotent."""
    from mynah.logs import _DETAILED, _PLAIN

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        fmt = getattr(handler.formatter, "_fmt", None)
        if fmt in (_PLAIN, _DETAILED):
            handler.setFormatter(
                JsonFormatter() if json_logs else logging.Formatter(fmt + "%(request_suffix)s")
            )
