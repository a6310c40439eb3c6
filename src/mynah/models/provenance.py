"""What an installed model is: the official release, byte for byte, or something else.

`compare(entry, files, ...)` sets a model's files (name -> sha256) against the official hashes the
catalog pins for it (`CatalogEntry.official`):

    identical   every file of the official release, and nothing else, with its sha256
                -> "IDENTICAL to the official release Systran/faster-whisper-tiny.en@0d3d19a3..."
    variant     anything else installed from local files: a file differs, is missing or extra, or
                the catalog knows no official hashes for the model (a fine-tune, a conversion)
                -> "LOCAL VARIANT of ...: model.bin differs" / "LOCAL VARIANT: no official hashes known"
    hub         fetched from the hub and checked against the hub's own hashes, for a model whose
                official hashes the catalog does not pin -> "as published on the hub: repo@revision"

A remote pull (hub or package index) of a model with pinned hashes must be identical, or it is
refused; a local install is recorded as what it is. The result is stored in the model's manifest,
and `ModelCache.audit` computes it again from the bytes on disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mynah.models.catalog import CatalogEntry

__all__ = ["Provenance", "compare"]

Status = Literal["identical", "variant", "hub"]


@dataclass(frozen=True)
class Provenance:
    status: Status
    release: str | None = None
    """The official release (`repo@revision`) the files were compared with, when there is one."""
    differences: tuple[str, ...] = ()
    """Per file, how a variant differs from the release ("model.bin differs", ...)."""

    @property
    def identical(self) -> bool:
        return self.status == "identical"

    def describe(self) -> str:
        """One line for people: IDENTICAL to ..., LOCAL VARIANT ..., or as published on the hub."""
        if self.status == "identical":
            return f"IDENTICAL to the official release {self.release}"
        if self.status == "hub":
            return (
                f"as published on the hub: {self.release} (checked against the hub's hashes; "
                "mynah pins no official hashes for it)"
            )
        if self.release is None:
            return "LOCAL VARIANT: no official hashes known"
        return f"LOCAL VARIANT of {self.release}: {'; '.join(self.differences)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "release": self.release,
            "differences": list(self.differences),
            "summary": self.describe(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        status = str(data.get("status", ""))
        if status not in ("identical", "variant", "hub"):
            raise ValueError(f"unknown provenance status {status!r}")
        release = data.get("release")
        return cls(
            status,  # type: ignore[arg-type]
            str(release) if release is not None else None,
            tuple(str(d) for d in data.get("differences", ())),
        )


def compare(
    entry: CatalogEntry | None, files: Mapping[str, str], *, from_hub: str | None = None
) -> Provenance:
    """The provenance of files (name -> sha256) installed as `entry`'s model. `from_hub` names the
    hub release (`repo@revision`) they were fetched and verified from, if they were."""
    official = entry.official if entry is not None else None
    if official is None:
        return Provenance("hub", from_hub) if from_hub else Provenance("variant")
    expected = official.hashes
    differences = []
    for name, sha256 in sorted(expected.items()):
        have = files.get(name)
        if have is None:
            differences.append(f"{name} is missing")
        elif have.lower() != sha256:
            differences.append(f"{name} differs (sha256 {have[:12]}…, the release's is {sha256[:12]}…)")
    differences += [f"{name} is not in the release" for name in sorted(set(files) - set(expected))]
    if differences:
        return Provenance("variant", official.name, tuple(differences))
    return Provenance("identical", official.name)
