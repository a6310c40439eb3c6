"""The OpenAPI document, made to say what the server does.

FastAPI documents a 422 for every route with parameters; mynah answers every invalid request with a
400 (`mynah.server.errors`), so the 422s become 400s. Each operation also lists the other errors it
can answer, all in the one error shape (`Error`):

    401  every route but the public ones (/health, the docs), when the server has an API key
    404  routes that look something up: a path parameter, a model, a voice's model, a lexicon
    408  routes that take a body: it did not arrive within server.body_timeout_seconds
    413  routes that take a body (the gate's byte budget, and the routes' own limits, time too)
    415  routes that take a raw body of a given type (lexicons, Pulse audio)
    503  routes that queue work (admission) or load engines, with Retry-After
(499, for work cancelled because its client left, is never seen by anyone and is left out.)
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from mynah.audio.formats import SAMPLE_RATES, AudioFormat
from mynah.server.gate import KEYLESS_PATHS, PUBLIC_PATHS
from mynah.text.normalize import CATEGORIES
from mynah.tts.service import MAX_SPEED, MIN_SPEED

__all__ = ["install_openapi"]

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": "string"},
            },
        }
    },
}

_DESCRIPTIONS = {
    "400": "Invalid request: a parameter is missing, malformed or out of range",
    "401": "Missing or wrong API key (checked before the body is read)",
    "404": "No such model, voice model, lexicon or resource",
    "408": "The request body did not arrive in time (the connection is closed)",
    "413": "Over a limit: body bytes, input characters, spoken characters, pauses, audio length, work time",
    "415": "The body's content type is not one this route takes",
    "503": "Busy (the queue for this kind of work is full: see Retry-After) or an engine cannot load",
}

_QUEUED = ("/v1/audio/", "/v1/mynah/speech", "/api/v1/", "/whisperapi", "/v1/text/", "/waves/")
_LOOKUPS = ("/v1/audio/", "/v1/mynah/", "/api/v1/", "/whisperapi", "/v1/lexicons", "/v1/models/", "/waves/")
_RAW_BODIES = ("/v1/lexicons", "/api/v1/")


def install_openapi(app: FastAPI, *, key_required: bool) -> None:
    """Replace `app.openapi` with the corrected document (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            app.openapi_schema = corrected(schema, key_required=key_required)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_NOT_BLANK = {"type": "string", "minLength": 1, "pattern": "\\S"}
_SPEECH_FIELDS: dict[str, dict[str, Any]] = {
    "input": _NOT_BLANK,
    "voice": _NOT_BLANK,
    "model": _NOT_BLANK,
    "response_format": {"type": "string", "enum": [f.value for f in AudioFormat]},
    "speed": {"type": "number", "minimum": MIN_SPEED, "maximum": MAX_SPEED},
    "sample_rate": {"anyOf": [{"type": "integer", "enum": list(SAMPLE_RATES)}, {"type": "null"}]},
}
REFINED: dict[str, dict[str, dict[str, Any]]] = {
    "SpeechRequest": _SPEECH_FIELDS,
    "NativeSpeechRequest": {**_SPEECH_FIELDS, "voice": {"anyOf": [_NOT_BLANK, {"type": "null"}]}},
    "NormalizeRequest": {
        "categories": {"anyOf": [{"type": "array", "items": {"enum": sorted(CATEGORIES)}}, {"type": "null"}]},
    },
}
"""What the server checks beyond the request models' types, said in the schema: a request the
document calls valid is one the server takes (up to what only the engines can know: a voice that
exists here, audio that decodes, a lexicon that parses)."""


def corrected(schema: dict[str, Any], *, key_required: bool) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, fields in REFINED.items():
        properties = components.get(name, {}).get("properties", {})
        for field, refined in fields.items():
            if field in properties:
                described = {
                    k: v for k, v in properties[field].items() if k in ("title", "description", "default")
                }
                properties[field] = {**refined, **described}
    for name, component in components.items():
        if name.startswith("Body_"):  # a form: a field is sent or left out, never null
            _forms_without_null(component)
        text = component.get("properties", {}).get("input")
        if name not in REFINED and text is not None and text.get("type") == "string":
            text.update(_NOT_BLANK)  # every route that speaks `input` refuses blank text
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components["Error"] = _ERROR_SCHEMA
    if key_required:
        schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status in _statuses(path, method, operation, key_required=key_required):
                responses.setdefault(status, _error(status))
            if key_required and path not in PUBLIC_PATHS and path not in KEYLESS_PATHS:
                operation["security"] = [{"bearer": []}]
    return schema


def _forms_without_null(component: dict[str, Any]) -> None:
    """Form fields cannot carry JSON null (a client sends the text "null"): optional form fields are
    described by their type alone, and named text fields that the server needs are not empty."""
    for name, field in component.get("properties", {}).items():
        options = field.get("anyOf")
        if options:
            kept = [o for o in options if o.get("type") != "null"]
            if len(kept) == 1:
                field.pop("anyOf")
                field.update(kept[0])
        if field.get("type") == "string" and name in component.get("required", ()):
            field.setdefault("minLength", 1)
            field.setdefault("pattern", "\\S")


def _statuses(path: str, method: str, operation: dict[str, Any], *, key_required: bool) -> list[str]:
    guarded = path not in PUBLIC_PATHS
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    statuses: list[str] = []
    if guarded and takes_input:
        statuses.append("400")
    if guarded and key_required:
        statuses.append("401")
    if "{" in path or path.startswith(_LOOKUPS):
        statuses.append("404")
    if method in ("post", "put", "patch") and guarded:
        statuses += ["408", "413"]
    if method in ("post", "put") and path.startswith(_RAW_BODIES):
        statuses.append("415")
    if path.startswith(_QUEUED) and method == "post":
        statuses.append("503")
    return statuses


def _error(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == "503":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}}
    if status == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response
