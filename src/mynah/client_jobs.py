"""The jobs half of the Python client: `client.jobs.submit / get / wait / result / list / cancel`.

    with Client("http://127.0.0.1:8000") as mynah:
        job = mynah.jobs.submit("call.mp3", callback_url="https://example.com/hook")
        done = mynah.jobs.wait(job["id"])                 # polls until succeeded, failed or cancelled
        text = mynah.jobs.result(job["id"], format="text")

        speech = mynah.jobs.submit(text=open("book.md").read(), input_type="markdown", voice="alloy")
        audio = mynah.jobs.result(mynah.jobs.wait(speech["id"])["id"])   # bytes

`AsyncClient.jobs` has the same methods, as coroutines.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, BinaryIO

import httpx

FINISHED = frozenset({"succeeded", "failed", "cancelled"})

Progress = Callable[[dict[str, Any]], None]
"""Called with the job each time `wait` looks at it."""


class JobWaitTimeout(TimeoutError):
    """`wait` gave up before the job finished; `job` is how it last looked."""

    def __init__(self, job: dict[str, Any]) -> None:
        super().__init__(f"job {job['id']} is still {job['status']}")
        self.job = job


def _submission(
    file: str | Path | bytes | BinaryIO | None, text: str | None, fields: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The route and the request (httpx keyword arguments) for a submission."""
    given = {k: v for k, v in fields.items() if v is not None}
    if (file is None) == (text is None):
        raise ValueError("give a file (transcription) or text= (speech), not both")
    if text is not None:
        return "/v1/mynah/jobs/speech", {"json": {"input": text, **given}}
    assert file is not None
    form = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in given.items()}
    return "/v1/mynah/jobs/transcriptions", {"data": form, "files": {"file": _file_part(file)}}


def _file_part(file: str | Path | bytes | BinaryIO) -> tuple[str, bytes | BinaryIO]:
    if isinstance(file, bytes):
        return ("audio", file)
    if isinstance(file, str | Path):
        path = Path(file)
        return (path.name, path.read_bytes())
    return (getattr(file, "name", "audio"), file)


def _result(response: httpx.Response) -> Any:
    kind = response.headers.get("content-type", "").split(";")[0]
    if kind == "application/json":
        return response.json()
    if kind.startswith("text/"):
        return response.text
    return response.content


class Jobs:
    def __init__(self, request: Callable[..., httpx.Response]) -> None:
        self._request = request

    def submit(
        self,
        file: str | Path | bytes | BinaryIO | None = None,
        *,
        text: str | None = None,
        callback_url: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Queue a transcription of `file`, or speech of `text`; any route field may be given
        (model, language, diarize, response_format, voice, input_type, loudness, ...)."""
        route, kwargs = _submission(file, text, {"callback_url": callback_url, **fields})
        return dict(self._request("POST", route, **kwargs).json())

    def get(self, job_id: str) -> dict[str, Any]:
        return dict(self._request("GET", f"/v1/mynah/jobs/{job_id}").json())

    def list(
        self, *, state: str | None = None, kind: str | None = None, limit: int = 20, cursor: str | None = None
    ) -> dict[str, Any]:
        params = {
            k: v for k, v in {"state": state, "kind": kind, "limit": limit, "cursor": cursor}.items() if v
        }
        return dict(self._request("GET", "/v1/mynah/jobs", params=params).json())

    def wait(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        poll: float = 0.5,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """The job once it has finished (it may have failed: look at `status`)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if progress is not None:
                progress(job)
            if job["status"] in FINISHED:
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise JobWaitTimeout(job)
            time.sleep(poll)

    def result(self, job_id: str, *, format: str | None = None) -> Any:
        """A dict for JSON formats, a string for text ones, bytes for audio."""
        params = {"format": format} if format else {}
        return _result(self._request("GET", f"/v1/mynah/jobs/{job_id}/result", params=params))

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a queued or running job; a finished one is removed with its files."""
        return dict(self._request("DELETE", f"/v1/mynah/jobs/{job_id}").json())


class AsyncJobs:
    def __init__(self, request: Callable[..., Awaitable[httpx.Response]]) -> None:
        self._request = request

    async def submit(
        self,
        file: str | Path | bytes | BinaryIO | None = None,
        *,
        text: str | None = None,
        callback_url: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        route, kwargs = _submission(file, text, {"callback_url": callback_url, **fields})
        return dict((await self._request("POST", route, **kwargs)).json())

    async def get(self, job_id: str) -> dict[str, Any]:
        return dict((await self._request("GET", f"/v1/mynah/jobs/{job_id}")).json())

    async def list(
        self, *, state: str | None = None, kind: str | None = None, limit: int = 20, cursor: str | None = None
    ) -> dict[str, Any]:
        params = {
            k: v for k, v in {"state": state, "kind": kind, "limit": limit, "cursor": cursor}.items() if v
        }
        return dict((await self._request("GET", "/v1/mynah/jobs", params=params)).json())

    async def wait(
        self,
        job_id: str,
        *,
        timeout: float | None = None,
        poll: float = 0.5,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = await self.get(job_id)
            if progress is not None:
                progress(job)
            if job["status"] in FINISHED:
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise JobWaitTimeout(job)
            await asyncio.sleep(poll)

    async def result(self, job_id: str, *, format: str | None = None) -> Any:
        params = {"format": format} if format else {}
        return _result(await self._request("GET", f"/v1/mynah/jobs/{job_id}/result", params=params))

    async def cancel(self, job_id: str) -> dict[str, Any]:
        return dict((await self._request("DELETE", f"/v1/mynah/jobs/{job_id}")).json())
