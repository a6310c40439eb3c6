"""GET /v1/models, /v1/audio/voices and /health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from mynah import __version__
from mynah.errors import MynahError, UnknownModel
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key

router = APIRouter()
v1 = APIRouter(dependencies=[Depends(require_api_key)])


@router.get("/health")
async def health(runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "engines": runtime.registry.status()}


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
async def list_voices(runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    return await run_in_threadpool(_voices, runtime)  # engines may look at their model files


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
    aliases = []
    for alias in runtime.settings.tts.voice_aliases:
        try:
            resolved = runtime.speech.resolve_voice(alias)
        except MynahError:  # an alias with no voice on this machine is listed as such
            aliases.append({"alias": alias, "voice": None})
            continue
        aliases.append({"alias": alias, "voice": resolved.voice.id})
    return {"object": "list", "voices": voices, "aliases": aliases}
