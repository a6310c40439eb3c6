"""Who may call what: the scope each route needs, and `Authenticator.authenticate(scope)`, which
reads only the ASGI scope (headers, path, query) so the gate can refuse a caller before a single
byte of the body is received.

    route                                                        needs
    /health, static pages (/, /web/..., /static/..., favicon),
      /v1/mynah/consent/revoke (a speaker's revocation token)    nothing, ever
    /docs, /redoc, /openapi.json                                 per settings.platform.docs
    /metrics                                                     per settings.platform.metrics (admin)
    /v1/audio/speech, /v1/mynah/speech..., /v1/text/normalize,
      /v1/lexicons..., /waves/v1/tts...                          speech
    /v1/audio/transcriptions|translations, /v1/mynah/transcriptions...,
      /api/v1/pulse|lightning/..., /whisperapi, /v1/realtime    transcription
    /v1/mynah/jobs...                                            jobs
    /v1/mynah/voices...                                          voices
    /v1/mynah/keys..., model pulls and removals                  admin
    anything else (/v1/models, /v1/audio/voices, /v1/mynah/usage) any valid key

Nothing is asked while no key exists (neither MYNAH_SERVER__API_KEY nor a stored one); once one does,
every route but the open ones needs a key. An admin key has every scope. A key is read from
`Authorization: Bearer <key>` or `x-api-key: <key>`, on WebSockets too (never from the query string,
which access logs print). A browser's WebSocket cannot set headers, so there the key may also come as
the subprotocol `mynah-key.<key>`, offered beside `mynah` (`new WebSocket(url, ["mynah",
"mynah-key." + key])`); the server answers `mynah`, never the key.
"""

from __future__ import annotations

import secrets
from typing import Literal

from pydantic import SecretStr
from starlette.types import Scope

from mynah.errors import Forbidden, NotFound, Unauthorized
from mynah.platform.keys import ADMIN_FROM_SETTINGS, ApiKey, KeyStore, NeedsDatabase

__all__ = [
    "ANY",
    "KEY_SUBPROTOCOL",
    "OPEN",
    "SUBPROTOCOL",
    "Authenticator",
    "NeedsDatabase",
    "required_scope",
    "token_of",
]

SUBPROTOCOL = "mynah"
"""The WebSocket subprotocol the server answers when a client offers it (with its key beside it)."""
KEY_SUBPROTOCOL = "mynah-key."
"""Prefix of the subprotocol that carries a browser's key: `mynah-key.<key>`."""

OPEN = "open"
ANY = "any"
OFF = "off"
Need = str
_STATIC = ("/web/", "/static/")
_KEYLESS = ("/v1/mynah/consent/revoke",)
"""mynah.server.gate.KEYLESS_PATHS: a speaker revokes consent with a token, not a key."""
_DOCS = ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/v1/mynah/keys", "admin"),
    ("/v1/audio/speech", "speech"),
    ("/v1/mynah/speech", "speech"),
    ("/v1/text/normalize", "speech"),
    ("/v1/lexicons", "speech"),
    ("/v1/audio/transcriptions", "transcription"),
    ("/v1/audio/translations", "transcription"),
    ("/v1/mynah/transcriptions", "transcription"),
    ("/api/v1/pulse", "transcription"),
    ("/api/v1/lightning", "transcription"),
    ("/whisperapi", "transcription"),
    ("/v1/realtime", "transcription"),
    ("/waves/v1/tts", "speech"),
    ("/v1/mynah/jobs", "jobs"),
    ("/v1/mynah/voices", "voices"),
)


