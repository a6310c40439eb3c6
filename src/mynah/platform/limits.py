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
from datetime import UTC, date, datetime, timedelta

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage

from mynah.config import LimitSettings
from mynah.errors import EngineUnavailable, RateLimited
from mynah.platform.keys import ApiKey

__all__ = ["Admission", "Limiter"]

log = logging.getLogger(__name__)
_STREAM_EXPIRY = 3600
"""A stream counter left by a process that died is forgotten after an hour of no change."""
_DAY_EXPIRY = 2 * 86400
_EPOCH = date(1970, 1, 1)


class _QuietMemoryStorage(MemoryStorage):
    """`limits`' in-memory storage, expiring old counters inline at most once a second instead of
    starting a `threading.Timer` whenever none is running, which it does on nearly every request
    of a server whose requests come more than 10 ms apart: a new thread each time (0.7 ms on a loaded
    2-core machine, more than all the rest of the platform's work on a request)."""

    _EVERY = 1.0

    def __init__(self) -> None:
        self._last_expiry = 0.0
        super().__init__()

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now - self._last_expiry >= self._EVERY:
            self._last_expiry = now
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


@dataclass
class Admission:
    """One admitted request: the headers to send, and the stream slot to give back when it ends."""

    headers: dict[str, str] = field(default_factory=dict)
    _release: object = None

    @property
    def holds(self) -> bool:
        """Whether it holds a stream slot to give back."""
        return self._release is not None

    def release(self) -> None:
        release, self._release = self._release, None
        if callable(release):
            release()


