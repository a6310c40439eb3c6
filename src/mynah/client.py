"""A Python client for a mynah server, sync (`Client`) and async (`AsyncClient`), over httpx.

    from mynah.client import Client
    with Client("http://127.0.0.1:8000") as mynah:
        audio = mynah.speech("Hello there", voice="alloy", response_format="wav")
        text = mynah.transcribe("meeting.mp3")["text"]

Connection failures, timeouts and 429/502/503/504 answers are retried with exponential backoff
(tenacity); any other error answer raises `MynahClientError` carrying the server's status and message.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import httpx
from tenacity import (
    AsyncRetrying,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from mynah.client_jobs import AsyncJobs, Jobs

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class MynahClientError(Exception):
    """The server answered with an error. `status`, `code` and `param` come from its JSON body."""

    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.code = code
        self.param = param


class _Transient(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"server answered {response.status_code}")
        self.response = response


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TransportError | _Transient)


def _raise_for(response: httpx.Response) -> None:
    if response.status_code in RETRY_STATUSES:
        raise _Transient(response)
    if response.is_error:
        raise _error(response)


def _error(response: httpx.Response) -> MynahClientError:
    try:
        error = response.json().get("error", {})
        return MynahClientError(
            response.status_code, error.get("message", response.text), error.get("code"), error.get("param")
        )
    except ValueError:
        return MynahClientError(response.status_code, response.text or response.reason_phrase)


def _speech_body(
    text: str, voice: str, model: str, response_format: str, speed: float, sample_rate: int | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "input": text,
        "voice": voice,
        "response_format": response_format,
        "speed": speed,
    }
    if sample_rate is not None:
        body["sample_rate"] = sample_rate
    return body


def _file_part(file: str | Path | bytes | BinaryIO) -> tuple[str, bytes | BinaryIO]:
    if isinstance(file, bytes):
        return ("audio", file)
    if isinstance(file, str | Path):
        path = Path(file)
        return (path.name, path.read_bytes())
    return (getattr(file, "name", "audio"), file)


def _transcribe_form(
    model: str, language: str | None, response_format: str, timestamp_granularities: Sequence[str]
) -> dict[str, Any]:
    data: dict[str, Any] = {"model": model, "response_format": response_format}
    if language:
        data["language"] = language
    if timestamp_granularities:
        data["timestamp_granularities[]"] = list(timestamp_granularities)
    return data


def _transcript(response: httpx.Response, response_format: str) -> Any:
    return response.json() if response_format in ("json", "verbose_json") else response.text


class Client:
    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float = 300.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=base_url, headers=headers, timeout=timeout, transport=transport)
        self._retrying = Retrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(retries + 1),
            wait=wait_exponential(multiplier=0.25, max=4.0),
            reraise=True,
        )
        self.jobs = Jobs(self._request)
        """Durable jobs: submit, get, wait, result, list, cancel (mynah.client_jobs)."""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        def attempt() -> httpx.Response:
            response = self._http.request(method, url, **kwargs)
            _raise_for(response)
            return response

        try:
            return self._retrying(attempt)
        except _Transient as exc:
            raise _error(exc.response) from None

    def health(self) -> dict[str, Any]:
        return dict(self._request("GET", "/health").json())

    def voices(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/v1/audio/voices").json()["voices"])

    def models(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/v1/models").json()["data"])

    def speech(
        self,
        text: str,
        *,
        voice: str = "alloy",
        model: str = "tts-1",
        response_format: str = "mp3",
        speed: float = 1.0,
        sample_rate: int | None = None,
    ) -> bytes:
        body = _speech_body(text, voice, model, response_format, speed, sample_rate)
        return self._request("POST", "/v1/audio/speech", json=body).content

    def stream_speech(
        self,
        text: str,
        *,
        voice: str = "alloy",
        model: str = "tts-1",
        response_format: str = "pcm",
        speed: float = 1.0,
        sample_rate: int | None = None,
    ) -> Iterator[bytes]:
        """Audio bytes as the server produces them (no retry once bytes have arrived)."""
        body = _speech_body(text, voice, model, response_format, speed, sample_rate)
        with self._http.stream("POST", "/v1/audio/speech", json=body) as response:
            if response.is_error:
                response.read()
                raise _error(response)
            yield from response.iter_bytes()

    def transcribe(
        self,
        file: str | Path | bytes | BinaryIO,
        *,
        model: str = "whisper-1",
        language: str | None = None,
        response_format: str = "json",
        timestamp_granularities: Sequence[str] = (),
    ) -> Any:
        """JSON formats give a dict; text, srt and vtt give a string."""
        data = _transcribe_form(model, language, response_format, timestamp_granularities)
        response = self._request(
            "POST", "/v1/audio/transcriptions", data=data, files={"file": _file_part(file)}
        )
        return _transcript(response, response_format)


class AsyncClient:
    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        api_key: str | None = None,
        timeout: float = 300.0,
        retries: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )
        self._retries = retries
        self.jobs = AsyncJobs(self._request)
        """Durable jobs: submit, get, wait, result, list, cancel, as coroutines (mynah.client_jobs)."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_transient),
            stop=stop_after_attempt(self._retries + 1),
            wait=wait_exponential(multiplier=0.25, max=4.0),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._http.request(method, url, **kwargs)
                    _raise_for(response)
                    return response
        except _Transient as exc:
            raise _error(exc.response) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def health(self) -> dict[str, Any]:
        return dict((await self._request("GET", "/health")).json())

    async def voices(self) -> list[dict[str, Any]]:
        return list((await self._request("GET", "/v1/audio/voices")).json()["voices"])

    async def models(self) -> list[dict[str, Any]]:
        return list((await self._request("GET", "/v1/models")).json()["data"])

    async def speech(
        self,
        text: str,
        *,
        voice: str = "alloy",
        model: str = "tts-1",
        response_format: str = "mp3",
        speed: float = 1.0,
        sample_rate: int | None = None,
    ) -> bytes:
        body = _speech_body(text, voice, model, response_format, speed, sample_rate)
        return (await self._request("POST", "/v1/audio/speech", json=body)).content

    async def stream_speech(
        self,
        text: str,
        *,
        voice: str = "alloy",
        model: str = "tts-1",
        response_format: str = "pcm",
        speed: float = 1.0,
        sample_rate: int | None = None,
    ) -> AsyncIterator[bytes]:
        body = _speech_body(text, voice, model, response_format, speed, sample_rate)
        async with self._http.stream("POST", "/v1/audio/speech", json=body) as response:
            if response.is_error:
                await response.aread()
                raise _error(response)
            async for data in response.aiter_bytes():
                yield data

    async def transcribe(
        self,
        file: str | Path | bytes | BinaryIO,
        *,
        model: str = "whisper-1",
        language: str | None = None,
        response_format: str = "json",
        timestamp_granularities: Sequence[str] = (),
    ) -> Any:
        data = _transcribe_form(model, language, response_format, timestamp_granularities)
        response = await self._request(
            "POST", "/v1/audio/transcriptions", data=data, files={"file": _file_part(file)}
        )
        return _transcript(response, response_format)
