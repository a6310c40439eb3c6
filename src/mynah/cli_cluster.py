"""`mynah cluster status`: the deployments and replicas the engines run on (mynah.cluster).

    mynah cluster status [--address auto|ray://head:10001] [--json]   join the cluster and read it
    mynah cluster status --server http://front:8000 [--json]          what a front's GET /health says

A `local` cluster lives inside the server that started it: ask that server (`--server`).
"""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from mynah.errors import EngineUnavailable

cluster_app = typer.Typer(help="The Ray cluster the engines run on.", no_args_is_help=True)
_out = Console()


@cluster_app.command("status")
def status(
    address: Annotated[
        str | None, typer.Option(help="Ray address [default: MYNAH_CLUSTER__ADDRESS, else auto]")
    ] = None,
    server: Annotated[str | None, typer.Option(help="Ask this mynah server's /health instead")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON")] = False,
) -> None:
    """Replicas of each engine family, their load and their models."""
    from mynah.config import Settings

    settings = Settings()
    if server is not None:
        headers = (
            {"authorization": f"Bearer {os.environ['MYNAH_API_KEY']}"}
            if "MYNAH_API_KEY" in os.environ
            else {}
        )
        body = httpx.get(server.rstrip("/") + "/health", headers=headers, timeout=30).json()
        if "cluster" not in body:
            raise EngineUnavailable(f"{server} runs its engines in-process (no cluster)")
        report: dict[str, Any] = body["cluster"]
    else:
        from mynah.cluster.status import status_from_outside

        chosen = address or settings.cluster.address or "auto"
        report = status_from_outside(chosen, settings.cluster.namespace)
    if as_json:
        _out.print_json(json.dumps(report))
        return
    _print(report)


def _print(report: dict[str, Any]) -> None:
    _out.print(f"cluster {report['address']} (namespace {report['namespace']})")
    deployments = Table("deployment", "status", "replicas")
    for name, deployment in sorted(report["deployments"].items()):
        states = ", ".join(
            f"{count} {state.lower()}" for state, count in sorted(deployment["replicas"].items())
        )
        deployments.add_row(name, deployment["status"], states or "none")
    _out.print(deployments)
    replicas = Table("replica", "node", "pid", "in flight", "served", "failed", "models")
    for replica in report["replicas"]:
        replicas.add_row(
            replica["replica"],
            replica["node"],
            str(replica["pid"]),
            str(replica["in_flight"]),
            str(replica["served"]),
            str(replica["failed"]),
            ", ".join(replica["models"]) or "-",
        )
    _out.print(replicas)
    if report["lost"]:
        _out.print(f"lost under a call (retried elsewhere): {', '.join(report['lost'])}")
