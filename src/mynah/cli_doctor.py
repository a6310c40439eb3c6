"""`mynah doctor`: what this machine has and what to install for each missing piece (mynah.doctor).

Readable in 80 columns (ids are never cut: long text wraps beside them), or `--json` for machines.
Exits 1 when mynah cannot serve here (no engine of a kind, the database does not answer, a damaged
model, nothing behind the default voice or model), else 0.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.columns import Columns
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from mynah.doctor import Report


def doctor(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Say what this machine has (engines, models, store, versions) and what to install."""
    from mynah.config import Settings
    from mynah.doctor import diagnose

    report = diagnose(Settings())
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        render(report, Console(highlight=False))
    raise typer.Exit(0 if report.ok else 1)


def render(report: Report, console: Console) -> None:
    utf = console.encoding.lower().startswith("utf")
    yes, no = ("✓", "✗") if utf else ("+", "-")
    python = report.versions.get("python") or ""
    console.print(Text(f"mynah {report.version} · Python {python}", style="bold"))
    console.print(Text(report.platform))

    _heading(console, "Engines")
    engines = _grid(4)
    for engine in report.engines:
        engines.add_row(
            Text(yes if engine.loaded else no, style="green" if engine.loaded else "red"),
            Text(engine.name),
            Text(engine.kind),
            Text(engine.detail),
        )
        if engine.install:
            engines.add_row("", "", "", Text(f"install: {engine.install}", style="bold"))
    _show(console, engines)
    if any(not e.loaded for e in report.engines):
        _show(console, Text("The server and the CLI run without these; their voices and models fall back."))

    models = report.models
    _heading(console, "Models")
    places = _grid(2)
    places.add_row("cache", Text(models.cache_dir))
    places.add_row("hub", Text(models.hub or "reachable: models are fetched on first use"))
    _show(console, places)
    installed = _grid(3)
    for model in models.installed:
        state = Text(f"damaged: {'; '.join(model.problems)}", style="red") if model.problems else Text("")
        installed.add_row(Text(model.id), Text(_size(model.size_bytes), justify="right"), state)
    for model_id, received in models.partial:
        installed.add_row(
            Text(model_id), Text(_size(received), justify="right"), Text("partial: pull again to resume")
        )
    if models.installed or models.partial:
        _show(console, installed)
    else:
        _show(console, Text("no models installed (`mynah models list --available` shows what can be)"))
    _show(console, Text("OpenAI names are served now by:"))
    aliases = _grid(3)
    for alias in models.aliases:
        skipped = ", ".join(s.split(": ", 1)[0] for s in alias.skipped) if alias.serves else ""
        notes = [n for n in (f"instead of {skipped}" if skipped else "", alias.note or "") if n]
        aliases.add_row(
            Text(alias.name),
            Text(alias.serves or "nothing", style="" if alias.serves else "red"),
            Text("; ".join(notes) if alias.serves else "; ".join(alias.skipped)),
        )
    _show(console, aliases)

    _heading(console, "Store")
    store = _grid(3)
    reachable = report.store.reachable
    store.add_row(
        Text(yes if reachable else no, style="green" if reachable else "red"),
        Text(report.store.kind),
        Text(report.store.url),
    )
    store.add_row("", "", Text(report.store.detail))
    _show(console, store)

    _heading(console, "Paths")
    paths = _grid(2)
    for name, path in report.paths.items():
        paths.add_row(name, Text(path))
    _show(console, paths)

    _heading(console, "Versions")
    installed_versions = [
        Text(f"{name} {value}", no_wrap=True)
        for name, value in report.versions.items()
        if value is not None and name not in ("mynah", "python")
    ]
    _show(console, Columns(installed_versions, padding=(0, 3)))
    missing = [name for name, value in report.versions.items() if value is None]
    if missing:
        _show(console, Text(f"not installed: {', '.join(missing)}"))

    console.print()
    if report.ok:
        console.print(Text(f"{yes} mynah can speak and transcribe here.", style="green"))
    for problem in report.problems:
        console.print(Text(f"{no} {problem}", style="red"))


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _grid(columns: int) -> Table:
    """Columns that never wrap (ids, names, sizes) and a last one that wraps, two spaces apart."""
    table = Table.grid(padding=(0, 2))
    for index in range(columns):
        table.add_column(no_wrap=index < columns - 1, overflow="fold")
    return table


def _show(console: Console, renderable: RenderableType) -> None:
    console.print(Padding(renderable, (0, 0, 0, 2), expand=False))


def _size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"