def required_scope(
    path: str,
    method: str = "GET",
    *,
    docs: Literal["public", "keys", "off"] = "public",
    metrics: Literal["public", "keys", "off"] = "keys",
) -> Need:
    """What a request for `path` needs: OPEN, OFF (not served), ANY valid key, or a scope name."""
    if path in ("/health", "/", "/favicon.ico") or path in _KEYLESS or path.startswith(_STATIC):
        return OPEN
    if path in _DOCS:
        return {"public": OPEN, "keys": ANY, "off": OFF}[docs]
    if path == "/metrics":
        return {"public": OPEN, "keys": "admin", "off": OFF}[metrics]
    if path.startswith("/v1/mynah/models") and (method in ("DELETE", "PUT") or path.endswith("/pull")):
        return "admin"
    for prefix, scope in _PREFIXES:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?"):
            return scope
    return ANY


def token_of(scope: Scope) -> str | None:
    """The key a request carries, or None."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            kind, _, token = str(value.decode("latin-1")).partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
        elif name == b"x-api-key" and value.strip():
            return str(value.decode("latin-1")).strip()
        elif name == b"sec-websocket-protocol" and scope.get("type") == "websocket":
            for offered in str(value.decode("latin-1")).split(","):
                offered = offered.strip()
                if offered.startswith(KEY_SUBPROTOCOL) and len(offered) > len(KEY_SUBPROTOCOL):
                    return offered[len(KEY_SUBPROTOCOL) :]
    return None


class Authenticator:
    """Checks the key of a request against the key store and the single key from the settings."""

    def __init__(
        self,
        keys: KeyStore,
        settings_key: SecretStr | None = None,
        *,
        docs: Literal["public", "keys", "off"] = "public",
        metrics: Literal["public", "keys", "off"] = "keys",
    ) -> None:
        self.keys = keys
        self._settings_key = settings_key.get_secret_value() if settings_key is not None else None
        self._docs = docs
        self._metrics = metrics
        self._needs: dict[tuple[str, str], Need] = {}

    def need(self, scope: Scope) -> Need:
        path, method = scope["path"], scope.get("method", "GET")
        found = self._needs.get((path, method))
        if found is None:
            found = required_scope(path, method, docs=self._docs, metrics=self._metrics)
            if len(self._needs) > 4096:  # paths with ids in them: keep the memo bounded
                self._needs.clear()
            self._needs[(path, method)] = found
        return found

    def authenticate(self, scope: Scope) -> ApiKey | None:
        """The key that may make this request, or None when no key is needed. Raises Unauthorized
        (no key, malformed, unknown, revoked, expired), Forbidden (a key without the scope) or
        NotFound (a route switched off). May touch the database: call it from a worker thread."""
        need = self.need(scope)
        key = self.identify(scope, need)
        self.authorize(need, key)
        return key

    def identify(self, scope: Scope, need: Need | None = None, *, cached_only: bool = False) -> ApiKey | None:
        """The caller's key (None when none is needed here); Unauthorized / NotFound as above.
        `need`: `self.need(scope)`, when the caller has it. `cached_only`: raise `NeedsDatabase`
        when the answer is not in memory (a key not seen for `_VERIFY_TTL`), so the gate answers
        nearly every request without a worker thread and asks the database from one otherwise."""
        if need is None:
            need = self.need(scope)
        if need == OFF:
            raise NotFound(f"{scope['path']} is not served here", code="not_found")
        if need == OPEN:
            return None
        if self._settings_key is None and not self.keys.any_keys(cached_only=cached_only):
            return None
        token = token_of(scope)
        if token is None:
            raise Unauthorized(
                "this server needs an API key: send Authorization: Bearer mynah_...", code="missing_api_key"
            )
        if self._settings_key is not None and secrets.compare_digest(
            token.encode("utf-8", "replace"), self._settings_key.encode("utf-8")
        ):
            return ADMIN_FROM_SETTINGS
        return self.keys.verify(token, cached_only=cached_only)

    def authorize(self, need: Need, key: ApiKey | None) -> None:
        """Forbidden unless `key` has the scope `need` (`self.need(scope)`) names."""
        if key is None or need in (OPEN, ANY, OFF) or key.allows(need):
            return
        raise Forbidden(
            f"API key {key.prefix or key.name}… lacks the {need!r} scope this route needs",
            code="insufficient_scope",
        )
