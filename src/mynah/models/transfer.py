"""Moving bytes from a remote source (the hub, the package index) into the cache's staging area.

One way for every remote file: `fetch(remote, part, tracker, ...)` downloads it with httpx into a
partial file, continuing from the bytes already there with an HTTP Range request, reporting every
block to a `Tracker` (the progress callback of a pull and its log lines), retrying a broken
transfer `retries` times, and checking the finished file against the hash its source states
(sha256, or a git blob id for small hub files). A broken transfer keeps its bytes for the next
attempt or pull; a file whose hash does not match is deleted.

Errors (both `EngineUnavailable`, 503):

    Offline           the source cannot be reached, or offline mode is on
    DownloadFailed    the source answered, but files could not be listed, fetched or verified
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from mynah.errors import EngineUnavailable

__all__ = ["DownloadFailed", "Offline", "PullProgress", "RemoteFile", "Tracker", "describe_error", "fetch"]

log = logging.getLogger(__name__)

_BLOCK = 1024 * 1024
USER_AGENT = "mynah (model download)"


class Offline(EngineUnavailable):
    """Nothing can be fetched now (offline mode, or no source answers): a 503 the client may retry."""

    code = "offline"
    type = "service_unavailable"


class DownloadFailed(EngineUnavailable):
    code = "download_failed"


@dataclass(frozen=True)
class RemoteFile:
    path: str
    """Where the source keeps it (a path in a repository, a wheel's file name), for messages."""
    name: str
    """Where it goes, relative to the staging directory."""
    size: int
    url: str
    sha256: str | None = None
    git_sha1: str | None = None
    origin: str = "the hub"
    """Who states the hash, for messages ("the hub", "the package index")."""


@dataclass(frozen=True)
class PullProgress:
    model_id: str
    file: str
    done: int
    """Bytes of the whole model received so far (including bytes resumed from an earlier pull)."""
    total: int


class Tracker:
    """Bytes received by one pull: feeds the progress callback and logs every tenth."""

    def __init__(self, model_id: str, total: int, callback: Callable[[PullProgress], None] | None) -> None:
        self.model_id = model_id
        self.total = total
        self.done = 0
        self.file = ""
        self._callback = callback
        self._logged = -1

    def advance(self, count: int) -> None:
        self.done += count
        if self._callback is not None:
            self._callback(PullProgress(self.model_id, self.file, self.done, self.total))
        tenth = self.done * 10 // max(self.total, 1)
        if tenth != self._logged:
            self._logged = tenth
            log.info("pulling %s: %d%% of %.1f MB", self.model_id, tenth * 10, self.total / 2**20)


def fetch(
    remote: RemoteFile,
    part: Path,
    tracker: Tracker,
    *,
    retries: int,
    sleep: Callable[[float], None],
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> str:
    """Download `remote` into `part` (resuming, retrying, verified); returns its sha256."""
    tracker.file = remote.name
    counted = 0

    def advance(count: int) -> None:
        nonlocal counted
        counted += count
        tracker.advance(count)

    for attempt in range(retries + 1):
        tracker.done -= counted  # each attempt reports the bytes already there again
        counted = 0
        try:
            return _download(remote, part, advance, dict(headers or {}), timeout)
        except DownloadFailed as exc:
            if attempt == retries:
                raise
            log.warning("%s (attempt %d of %d); retrying", exc.message, attempt + 1, retries + 1)
            sleep(min(2.0**attempt, 10.0))
    raise AssertionError("unreachable")


def _download(
    remote: RemoteFile, part: Path, progress: Callable[[int], None], headers: dict[str, str], timeout: float
) -> str:
    """One attempt: fetch what `part` lacks, then verify. `progress(n)` hears of every n bytes added,
    the ones already there first (and a negative n if the server will not resume)."""
    have = part.stat().st_size if part.exists() else 0
    if have > remote.size:
        part.unlink()
        have = 0
    if have:
        progress(have)
    if not remote.size:  # nothing to fetch (an empty file is still a file)
        part.parent.mkdir(parents=True, exist_ok=True)
        part.touch()
    elif have < remote.size:
        headers = {"user-agent": USER_AGENT, **headers}
        if have:
            headers["range"] = f"bytes={have}-"
        limits = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        try:
            with (
                httpx.Client(timeout=limits, follow_redirects=True) as client,
                client.stream("GET", remote.url, headers=headers) as response,
            ):
                _receive(response, remote, part, have, progress)
        except httpx.HTTPError as exc:
            received = part.stat().st_size if part.exists() else 0
            raise DownloadFailed(
                f"download of {remote.path} stopped at {received:,} of {remote.size:,} bytes "
                f"({describe_error(exc)}); pull again to resume"
            ) from exc
    return _verify(remote, part)


def _receive(
    response: httpx.Response, remote: RemoteFile, part: Path, have: int, progress: Callable[[int], None]
) -> None:
    if response.status_code == 416 and have == remote.size:
        return
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
        progress(-have)
        have = 0
    part.parent.mkdir(parents=True, exist_ok=True)
    with part.open("ab" if have else "wb") as sink:
        for block in response.iter_bytes():  # as it arrives: a broken connection loses nothing
            sink.write(block)
            sink.flush()
            have += len(block)
            progress(len(block))
            if have > remote.size:
                break
    if have > remote.size:
        part.unlink()
        raise DownloadFailed(f"{remote.path}: the server sent more than the {remote.size:,} bytes stated")


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
            f"{remote.path} is corrupt: sha256 {digest[:12]}… but {remote.origin} says {remote.sha256[:12]}…"
        )
    if remote.git_sha1 and git.hexdigest() != remote.git_sha1.lower():
        part.unlink()
        raise DownloadFailed(f"{remote.path} is corrupt: its git blob id does not match {remote.origin}'s")
    return digest


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text}" if text else name
