"""Fetching model files from the Hugging Face Hub: listing with `huggingface_hub`, bytes with httpx.

`huggingface_hub` lists a repository (`HfApi.list_repo_tree`: every file's path, size, git blob id
and, for LFS files, sha256), builds the download URLs (`hf_hub_url`) and finds the user's token
(`get_token`). The bytes themselves come through `download`, on httpx, because mynah needs what
`hf_hub_download` cannot give in one piece: resumable partial files *outside* the model cache (so a
failed pull leaves no half-written model behind, and the next pull continues where it stopped with
an HTTP Range request), a progress callback for rich bars and server logs, and an integrity check
of every byte against the hub's own hashes (sha256 for LFS files, the git blob sha1 otherwise),
including the bytes of a resumed file.

The endpoint is `HF_ENDPOINT` (or ModelSettings.hub_endpoint), so tests point it at a local server.

Errors (all `EngineUnavailable`, 503):

    Offline           the hub cannot be reached, or offline mode is on
    DownloadFailed    the hub answered, but the files could not be listed, fetched or verified
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from mynah.errors import EngineUnavailable
from mynah.models.catalog import HubSource

__all__ = ["DownloadFailed", "HubClient", "Offline", "RemoteFile", "default_endpoint", "offline_reason"]

log = logging.getLogger(__name__)

_BLOCK = 1024 * 1024
_USER_AGENT = "mynah (model download)"


class Offline(EngineUnavailable):
    code = "offline"


class DownloadFailed(EngineUnavailable):
    code = "download_failed"


@dataclass(frozen=True)
class RemoteFile:
    path: str
    """Path in the repository."""
    name: str
    """Path in the model directory."""
    size: int
    url: str
    sha256: str | None = None
    git_sha1: str | None = None


def default_endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")


def offline_reason(*, configured: bool) -> str | None:
    """Why downloads are off by configuration (MYNAH_MODELS__OFFLINE, HF_HUB_OFFLINE), or None."""
    if configured:
        return "offline mode is on (MYNAH_MODELS__OFFLINE)"
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
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._probe_timeout = probe_timeout

    # ------------------------------------------------------------------------------------ probing

    def unreachable(self) -> str | None:
        """Why the hub cannot be reached right now (a short request to it), or None when it can."""
        try:
            with httpx.Client(timeout=self._probe_timeout, headers={"user-agent": _USER_AGENT}) as client:
                client.head(self.endpoint + "/")
        except httpx.HTTPError as exc:
            return f"no network: cannot reach {self.endpoint} ({_describe(exc)})"
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
            raise DownloadFailed(f"cannot list {where} on {self.endpoint}: {_describe(exc)}") from exc
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
                    url=hf_hub_url(source.repo, path, revision=source.revision, endpoint=self.endpoint),
                    sha256=getattr(lfs, "sha256", None) if lfs is not None else None,
                    git_sha1=None if lfs is not None else getattr(entry, "blob_id", None),
                )
            )
        return sorted(files, key=lambda f: f.name)

    # ------------------------------------------------------------------------------------ download

    def download(self, remote: RemoteFile, part: Path, progress: Callable[[int], None] | None = None) -> str:
        """Fetch `remote` into `part`, continuing from the bytes already there; returns its sha256.

        `progress(n)` hears of every n bytes added to `part`, the ones already there first (and a
        negative n if the server will not resume and the file starts again). The file is checked against the hub's hash when complete. On a network failure the bytes
        received stay in `part` for the next attempt; on a hash mismatch `part` is deleted."""
        have = part.stat().st_size if part.exists() else 0
        if have > remote.size:
            part.unlink()
            have = 0
        if progress is not None and have:
            progress(have)
        if have < remote.size:
            headers = {"user-agent": _USER_AGENT}
            token = self._token()
            if token and remote.url.startswith(self.endpoint):
                headers["authorization"] = f"Bearer {token}"  # httpx drops it on redirects elsewhere
            if have:
                headers["range"] = f"bytes={have}-"
            try:
                with (
                    httpx.Client(timeout=self._timeout, follow_redirects=True) as client,
                    client.stream("GET", remote.url, headers=headers) as response,
                ):
                    have = self._receive(response, remote, part, have, progress)
            except httpx.HTTPError as exc:
                received = part.stat().st_size if part.exists() else 0
                raise DownloadFailed(
                    f"download of {remote.path} stopped at {received:,} of {remote.size:,} bytes "
                    f"({_describe(exc)}); pull again to resume"
                ) from exc
        return _verify(remote, part)

    def _receive(
        self,
        response: httpx.Response,
        remote: RemoteFile,
        part: Path,
        have: int,
        progress: Callable[[int], None] | None,
    ) -> int:
        if response.status_code == 416 and have == remote.size:
            return have
        if response.status_code not in (200, 206):
            raise DownloadFailed(
                f"cannot fetch {remote.path}: HTTP {response.status_code} from {response.url.host}"
            )
        if response.status_code == 206:
            start = _range_start(response.headers.get("content-range", ""))
            if start != have:
                raise DownloadFailed(
                    f"cannot resume {remote.path}: the server sent bytes from {start}, not {have}"
                )
        elif have:
            log.info("%s: the server does not resume; starting again", remote.path)
            if progress is not None:
                progress(-have)
            have = 0
        with part.open("ab" if have else "wb") as sink:
            for block in response.iter_bytes():  # as it arrives: a broken connection loses nothing
                sink.write(block)
                sink.flush()
                have += len(block)
                if progress is not None:
                    progress(len(block))
        return have

    @staticmethod
    def _token() -> str | None:
        try:
            from huggingface_hub import get_token
        except ImportError:
            return None
        token: str | None = get_token()
        return token


def _range_start(content_range: str) -> int | None:
    # "bytes 100-199/200"
    unit, _, rest = content_range.partition(" ")
    if unit != "bytes":
        return None
    start, _, _ = rest.partition("-")
    return int(start) if start.isdigit() else None


def _verify(remote: RemoteFile, part: Path) -> str:
    size = part.stat().st_size
    if size != remote.size:
        raise DownloadFailed(
            f"download of {remote.path} stopped at {size:,} of {remote.size:,} bytes; pull again to resume"
        )
    sha256 = hashlib.sha256()
    git = hashlib.sha1(f"blob {size}\0".encode(), usedforsecurity=False)
    with part.open("rb") as source:
        while block := source.read(_BLOCK):
            sha256.update(block)
            git.update(block)
    digest = sha256.hexdigest()
    if remote.sha256 and digest != remote.sha256.lower():
        part.unlink()
        raise DownloadFailed(
            f"{remote.path} is corrupt: sha256 {digest[:12]}… but the hub says {remote.sha256[:12]}…"
        )
    if remote.git_sha1 and git.hexdigest() != remote.git_sha1.lower():
        part.unlink()
        raise DownloadFailed(f"{remote.path} is corrupt: its git blob id does not match the hub's")
    return digest


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text}" if text else name
