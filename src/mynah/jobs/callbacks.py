"""Callbacks: a finished job's result POSTed to the URL its submitter gave, signed per Standard Webhooks.

    webhook-id:        the job's `msg_...` id, the same on every attempt (the receiver's idempotency key)
    webhook-timestamp: seconds since the epoch, of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> under a `whsec_` secret
                       (signed and checked with the `standardwebhooks` package)

The target passes the address checks of URL input (`mynah.net.fetch.check_url`: no loopback,
private, link-local or metadata address unless `jobs.allow_private_callbacks`) at submission and
again before every attempt, and the connection goes to the address that was vetted. Redirects are
not followed. A 2xx answer delivers; 410 Gone stops for good; anything else (or no answer) is
retried on a growing, jittered schedule (tenacity's `wait_exponential` plus `wait_random`) for about
`jobs.callback_retry_hours`, never sooner than a `Retry-After` asks. Every attempt is logged in the
job's delivery log.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook
from tenacity import RetryCallState, wait_exponential, wait_random

from mynah.config import JobsSettings
from mynah.errors import InvalidRequest, MynahError
from mynah.net.fetch import UrlRefused, check_url

log = logging.getLogger(__name__)

_MAX_WAIT = 6 * 3600.0
_USER_AGENT = "mynah (job callback)"


def load_secret(settings: JobsSettings, data_dir: Path) -> str:
    """The server's `whsec_` signing secret: configured, or made once and kept in the data directory
    (0600), so every process on the same data directory signs alike."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    path = data_dir / "jobs" / "webhook_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process is writing it right now
            if text := path.read_text("ascii").strip():
                return text
            time.sleep(0.02)
        raise
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return secret


def check_callback_url(url: str, settings: JobsSettings, *, param: str = "callback_url") -> str:
    """The URL, stripped, if callbacks may go there; else InvalidRequest/UrlRefused (400)."""
    url = url.strip()
    try:
        check_url(
            url,
            allow_private=settings.allow_private_callbacks,
            timeout=settings.callback_timeout,
            param=param,
        )
    except MynahError as exc:
        message = exc.message.replace("refusing to fetch", "refusing to send callbacks to").replace(
            "cannot fetch", "cannot send callbacks to"
        )
        kind = UrlRefused if isinstance(exc, UrlRefused) else InvalidRequest
        raise kind(message, param=param, code=exc.code) from None
    return url


def parse_extra(value: str | None) -> dict[str, str] | None:
    """Pulse-style `webhook_extra`: `k:v,k2:v2` -> {"k": "v", "k2": "v2"}."""
    if value is None or not value.strip():
        return None
    out: dict[str, str] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        key, sep, val = part.partition(":")
        if not sep or not key.strip():
            raise InvalidRequest(
                f"webhook_extra must look like key:value,key2:value2; {part.strip()!r} is not",
                param="webhook_extra",
            )
        out[key.strip()] = val.strip()
    return out


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt came to."""

    status_code: int | None
    error: str | None
    seconds: float
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def backoff(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait after attempt `attempt` (1, 2, ...): base * 2**(attempt-1) up to `cap`, plus
    up to `base` of jitter, so many failed deliveries do not come back in step."""
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempt
    strategy = wait_exponential(multiplier=base, max=cap) + wait_random(0, base)
    return float(strategy(state))


def next_attempt(
    attempt: int, first_at: datetime, settings: JobsSettings, retry_after: float | None
) -> datetime | None:
    """When attempt `attempt + 1` is due, or None when the retry window is over."""
    wait = backoff(attempt, settings.callback_retry_base_seconds, _MAX_WAIT)
    if retry_after is not None:
        wait = max(wait, min(retry_after, _MAX_WAIT))
    due = datetime.now(UTC) + timedelta(seconds=wait)
    if due > first_at + timedelta(hours=settings.callback_retry_hours):
        return None
    return due


class Sender:
    """Signs and POSTs deliveries."""

    def __init__(self, settings: JobsSettings, secret: str) -> None:
        self._settings = settings
        self._webhook = Webhook(secret)

    def sign(self, webhook_id: str, body: str, at: datetime) -> dict[str, str]:
        return {
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": self._webhook.sign(webhook_id, at, body),
        }

    def send(
        self, url: str, webhook_id: str, payload: dict[str, Any], extra_headers: dict[str, str]
    ) -> Attempt:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        started = time.monotonic()
        try:
            parsed, address = check_url(
                url,
                allow_private=self._settings.allow_private_callbacks,
                timeout=self._settings.callback_timeout,
                param="callback_url",
            )
        except MynahError as exc:
            return Attempt(None, f"refused: {exc.message}", time.monotonic() - started)
        headers = {
            **extra_headers,
            **self.sign(webhook_id, body, datetime.now(UTC)),
            "content-type": "application/json",
            "user-agent": _USER_AGENT,
            "host": parsed.netloc.decode("ascii"),
        }
        extensions = {}
        if parsed.scheme == "https":
            extensions["sni_hostname"] = parsed.raw_host.decode("ascii")
        try:
            with httpx.Client(
                trust_env=False, follow_redirects=False, timeout=self._settings.callback_timeout
            ) as client:
                response = client.post(
                    parsed.copy_with(host=str(address)),
                    content=body.encode("utf-8"),
                    headers=headers,
                    extensions=extensions,
                )
        except httpx.HTTPError as exc:
            return Attempt(None, f"{type(exc).__name__}: {exc}".rstrip(": "), time.monotonic() - started)
        seconds = time.monotonic() - started
        error = None if 200 <= response.status_code < 300 else f"answered {response.status_code}"
        return Attempt(
            response.status_code, error, seconds, _retry_after(response.headers.get("retry-after"))
        )


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
