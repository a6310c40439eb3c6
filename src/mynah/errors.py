"""Every error mynah raises on purpose, and the HTTP status each one maps to.

    MynahError                      500  base class; never raised directly
    ├── InvalidRequest              400  a parameter is missing, malformed or out of range
    │   ├── UnknownVoice            400  no such voice (or none of its fallbacks can load)
    │   ├── UnsupportedFormat       400  response/input format or sample rate mynah cannot produce
    │   ├── InvalidAudio            400  upload is empty, truncated, corrupt or not audio at all
    │   ├── InvalidText             400  text is empty, malformed SSML, ...
    │   └── NotSupported            400  the request is valid but no available engine can do it
    ├── Unauthorized                401  no API key, or a malformed, unknown, revoked or expired one
                                         (checked before the body is read)
    ├── UnknownModel                404  no such model
    ├── ModelNotDownloaded          409  a model (or voice) mynah knows, not in the cache: pull it
    ├── NotFound                    404  no such resource (lexicon, job, ...)
    ├── RequestTimeout              408  the request's body did not arrive in time (connection closed)
    ├── PayloadTooLarge             413  input text, upload or audio duration over the configured limit
    ├── UnsupportedMediaType        415  request body has a content type the route does not take
    ├── Forbidden                   403  the API key lacks the scope the route needs
    ├── RateLimited                 429  a limit of the API key is used up (Retry-After says when)
    ├── Overloaded                  503  the queue for this kind of work is full (+ Retry-After)
    ├── Cancelled                   499  the client went away; the work was stopped
    │   └── OverBudget              413  the work ran past its time budget; it was stopped
    ├── EngineUnavailable           503  an engine or model could not be loaded
    └── EngineFailed                500  an engine failed while working on valid input

The server maps this tree to HTTP in one handler (`mynah.server.errors`); the CLI prints `str(exc)`.
Each error carries `param` (the request field at fault, when there is one) and a short machine `code`.
"""

from __future__ import annotations


class MynahError(Exception):
    """Base of every deliberate mynah error."""

    status_code = 500
    code = "internal_error"
    type = "server_error"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code

    def details(self) -> dict[str, object]:
        """Fields beside message/type/param/code in the error body (none unless a subclass adds them)."""
        return {}


class InvalidRequest(MynahError):
    status_code = 400
    code = "invalid_request"
    type = "invalid_request_error"


class UnknownVoice(InvalidRequest):
    code = "unknown_voice"


class UnsupportedFormat(InvalidRequest):
    code = "unsupported_format"


class InvalidAudio(InvalidRequest):
    code = "invalid_audio"


class InvalidText(InvalidRequest):
    """Bad input text; for malformed SSML, `line` and `column` (both from 1, column in characters)
    say where, and the error body carries them so an editor can point there."""

    code = "invalid_text"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message, param=param, code=code)
        self.line = line
        self.column = column

    def details(self) -> dict[str, object]:
        return {} if self.line is None else {"line": self.line, "column": self.column}


class NotSupported(InvalidRequest):
    code = "not_supported"


class Unauthorized(MynahError):
    status_code = 401
    code = "unauthorized"
    type = "invalid_request_error"


class UnknownModel(MynahError):
    status_code = 404
    code = "model_not_found"
    type = "invalid_request_error"


class ModelNotDownloaded(MynahError):
    """A catalog model (a Piper voice, a Whisper model, ...) that is not in the model cache and cannot
    be fetched now; the message names its size and the pull command. Distinct from a typo
    (UnknownVoice / UnknownModel)."""

    status_code = 409
    code = "model_not_downloaded"
    type = "invalid_request_error"


class NotFound(MynahError):
    status_code = 404
    code = "not_found"
    type = "invalid_request_error"


class PayloadTooLarge(MynahError):
    status_code = 413
    code = "payload_too_large"
    type = "invalid_request_error"


class RequestTimeout(MynahError):
    """408: the request's body did not arrive within `server.body_timeout_seconds` (a client that
    trickles it); the connection is closed after the answer."""

    status_code = 408
    code = "body_timeout"
    type = "invalid_request_error"


class UnsupportedMediaType(MynahError):
    status_code = 415
    code = "unsupported_media_type"
    type = "invalid_request_error"


class Forbidden(MynahError):
    status_code = 403
    code = "forbidden"
    type = "invalid_request_error"


class RateLimited(MynahError):
    status_code = 429
    code = "rate_limit_exceeded"
    type = "rate_limit_error"

    def __init__(
        self,
        message: str,
        *,
        retry_after: float,
        limit: str,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.limit = limit
        """Which limit: requests, streams, characters or audio."""
        self.headers = {**(headers or {}), "retry-after": str(max(1, round(retry_after)))}


class Overloaded(MynahError):
    """Too much of one kind of work is running and queued; `retry_after` is the seconds to wait."""

    status_code = 503
    code = "overloaded"
    type = "server_error"

    def __init__(self, message: str, *, retry_after: int = 1, param: str | None = None) -> None:
        super().__init__(message, param=param)
        self.retry_after = retry_after


class Cancelled(MynahError):
    """The client that asked for the work disconnected, so it was stopped (nobody reads the answer)."""

    status_code = 499
    code = "cancelled"
    type = "server_error"


class OverBudget(Cancelled):
    """413: the work ran past its time budget (`stt.max_work_seconds`, `tts.max_work_seconds`) and
    was stopped; the message names the setting. A Cancelled, so whatever stops cancelled work
    (queued batch windows, the render) stops this the same way."""

    status_code = 413
    code = "time_budget_exceeded"
    type = "invalid_request_error"


class EngineUnavailable(MynahError):
    status_code = 503
    code = "engine_unavailable"


class EngineFailed(MynahError):
    status_code = 500
    code = "engine_failed"
