"""Native routes for neural model files, under /v1/mynah/models (OpenAI's /v1/models is catalog.py's).

GET    /v1/mynah/models[?available=true]   installed models (and the catalog), loaded or not
GET    /v1/mynah/models/{id}               one model: files, source, costs, load state
POST   /v1/mynah/models/{id}/pull          fetch it (body: {"force": false, "stream": false});
                                           with stream, NDJSON progress lines, then the model
DELETE /v1/mynah/models/{id}               delete it (refused while a request uses it)
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from mynah.errors import EngineUnavailable, MynahError, NotFound, UnknownModel
from mynah.models import FEATURED, CatalogEntry, InstalledModel, ModelManager, PullProgress, lookup
from mynah.models.catalog import split_id
from mynah.models.hub import Offline
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key

router = APIRouter(dependencies=[Depends(require_api_key)])


class PullRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: bool = False
    """Fetch again even when installed (repairs a damaged model)."""
    stream: bool = False
    """Answer with NDJSON progress events while the files come in."""


def _manager(runtime: Runtime) -> ModelManager:
    if runtime.models is None:
        raise EngineUnavailable("this server has no model manager")
    return runtime.models


def _model_id(model_id: str) -> str:
    try:
        engine, name = split_id(model_id)
    except ValueError as exc:
        raise UnknownModel(str(exc), param="model") from exc
    return f"{engine}:{name}"


@router.get("/v1/mynah/models")
async def list_models(available: bool = False, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    manager = _manager(runtime)
    installed = await run_in_threadpool(manager.installed)
    data = [describe(manager, model.id, model) for model in installed]
    if available:
        have = {model.id for model in installed}
        data += [describe(manager, entry.id, None) for entry in FEATURED if entry.id not in have]
    partial = [{"id": model_id, "bytes": size} for model_id, size in manager.partial_downloads()]
    return {"object": "list", "data": data, "partial": partial, "cache_dir": str(manager.cache_dir)}


@router.get("/v1/mynah/models/{model_id}")
async def model_info(model_id: str, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    manager = _manager(runtime)
    model_id = _model_id(model_id)
    installed = await run_in_threadpool(manager.get, model_id)
    if installed is None and lookup(model_id) is None:
        raise UnknownModel(f"{model_id} is neither installed nor in the catalog", param="model")
    return describe(manager, model_id, installed)


@router.post("/v1/mynah/models/{model_id}/pull", response_model=None)
async def pull_model(
    model_id: str, body: PullRequest | None = None, runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any] | StreamingResponse:
    manager = _manager(runtime)
    model_id = _model_id(model_id)
    request = body or PullRequest()
    installed = await run_in_threadpool(manager.get, model_id)
    if installed is not None and not installed.problems and not request.force:
        return describe(manager, model_id, installed)
    if lookup(model_id) is None:
        raise UnknownModel(
            f"mynah does not know where to fetch {model_id}; GET /v1/mynah/models?available=true lists the catalog",
            param="model",
        )
    refusal = await run_in_threadpool(manager.offline)
    if refusal is not None:  # said before any byte of a streamed answer
        raise Offline(f"cannot pull {model_id}: {refusal}")
    if request.stream:
        return StreamingResponse(
            _pull_events(manager, model_id, request.force), media_type="application/x-ndjson"
        )
    pulled = await run_in_threadpool(lambda: manager.pull(model_id, force=request.force))
    return describe(manager, model_id, pulled)


@router.delete("/v1/mynah/models/{model_id}")
async def delete_model(model_id: str, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    manager = _manager(runtime)
    model_id = _model_id(model_id)
    removed = await run_in_threadpool(manager.remove, model_id)
    if not removed:
        raise NotFound(f"{model_id} is not installed", param="model")
    return {"id": model_id, "object": "model", "deleted": True}


def _pull_events(manager: ModelManager, model_id: str, force: bool) -> Iterator[str]:
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            events.put(("done", manager.pull(model_id, lambda p: events.put(("progress", p)), force=force)))
        except MynahError as exc:
            events.put(("error", exc))

    threading.Thread(target=work, name=f"pull {model_id}", daemon=True).start()
    last = -1
    while True:
        kind, item = events.get()
        if kind == "progress":
            progress: PullProgress = item
            percent = progress.done * 100 // max(progress.total, 1)
            if percent != last:
                last = percent
                yield _line(
                    {
                        "status": "downloading",
                        "file": progress.file,
                        "done": progress.done,
                        "total": progress.total,
                    }
                )
        elif kind == "done":
            yield _line({"status": "done", "model": describe(manager, model_id, item)})
            return
        else:
            exc: MynahError = item
            yield _line({"status": "error", "error": {"message": exc.message, "code": exc.code}})
            return


def _line(event: dict[str, Any]) -> str:
    return json.dumps(event) + "\n"


def describe(manager: ModelManager, model_id: str, installed: InstalledModel | None) -> dict[str, Any]:
    """A model as the API shows it: what the catalog says, what is on disk, what is in memory."""
    entry: CatalogEntry | None = installed.entry if installed is not None else lookup(model_id)
    loaded = {m.id: m for m in manager.loaded()}.get(model_id)
    engine, _, name = model_id.partition(":")
    body: dict[str, Any] = {
        "id": model_id,
        "object": "model",
        "engine": engine,
        "name": name,
        "kind": entry.kind if entry else ("stt" if engine == "whisper" else "tts"),
        "description": entry.description if entry else "",
        "languages": list(entry.languages) if entry else [],
        "disk_mb": entry.disk_mb if entry else None,
        "memory_mb": installed.memory_mb if installed else (entry.memory_mb if entry else None),
        "installed": installed is not None,
        "loaded": loaded is not None,
        "in_use": loaded.refs if loaded else 0,
        "pinned": loaded.pinned if loaded else False,
    }
    if entry is not None:
        body["source"] = {"repo": entry.source.repo, "revision": entry.source.revision}
    if installed is not None:
        body.update(
            path=str(installed.path),
            size_bytes=installed.size_bytes,
            files=[{"name": f.name, "size": f.size, "sha256": f.sha256} for f in installed.files],
            source=installed.source,
            pulled_at=installed.pulled_at,
            problems=list(installed.problems),
        )
    return body
