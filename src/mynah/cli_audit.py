"""`mynah audit verify | export`: the cloning audit log, in the same database as the server's."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

audit_app = typer.Typer(help="The cloning audit log: verify the hash chain, export it.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    expect_head: Annotated[
        str | None, typer.Option(help="The head hash noted earlier: fail unless the chain still ends there")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Check every entry's hash and link; name the first bad entry and exit 1 if one is."""
    from mynah.cli_platform import _open
    from mynah.cloning.audit import AuditLog

    _, store = _open()
    try:
        report = AuditLog(store).verify(expect_head=expect_head)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.as_json()))
    elif report.ok:
        typer.echo(f"ok: {report.entries} entries, head {report.head}")
    else:
        typer.echo(f"mynah: error: audit log broken: {report.reason}", err=True)
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
) -> None:
    """Write every entry as one JSON object per line, oldest first."""
    from mynah.cli_platform import _open
    from mynah.cloning.audit import AuditLog

    _, store = _open()
    try:
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for line in AuditLog(store).export():
                sink.write(line + "\n")
        finally:
            if output:
                sink.close()
    finally:
        store.close()