class Limiter:
    """The per-request work is a handful of storage calls (in memory a dict and a list, on Redis one
    round trip each): the merged limits of a key and the storage keys are worked out once."""

    def __init__(self, storage: MemoryStorage | RedisStorage, defaults: LimitSettings) -> None:
        self.storage = storage
        self.defaults = defaults
        self.remote = not isinstance(storage, MemoryStorage)
        """Each call is a round trip (Redis): make it from a worker thread, not the event loop."""
        self._merged: dict[str, tuple[ApiKey, LimitSettings]] = {}
        self._rpm_keys: dict[tuple[str, int], str] = {}
        self._day = ""
        self._day_ends = 0.0

    @classmethod
    def open(cls, *, redis_url: str | None, defaults: LimitSettings, prefix: str = "mynah") -> Limiter:
        if redis_url:
            try:
                storage: MemoryStorage | RedisStorage = RedisStorage(redis_url, key_prefix=f"{prefix}:limits")
                if not storage.check():
                    raise ConnectionError("no answer")
            except Exception as exc:
                raise EngineUnavailable(f"cannot reach Redis for rate limits ({exc})") from None
        else:
            storage = _QuietMemoryStorage()
        return cls(storage, defaults)

    def limits_for(self, key: ApiKey) -> LimitSettings:
        """`key`'s own limits over the server's defaults (worked out once per key object: a key read
        again from the store is a new object, so a changed key is seen)."""
        found = self._merged.get(key.id)
        if found is not None and found[0] is key:
            return found[1]
        own = key.limits.model_dump(exclude_none=True)
        merged = (
            LimitSettings.model_validate(own)
            if key.id == "settings"
            else self.defaults.model_copy(update=own)
        )
        if len(self._merged) > 10_000:
            self._merged.clear()
        self._merged[key.id] = (key, merged)
        return merged

    # ------------------------------------------------------------------------------------ checks

    def admit(self, key: ApiKey, *, stream: bool, metered: bool) -> Admission:
        """Count one request against `key`'s limits. `stream`: it takes a concurrent stream slot;
        `metered`: it speaks or transcribes, so a spent daily budget refuses it."""
        limits = self.limits_for(key)
        admission = Admission()
        headers = admission.headers
        if limits.requests_per_minute is not None:
            rpm = limits.requests_per_minute
            name = self._rpm_key(key, rpm)
            allowed = self.storage.acquire_entry(name, rpm, 60)
            start, count = self.storage.get_moving_window(name, rpm, 60)
            wait = max(0.0, start + 60 - time.time())
            headers["x-ratelimit-limit-requests"] = str(rpm)
            headers["x-ratelimit-remaining-requests"] = str(max(0, rpm - count))
            headers["x-ratelimit-reset-requests"] = f"{math.ceil(wait)}s"
            if not allowed:
                raise _limited(f"{rpm} requests a minute", wait, headers, "requests")
        if metered:
            self._check_daily(key, limits, headers)
        if stream and limits.concurrent_streams is not None:
            name = f"streams:{key.id}"
            now = self.storage.incr(name, _STREAM_EXPIRY, 1)
            if now > limits.concurrent_streams:
                self._give_back(name)
                raise _limited(f"{limits.concurrent_streams} concurrent streams", 1.0, headers, "streams")
            admission._release = lambda: self._give_back(name)
        return admission

    def check_daily(self, key: ApiKey) -> dict[str, str]:
        """RateLimited when `key`'s characters or audio minutes for today are spent (a job's
        submission asks this); else the `x-ratelimit-*` headers saying what is left."""
        headers: dict[str, str] = {}
        self._check_daily(key, self.limits_for(key), headers)
        return headers

    def _check_daily(self, key: ApiKey, limits: LimitSettings, headers: dict[str, str]) -> None:
        if limits.chars_per_day is not None:
            used = self.used(key, "chars")
            headers["x-ratelimit-limit-characters"] = str(limits.chars_per_day)
            headers["x-ratelimit-remaining-characters"] = str(max(0, limits.chars_per_day - used))
            if used >= limits.chars_per_day:
                raise _limited(
                    f"{limits.chars_per_day:,} characters a day", _to_midnight(), headers, "characters"
                )
        if limits.audio_minutes_per_day is not None:
            budget = int(limits.audio_minutes_per_day * 60)
            used = self.used(key, "audio")
            headers["x-ratelimit-limit-audio-seconds"] = str(budget)
            headers["x-ratelimit-remaining-audio-seconds"] = str(max(0, budget - used))
            if used >= budget:
                raise _limited(
                    f"{limits.audio_minutes_per_day:g} audio minutes a day", _to_midnight(), headers, "audio"
                )

    def charge_chars(self, key: ApiKey, chars: int) -> None:
        """Spend `chars` of today's character budget; RateLimited (nothing spent) when they do not fit.
        One storage call when they fit: the count goes up, and comes down again when it went over."""
        limit = self.limits_for(key).chars_per_day
        if limit is None or chars <= 0:
            return
        name = self._daily_key(key, "chars")
        used = self.storage.incr(name, _DAY_EXPIRY, chars)
        if used > limit:
            used = self.storage.incr(name, _DAY_EXPIRY, -chars)
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
        self.storage.incr(self._daily_key(key, "audio"), _DAY_EXPIRY, math.ceil(seconds))

    def used(self, key: ApiKey, what: str) -> int:
        """Today's count of `what` ("chars", or "audio" seconds) for `key`."""
        return int(self.storage.get(self._daily_key(key, what)))

    def _rpm_key(self, key: ApiKey, rpm: int) -> str:
        found = self._rpm_keys.get((key.id, rpm))
        if found is None:
            if len(self._rpm_keys) > 10_000:
                self._rpm_keys.clear()
            found = self._rpm_keys[(key.id, rpm)] = RateLimitItemPerMinute(rpm).key_for(key.id, "rpm")
        return found

    def _daily_key(self, key: ApiKey, what: str) -> str:
        now = time.time()
        if now >= self._day_ends:
            day = int(now // 86400)
            self._day = (_EPOCH + timedelta(days=day)).isoformat()
            self._day_ends = (day + 1) * 86400.0
        return f"{what}:{key.id}:{self._day}"

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


def _to_midnight() -> float:
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()
