"""API keys: made here, shown once, stored only as a SHA-256 hash.

    store = KeyStore(Store.open(url))
    created = store.create("ivr-app", scopes={"speech"}, expires_in=timedelta(days=90))
    created.token                      # mynah_<43 url-safe characters>: shown once, never again
    store.verify(token)                # the ApiKey, or raises Unauthorized (unknown, revoked, expired)
    store.revoke(created.key.id)

A token is `mynah_` and 32 random bytes (256 bits) in url-safe base64, so a plain SHA-256 is the
right hash: there is nothing to brute-force that a slow password hash would protect. Revoked keys keep
their row (usage points at them), and a database that ever held a key keeps asking for one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from mynah.config import LimitSettings
from mynah.errors import InvalidRequest, NotFound, Unauthorized
from mynah.platform.tables import ApiKeyRow, create_tables
from mynah.store import Store

__all__ = ["SCOPES", "ApiKey", "CreatedKey", "KeyStore", "NeedsDatabase", "hash_token", "looks_like_key"]

PREFIX = "mynah_"
SCOPES = ("speech", "transcription", "jobs", "voices", "admin")
_TOKEN = re.compile(r"mynah_[A-Za-z0-9_-]{43}")
_DEFAULT_FIELDS = ("voice", "model", "response_format", "loudness", "sample_rate", "speed")
_VERIFY_TTL = 2.0
"""Seconds a verified key is trusted without asking the database again; a revoke in this process
takes effect at once, one in another process within this time."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_key(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    prefix: str
    scopes: frozenset[str]
    limits: LimitSettings
    defaults: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    def state(self, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "scopes": sorted(self.scopes),
            "limits": self.limits.model_dump(exclude_none=True),
            "defaults": self.defaults,
            "created_at": _iso(self.created_at),
            "expires_at": _iso(self.expires_at),
            "revoked_at": _iso(self.revoked_at),
            "state": self.state(),
        }


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    token: str
    """The secret, shown to its owner once: only its hash is kept."""


ADMIN_FROM_SETTINGS = ApiKey(
    id="settings",
    name="MYNAH_SERVER__API_KEY",
    prefix="",
    scopes=frozenset({"admin"}),
    limits=LimitSettings(),
)
"""The key of `MYNAH_SERVER__API_KEY`: an admin key without limits."""

ANONYMOUS = ApiKey(id="anonymous", name="anonymous", prefix="", scopes=frozenset(), limits=LimitSettings())
"""Who calls a server that asks for no key (none exists yet)."""

LOCAL_ADMIN = ApiKey(
    id="local", name="mynah on this machine", prefix="", scopes=frozenset({"admin"}), limits=LimitSettings()
)
"""Who the local commands (`mynah say`) act as: whoever runs them can read the store and the data
directory anyway, so an admin; a cloned voice they speak is audited under the key id `local`."""


class KeyStore:
    def __init__(self, store: Store) -> None:
        self._store = store
        create_tables(store)
        self._any = False
        self._none_checked = -_VERIFY_TTL
        self._lock = threading.Lock()
        self._verified: dict[str, tuple[float, ApiKey]] = {}

    # ------------------------------------------------------------------------------------ manage

    def create(
        self,
        name: str,
        *,
        scopes: Iterable[str],
        expires_in: timedelta | None = None,
        expires_at: datetime | None = None,
        limits: LimitSettings | dict[str, Any] | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> CreatedKey:
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidRequest("a key needs a name of 1 to 200 characters", param="name")
        wanted = sorted(set(scopes))
        unknown = [s for s in wanted if s not in SCOPES]
        if unknown or not wanted:
            raise InvalidRequest(
                f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(wanted) or 'none'}",
                param="scopes",
            )
        limits = limits if isinstance(limits, LimitSettings) else LimitSettings.model_validate(limits or {})
        defaults = dict(defaults or {})
        odd = [k for k in defaults if k not in _DEFAULT_FIELDS]
        if odd:
            raise InvalidRequest(
                f"key defaults may set {', '.join(_DEFAULT_FIELDS)}; not {', '.join(odd)}", param="defaults"
            )
        now = datetime.now(UTC)
        if expires_in is not None:
            expires_at = now + expires_in
        if expires_at is not None and expires_at.tzinfo is None:
            raise InvalidRequest("expiry must carry a time zone", param="expires_at")
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiKeyRow(
            id="key_" + secrets.token_hex(8),
            name=name,
            prefix=token[:12],
            hash=hash_token(token),
            scopes=wanted,
            limits=limits.model_dump(exclude_none=True),
            defaults=defaults,
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
        with self._store.session(write=True) as session:
            session.add(row)
        self._any = True
        self._none_checked = -_VERIFY_TTL
        return CreatedKey(_key(row), token)

    def list(self) -> list[ApiKey]:
        with self._store.session() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at)).all()
            return [_key(r) for r in rows]

    def get(self, key_id: str) -> ApiKey:
        with self._store.session() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFound(f"no API key {key_id!r}", param="id")
            return _key(row)

    def revoke(self, key_id: str) -> ApiKey:
        with self._store.session(write=True) as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFound(f"no API key {key_id!r}", param="id")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            key = _key(row)
        with self._lock:
            self._verified = {h: v for h, v in self._verified.items() if v[1].id != key_id}
        return key

    # ------------------------------------------------------------------------------------ verify

    def any_keys(self, *, cached_only: bool = False) -> bool:
        """Whether a key was ever made here (revoked ones count: revoking the last key must not
        open the server). Once true it stays true without asking the database again; false is
        asked again after `_VERIFY_TTL` (a key made by `mynah keys create` in another process).
        `cached_only`: raise `NeedsDatabase` instead of asking."""
        if not self._any and time.monotonic() - self._none_checked >= _VERIFY_TTL:
            if cached_only:
                raise NeedsDatabase
            with self._store.session() as session:
                self._any = session.scalar(select(ApiKeyRow.id).limit(1)) is not None
            self._none_checked = time.monotonic()
        return self._any

    def verify(self, token: str, *, cached_only: bool = False) -> ApiKey:
        """The key for `token`, or Unauthorized saying why (malformed, unknown, revoked, expired).
        A key verified within `_VERIFY_TTL` is answered from memory; `cached_only`: raise
        `NeedsDatabase` instead of asking the database (the gate then asks from a worker thread)."""
        if not looks_like_key(token):
            raise Unauthorized(
                "malformed API key: mynah keys look like mynah_ and 43 more characters",
                code="malformed_api_key",
            )
        digest = hash_token(token)
        now = time.monotonic()
        cached = self._verified.get(digest)  # a dict read is atomic; writes hold the lock
        if cached is not None and now - cached[0] < _VERIFY_TTL:
            key = cached[1]
        elif cached_only:
            raise NeedsDatabase
        else:
            with self._store.session() as session:
                row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.hash == digest))
                if row is None:
                    raise Unauthorized("unknown API key", code="invalid_api_key")
                key = _key(row)
            with self._lock:
                if len(self._verified) > 10_000:
                    self._verified.clear()
                self._verified[digest] = (now, key)
        if key.revoked_at is not None:
            raise Unauthorized(f"API key {key.prefix}… was revoked", code="revoked_api_key")
        if key.expires_at is not None and key.state() == "expired":
            raise Unauthorized(f"API key {key.prefix}… has expired", code="expired_api_key")
        return key


class NeedsDatabase(Exception):
    """Raised by `cached_only` look-ups whose answer is not in memory."""


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=frozenset(row.scopes),
        limits=LimitSettings.model_validate(row.limits or {}),
        defaults=dict(row.defaults or {}),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None
