"""Per-key limits on the `limits` package: requests per minute (a moving window, exact), concurrent
streams (a counter), characters and audio minutes per UTC day (counters keyed by the date).

    limiter = Limiter.open(redis_url=None | "redis://...", defaults=LimitSettings(...), prefix="mynah")
    admission = limiter.admit(key, stream=True)      # raises RateLimited (429 + Retry-After)
    limiter.charge_chars(key, 6000)                  # raises RateLimited when the day's budget is spent
    limiter.record_audio(key, 12.5)                  # after the fact: the next request is refused
    admission.release()                              # the stream ended

With a Redis URL every process and machine that shares it shares the counts; without one they live in
this process. A key's own limits win over the server's defaults, field by field.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from limits import RateLimitItemPerDay, RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from mynah.config import LimitSettings
from mynah.errors import EngineUnavailable, RateLimited
from mynah.platform.keys import ApiKey

__all__ = ["Admission", "Limiter"]

log = logging.getLogger(__name__)
_STREAM_EXPIRY = 3600
"""A stream counter left by a process that died is forgotten after an hour of no change."""


@dataclass
class Admission:
    """One admitted request: the headers to send, and the stream slot to give back when it ends."""

    headers: dict[str, str] = field(default_factory=dict)
    _release: object = None

    def release(self) -> None:
        release, self._release = self._release, None
        if callable(release):
            release()


class Limiter:
    def __init__(self, storage: Storage, defaults: LimitSettings) -> None:
        self.storage = storage
        self.defaults = defaults
        self._window = MovingWindowRateLimiter(storage)
        self._daily = FixedWindowRateLimiter(storage)

    @classmethod
    def open(cls, *, redis_url: str | None, defaults: LimitSettings, prefix: str = "mynah") -> Limiter:
        if redis_url:
            try:
                storage: Storage = RedisStorage(redis_url, key_prefix=f"{prefix}:limits")
                if not storage.check():
                    raise ConnectionError("no answer")
            except Exception as exc:
                raise EngineUnavailable(f"cannot reach Redis for rate limits ({exc})") from None
        else:
            storage = MemoryStorage()
        return cls(storage, defaults)

    def limits_for(self, key: ApiKey) -> LimitSettings:
        own = key.limits.model_dump(exclude_none=True)
        if key.id == "settings":
            return LimitSettings.model_validate(own)
        return self.defaults.model_copy(update=own)

    # ------------------------------------------------------------------------------------ checks

    def admit(self, key: ApiKey, *, stream: bool, metered: bool) -> Admission:
        """Count one request against `key`'s limits. `stream`: it takes a concurrent stream slot;
        `metered`: it speaks or transcribes, so a spent daily budget refuses it."""
        limits = self.limits_for(key)
        admission = Admission()
        if limits.requests_per_minute is not None:
            item = RateLimitItemPerMinute(limits.requests_per_minute)
            allowed = self._window.hit(item, key.id, "rpm")
            reset, remaining = self._window.get_window_stats(item, key.id, "rpm")
            wait = max(0.0, reset - time.time())
            admission.headers.update(
                {
                    "x-ratelimit-limit-requests": str(limits.requests_per_minute),
                    "x-ratelimit-remaining-requests": str(max(0, remaining)),
                    "x-ratelimit-reset-requests": f"{math.ceil(wait)}s",
                }
            )
            if not allowed:
                raise _limited(
                    f"{limits.requests_per_minute} requests a minute", wait, admission.headers, "requests"
                )
        if metered:
            if limits.chars_per_day is not None:
                used = self._used(key, "chars")
                admission.headers.update(
                    {
                        "x-ratelimit-limit-characters": str(limits.chars_per_day),
                        "x-ratelimit-remaining-characters": str(max(0, limits.chars_per_day - used)),
                    }
                )
                if used >= limits.chars_per_day:
                    raise _limited(
                        f"{limits.chars_per_day:,} characters a day",
                        _to_midnight(),
                        admission.headers,
                        "characters",
                    )
            if limits.audio_minutes_per_day is not None:
                budget = int(limits.audio_minutes_per_day * 60)
                used = self._used(key, "audio")
                admission.headers.update(
                    {
                        "x-ratelimit-limit-audio-seconds": str(budget),
                        "x-ratelimit-remaining-audio-seconds": str(max(0, budget - used)),
                    }
                )
                if used >= budget:
                    raise _limited(
                        f"{limits.audio_minutes_per_day:g} audio minutes a day",
                        _to_midnight(),
                        admission.headers,
                        "audio",
                    )
        if stream and limits.concurrent_streams is not None:
            name = f"streams:{key.id}"
            now = self.storage.incr(name, _STREAM_EXPIRY, 1)
            if now > limits.concurrent_streams:
                self._give_back(name)
                raise _limited(
                    f"{limits.concurrent_streams} concurrent streams", 1.0, admission.headers, "streams"
                )
            admission._release = lambda: self._give_back(name)
        return admission

    def charge_chars(self, key: ApiKey, chars: int) -> None:
        """Spend `chars` of today's character budget; RateLimited (nothing spent) when they do not fit."""
        limit = self.limits_for(key).chars_per_day
        if limit is None or chars <= 0:
            return
        item = RateLimitItemPerDay(limit)
        day = _today()
        if not (
            self._daily.test(item, key.id, "chars", day, cost=chars)
            and self._daily.hit(item, key.id, "chars", day, cost=chars)
        ):
            used = self._used(key, "chars")
            raise _limited(
                f"{limit:,} characters a day ({used:,} used, {chars:,} asked)",
                _to_midnight(),
                {
                    "x-ratelimit-limit-characters": str(limit),
                    "x-ratelimit-remaining-characters": str(max(0, limit - used)),
                },
                "characters",
            )

    def record_audio(self, key: ApiKey, seconds: float) -> None:
        """Count audio produced or transcribed; a request that went over is not undone, the next is refused."""
        minutes = self.limits_for(key).audio_minutes_per_day
        if minutes is None or seconds <= 0:
            return
        self.storage.incr(_daily_key(key, "audio"), 2 * 86400, math.ceil(seconds))

    def _used(self, key: ApiKey, what: str) -> int:
        if what == "chars":
            limit = self.limits_for(key).chars_per_day or 1
            stats = self._daily.get_window_stats(RateLimitItemPerDay(limit), key.id, "chars", _today())
            return limit - stats.remaining
        return int(self.storage.get(_daily_key(key, what)))

    def _give_back(self, name: str) -> None:
        try:
            if isinstance(self.storage, MemoryStorage):
                self.storage.decr(name)
            else:
                self.storage.incr(name, _STREAM_EXPIRY, -1)
        except Exception:  # a lost decrement heals when the counter expires
            log.warning("could not release a stream slot (%s)", name, exc_info=True)

    def reset(self) -> None:
        self.storage.reset()


def _limited(what: str, wait: float, headers: dict[str, str], limit: str) -> RateLimited:
    seconds = max(1, math.ceil(wait))
    return RateLimited(
        f"rate limit reached: {what}; retry after {seconds} s",
        retry_after=seconds,
        limit=limit,
        headers=headers,
    )


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _daily_key(key: ApiKey, what: str) -> str:
    return f"{what}:{key.id}:{_today()}"


def _to_midnight() -> float:
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()
