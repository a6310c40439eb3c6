"""What the cluster is doing: its deployments (Serve's view) and its replicas (the board's view).

    {"address": ..., "deployments": {"speech": {"status": "HEALTHY", "replicas": {"RUNNING": 2}}, ...},
     "replicas": [{"replica": "speech#ab12", "node": ..., "in_flight": 1, "served": 9, "models": [...]}],
     "lost": ["transcription#cd34"]}

`mynah cluster status`, GET /health (`cluster`) and /metrics (`mynah_cluster_*`) all read this. A
report from a replica whose actor is gone is dropped from the board.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mynah.cluster import Cluster

log = logging.getLogger(__name__)

BOARD_TIMEOUT = 10.0


def cluster_status(cluster: Cluster) -> dict[str, Any]:
    lost = sorted(set(cluster.speech.lost + cluster.transcription.lost))
    return read_status(cluster.board, address=cluster.address, namespace=cluster.namespace, lost=lost)


def read_status(board: Any, *, address: str, namespace: str, lost: list[str]) -> dict[str, Any]:
    """The status as this Ray connection sees it (`board`: the board actor's handle)."""
    import ray
    from ray import serve

    deployments: dict[str, Any] = {}
    try:
        applications = serve.status().applications
    except Exception as exc:  # the controller is away: say so, do not fail /health
        log.warning("cluster status: Serve did not answer: %s", exc)
        applications = {}
    for app in applications.values():
        for name, deployment in app.deployments.items():
            deployments[name] = {
                "status": str(getattr(deployment.status, "value", deployment.status)),
                "replicas": {
                    str(getattr(state, "value", state)): count
                    for state, count in deployment.replica_states.items()
                },
                "message": deployment.message or None,
            }
    alive = {
        entry["name"]
        for entry in ray.util.list_named_actors(all_namespaces=True)
        if isinstance(entry, dict) and "name" in entry
    }
    replicas: list[dict[str, Any]] = []
    try:
        reports = ray.get(board.snapshot.remote(), timeout=BOARD_TIMEOUT)
    except Exception as exc:
        log.warning("cluster status: the board did not answer: %s", exc)
        reports = []
    for report in reports:
        if report.actor and report.actor not in alive:
            board.forget.remote(report.replica)
            continue
        replicas.append(asdict(report))
    return {
        "address": address,
        "namespace": namespace,
        "deployments": deployments,
        "replicas": replicas,
        "lost": lost,
    }


def status_from_outside(address: str, namespace: str) -> dict[str, Any]:
    """`mynah cluster status`: join the cluster at `address` as a client and read its status."""
    import ray

    from mynah.cluster.replicas import BOARD
    from mynah.errors import EngineUnavailable

    if address == "local":
        raise EngineUnavailable(
            "a `local` cluster lives inside the server that started it: read its GET /health, or give "
            "--address auto (on a node of the cluster) or ray://head:10001"
        )
    ray.init(address=address, namespace=namespace, log_to_driver=False)
    try:
        try:
            board = ray.get_actor(BOARD, namespace=namespace)
        except ValueError as exc:
            raise EngineUnavailable(
                f"no mynah front has deployed on this cluster (namespace {namespace!r})"
            ) from exc
        return read_status(board, address=address, namespace=namespace, lost=[])
    finally:
        ray.shutdown()
