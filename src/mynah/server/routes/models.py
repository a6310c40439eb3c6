"""Native routes for neural model files, under /v1/mynah/models (OpenAI's /v1/models is catalog.py's).

GET    /v1/mynah/models[?available=true]   installed models (and the catalog), loaded or not
GET    /v1/mynah/models/{id}               one model: files, source, costs, load state
POST   /v1/mynah/models/{id}/pull          fetch it (body: {"force": false, "stream": false,
                                           "source": "auto" | "hub" | "index"}); with stream,
                                           NDJSON progress lines, then the model or an error
DELETE /v1/mynah/models/{id}               delete it (refused while a request uses it)

Every parameter, and whether any source can serve the model now, is checked before the first byte
of a streamed pull. Whatever fails during it, the stream ends with an error line in the error
tree's shape (`{"status": "error", "error": {"message", "type", "param", "code"}}`).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from mynah.errors import EngineUnavailable, MynahError, NotFound, UnknownModel
from mynah.models import FEATURED, CatalogEntry, InstalledModel, ModelManager, PullProgress, lookup
from mynah.models.catalog import split_id
from mynah.runtime import Runtime
from mynah.server.deps import get_runtime, require_api_key

router = APIRouter(dependencies=[Depends(require_api_key)])
log = logging.getLogger(__name__)


class PullRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: bool = False
    """Fetch again even when installed (repairs a damaged model)."""
    stream: bool = False
    """Answer with NDJSON progress events while the files come in."""
    source: Literal["auto", "hub", "index"] | None = None
    """Where to fetch from; None is the server's setting (MYNAH_MODELS__SOURCE)."""


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
    # unknown model, a source that does not carry it, offline: said before any byte of a stream
    await run_in_threadpool(manager.check_fetchable, model_id, request.source)
    if request.stream:
        return StreamingResponse(_pull_events(manager, model_id, request), media_type="application/x-ndjson")
    pulled = await run_in_threadpool(_pull, manager, model_id, request, None)
    return describe(manager, model_id, pulled)


@router.delete("/v1/mynah/models/{model_id}")
async def delete_model(model_id: str, runtime: Runtime = Depends(get_runtime)) -> dict[str, Any]:
    manager = _manager(runtime)
    model_id = _model_id(model_id)
    removed = await run_in_threadpool(manager.remove, model_id)
    if not removed:
        raise NotFound(f"{model_id} is not installed", param="model")
    return {"id": model_id, "object": "model", "deleted": True}


def _pull(
    manager: ModelManager,
    model_id: str,
    request: PullRequest,
    progress: Callable[[PullProgress], None] | None,
) -> InstalledModel:
    """Pull, with any failure as an error of the tree: one that is not a MynahError (a full disk, a
    library's own exception) is logged with its traceback and becomes a MynahError naming it."""
    try:
        return manager.pull(model_id, progress, source=request.source, force=request.force)
    except MynahError:
        raise
    except Exception as exc:
        log.exception("pulling %s failed", model_id)
        text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        raise MynahError(
            f"pulling {model_id} failed: {type(exc).__name__}{': ' + text if text else ''}",
            code="pull_failed",
        ) from exc


def _pull_events(manager: ModelManager, model_id: str, request: PullRequest) -> Iterator[str]:
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            events.put(("done", _pull(manager, model_id, request, lambda p: events.put(("progress", p)))))
        except MynahError as exc:
            events.put(("error", exc))
        except BaseException as exc:  # never leave the stream waiting: it ends on this event
            events.put(("error", MynahError(f"pulling {model_id} was interrupted ({type(exc).__name__})")))
            raise

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
            error = {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code}
            yield _line({"status": "error", "error": error})
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
        body["official"] = entry.official.name if entry.official else None
        body["package_index"] = [str(w) for w in entry.index.wheels] if entry.index else []
    if installed is not None:
        body.update(
            path=str(installed.path),
            size_bytes=installed.size_bytes,
            files=[{"name": f.name, "size": f.size, "sha256": f.sha256} for f in installed.files],
            source=installed.source,
            provenance=installed.provenance.as_dict(),
            pulled_at=installed.pulled_at,
            problems=list(installed.problems),
        )
    return body
