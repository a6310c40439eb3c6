"""The Hugging Face Hub as a model source: listing with `huggingface_hub`, bytes through `transfer`.

`huggingface_hub` lists a repository (`HfApi.list_repo_tree`: every file's path, size, git blob id
and, for LFS files, sha256), builds the download URLs (`hf_hub_url`) and finds the user's token
(`get_token`). The bytes themselves come through `mynah.models.transfer`, on httpx, because mynah
needs what `hf_hub_download` cannot give in one piece: resumable partial files *outside* the model
cache (so a failed pull leaves no half-written model behind, and the next pull continues where it
stopped with an HTTP Range request), a progress callback for rich bars and server logs, and an
integrity check of every byte against the hub's own hashes, including the bytes of a resumed file.

The endpoint is `HF_ENDPOINT` (or ModelSettings.hub_endpoint), so tests point it at a local server.
HF_HUB_OFFLINE (and TRANSFORMERS_OFFLINE) keep pulls off the hub; `hub_offline_reason` says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import httpx

from mynah.models.catalog import HubSource
from mynah.models.transfer import USER_AGENT, DownloadFailed, RemoteFile, describe_error

__all__ = ["HubClient", "default_endpoint", "hub_offline_reason"]


def default_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def hub_offline_reason() -> str | None:
    """Why the hub is off by configuration (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE), or None."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(variable, "").strip().lower() in {"1", "true", "yes", "on"}:
            return f"offline mode is on ({variable})"
    return None


class HubClient:
    """One Hugging Face endpoint. Thread-safe; holds no open connections between calls."""

    def __init__(
        self, endpoint: str | None = None, *, timeout: float = 30.0, probe_timeout: float = 3.0
    ) -> None:
        self.endpoint = (endpoint or default_endpoint()).rstrip("/")
        self.timeout = timeout
        self._probe_timeout = probe_timeout

    # ------------------------------------------------------------------------------------ probing

    def unreachable(self) -> str | None:
        """Why the hub cannot be reached right now (a short request to it), or None when it can."""
        try:
            with httpx.Client(timeout=self._probe_timeout, headers={"user-agent": USER_AGENT}) as client:
                client.head(self.endpoint + "/")
        except httpx.HTTPError as exc:
            return f"no network: cannot reach {self.endpoint} ({describe_error(exc)})"
        return None

    # ------------------------------------------------------------------------------------ listing

    def list_files(self, source: HubSource) -> list[RemoteFile]:
        """The files of `source`, with sizes and hashes, as the hub reports them."""
        try:
            from huggingface_hub import HfApi, hf_hub_url
        except ImportError as exc:
            raise DownloadFailed("pulling models needs huggingface_hub: pip install 'mynah[neural]'") from exc
        api = HfApi(endpoint=self.endpoint, token=self._token())
        where = f"{source.repo}@{source.revision}" + (f"/{source.folder}" if source.folder else "")
        try:
            entries = list(
                api.list_repo_tree(
                    source.repo, path_in_repo=source.folder or None, revision=source.revision, recursive=True
                )
            )
        except Exception as exc:  # huggingface_hub raises its own tree of errors and httpx's
            raise DownloadFailed(f"cannot list {where} on {self.endpoint}: {describe_error(exc)}") from exc
        try:
            return self._wanted(source, entries, hf_hub_url)
        except (TypeError, ValueError) as exc:  # a listing that does not have the hub's shape
            raise DownloadFailed(f"the listing of {where} on {self.endpoint} is malformed: {exc}") from exc

    def _wanted(self, source: HubSource, entries: list[Any], url: Callable[..., str]) -> list[RemoteFile]:
        files = []
        for entry in entries:
            path = getattr(entry, "path", "")
            size = getattr(entry, "size", None)
            if size is None:  # a folder
                continue
            name = source.wants(path)
            if name is None:
                continue
            lfs = getattr(entry, "lfs", None)
            files.append(
                RemoteFile(
                    path=path,
                    name=name,
                    size=int(size),
                    url=url(source.repo, path, revision=source.revision, endpoint=self.endpoint),
                    sha256=getattr(lfs, "sha256", None) if lfs is not None else None,
                    git_sha1=None if lfs is not None else getattr(entry, "blob_id", None),
                )
            )
        return sorted(files, key=lambda f: f.name)

    def headers(self, remote: RemoteFile) -> dict[str, str]:
        """Headers for downloading `remote`: the user's token, for this endpoint only (httpx drops it
        on redirects elsewhere)."""
        token = self._token()
        if token and remote.url.startswith(self.endpoint):
            return {"authorization": f"Bearer {token}"}
        return {}

    @staticmethod
    def _token() -> str | None:
        try:
            from huggingface_hub import get_token
        except ImportError:
            return None
        token: str | None = get_token()
        return token
