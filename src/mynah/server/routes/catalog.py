"""GET /v1/models, /v1/audio/voices and /health.

Both /v1/audio/voices and /health say what each OpenAI name means right now (`alias_table`): the
voice or model that serves it, and the whole story of what was passed over (`fallback`), which the
`x-mynah-fallback` header of a response only summarises."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from mynah import __version__
from mynah.config import OPENAI_STT_MODELS
from mynah.errors import MynahError, UnknownModel
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key
from mynah.server.health import HealthBody
from mynah.server.routes.voices import cloning_of, key_of

router = APIRouter()
v1 = APIRouter(dependencies=[Depends(require_api_key)])


@router.get("/health", response_model=dict[str, Any])
async def health(request: Request) -> Response:
    """Built ahead and kept until what it reports changes (mynah.server.health): a liveness check
    costs no disk and no worker thread (not even a sync dependency's)."""
    runtime: Runtime = request.app.state.runtime
    kept: HealthBody = request.app.state.health
    encoded = await kept.get(runtime)
    if runtime.cluster is None:
        return Response(encoded, media_type="application/json")
    cluster = await run_in_threadpool(runtime.cluster.status)  # live: deployments, replicas, load
    return JSONResponse({**kept.body, "cluster": cluster})


def health_body(runtime: Runtime) -> dict[str, Any]:
    """What /health says, cluster aside: engines, and what each OpenAI name means now."""
    aliases = alias_table(runtime)
    return {"status": "ok", "version": __version__, "engines": runtime.registry.status(), "aliases": aliases}


@v1.get("/v1/models")
async def list_models(runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    def model(id_: str, task: str) -> dict[str, Any]:
        return {"id": id_, "object": "model", "created": 0, "owned_by": "mynah", "task": task}

    def listed() -> list[dict[str, Any]]:  # engines may look at their model files: off the loop
        data = [model(m, "text-to-speech") for m in runtime.speech.model_ids()]
        return data + [model(m, "speech-to-text") for m in runtime.transcription.model_ids()]

    return {"object": "list", "data": await run_in_threadpool(listed)}


@v1.get("/v1/models/{model_id:path}")
async def get_model(model_id: str, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    for listed in (await list_models(runtime))["data"]:
        if listed["id"] == model_id:
            return dict(listed)
    raise UnknownModel(f"unknown model {model_id!r}; GET /v1/models lists them", param="model")


@v1.get("/v1/audio/voices")
async def list_voices(request: Request, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    listed = await run_in_threadpool(_voices, runtime)  # engines may look at their model files
    if "pocket" in runtime.registry.tts_engines:  # the cloned voices this key may use, and no others
        cloned = await run_in_threadpool(lambda: cloning_of(request).list(key_of(request)))
        listed["voices"] += [
            {
                "id": f"pocket:{v.id}",
                "engine": "pocket",
                "name": v.name,
                "language": "en",
                "gender": None,
                "sample_rate": 24000,
                "cloned": True,
                "consent_record": v.consent_record,
            }
            for v in cloned
        ]
    return listed


def _voices(runtime: Runtime) -> dict[str, Any]:
    voices = [
        {
            "id": v.id,
            "engine": v.engine,
            "name": v.name,
            "language": v.language,
            "gender": v.gender,
            "sample_rate": v.sample_rate,
        }
        for v in runtime.registry.all_voices()
    ]
    aliases = alias_table(runtime)
    return {"object": "list", "voices": voices, "aliases": aliases["voices"], "models": aliases["models"]}


def alias_table(runtime: Runtime) -> dict[str, list[dict[str, Any]]]:
    """What each OpenAI name (and each alias of the user's) means right now: the voice or model that
    serves it, and what was passed over on the way (`fallback`); None when nothing can."""
    voices: list[dict[str, Any]] = []
    for alias in runtime.speech.aliases():
        try:
            resolved = runtime.speech.resolve_voice(alias)
        except MynahError as exc:  # an alias with no voice on this machine is listed as such
            voices.append({"alias": alias, "voice": None, "fallback": [exc.message]})
            continue
        voices.append({"alias": alias, "voice": resolved.voice.id, "fallback": list(resolved.skipped)})
    models: list[dict[str, Any]] = []
    for name in OPENAI_STT_MODELS:
        try:
            model = runtime.transcription.resolve_model(name)
        except MynahError as exc:
            models.append({"alias": name, "model": None, "fallback": [exc.message]})
            continue
        models.append({"alias": name, "model": model.model.id, "fallback": list(model.skipped)})
    return {"voices": voices, "models": models}
