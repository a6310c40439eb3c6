"""`mynah lexicons`: add, list, show and remove stored pronunciation lexicons (W3C PLS or JSON).

They live in the same database as the server's (MYNAH_DATABASE_URL, or SQLite in MYNAH_DATA_DIR), so a
lexicon added here is there for `mynah say --lexicon NAME` and for the HTTP API.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from mynah.errors import InvalidRequest

if TYPE_CHECKING:
    from mynah.store import LexiconStore

lexicons_app = typer.Typer(
    help="Pronunciation lexicons (W3C PLS or JSON) for text to speech.", no_args_is_help=True
)
_out = Console()

_CONTENT_TYPES = {
    ".pls": "application/pls+xml",
    ".xml": "application/xml",
    ".json": "application/json",
}


def _store() -> LexiconStore:
    """The lexicon store of the configured database (engines are not needed, so none are loaded)."""
    from mynah.config import Settings
    from mynah.store import LexiconStore, Store, database_url

    return LexiconStore(Store.open(database_url(Settings())))


@lexicons_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Name to store it under (letters, digits, _ . -)")],
    file: Annotated[Path, typer.Argument(help="A .pls (XML) or .json lexicon; '-' reads stdin")],
    lexicon_format: Annotated[
        str | None, typer.Option("--format", help="pls or json [default: from the extension or content]")
    ] = None,
) -> None:
    """Store a lexicon, replacing one of the same name."""
    if lexicon_format is not None and lexicon_format.lower() not in ("pls", "json"):
        raise InvalidRequest(f"--format must be pls or json, not {lexicon_format!r}")
    if str(file) == "-":
        content = sys.stdin.buffer.read()
    elif not file.is_file():
        raise InvalidRequest(f"no such file: {file}")
    else:
        content = file.read_bytes()
    if lexicon_format is not None:
        content_type: str | None = _CONTENT_TYPES[".pls" if lexicon_format.lower() == "pls" else ".json"]
    else:
        content_type = _CONTENT_TYPES.get(file.suffix.lower())
    info = _store().put(name, content, content_type)
    language = f", {info.language}" if info.language else ""
    typer.echo(f"stored lexicon {info.name} ({info.entries} entries, {info.format}{language})")


@lexicons_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """List the stored lexicons."""
    infos = _store().list()
    if as_json:
        rows = [
            {
                "name": i.name,
                "format": i.format,
                "language": i.language,
                "entry_count": i.entries,
                "size": i.size,
                "created_at": i.created_at.isoformat(),
                "updated_at": i.updated_at.isoformat(),
            }
            for i in infos
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("name", "format", "language", "entries", "bytes", "updated")
    for i in infos:
        table.add_row(
            i.name,
            i.format,
            i.language or "",
            str(i.entries),
            str(i.size),
            i.updated_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
    _out.print(table)


@lexicons_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="The lexicon's name")],
    raw: Annotated[bool, typer.Option("--raw", help="Print the document exactly as it was added")] = False,
) -> None:
    """Print a lexicon: its summary and entries as JSON, or with --raw the stored document."""
    from mynah.text.lexicon import entry_json

    store = _store()
    if raw:
        content, _ = store.raw(name)
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    info, lexicon = store.info(name), store.get(name)
    body = {
        "name": info.name,
        "format": info.format,
        "language": info.language,
        "entry_count": info.entries,
        "size": info.size,
        "created_at": info.created_at.isoformat(),
        "updated_at": info.updated_at.isoformat(),
        "entries": [entry_json(entry) for entry in lexicon.entries],
    }
    typer.echo(json.dumps(body, indent=2, ensure_ascii=False))


@lexicons_app.command("rm")
def rm(name: Annotated[str, typer.Argument(help="The lexicon's name")]) -> None:
    """Remove a stored lexicon."""
    _store().delete(name)
    typer.echo(f"removed lexicon {name}")
