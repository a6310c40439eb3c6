#!/usr/bin/env python3
"""One entry point for a fresh clone: make `.venv`, install mynah into it, run something.

    python3 dev.py serve [mynah serve options]   # install, then start the server
    python3 dev.py test  [pytest options]        # install with test extras, lint, type-check, test
    python3 dev.py mynah ARGS...                 # install, then run any mynah command

`serve` and `mynah` run in the folder you call them from (`-o hello.mp3` lands there, relative
paths are yours); `test` runs in the repository. One virtualenv, one set of engines: `serve` and
`mynah` install mynah with the `neural` extra, and `test`'s extra includes it, so the server is the
same whichever command ran first (test only adds its tools). Only the standard library is used here.
The install step is skipped when `pyproject.toml` has not changed since the last install into this
virtualenv, so a second run starts at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
SERVE_EXTRAS = "neural"
"""What `serve` and `mynah` install: the engines. The `test` extra includes `mynah[neural]`."""


def _ensure_installed(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"mynah needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp, digest = install_stamp(extras)
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    print(f"installing mynah{'[' + extras + ']' if extras else ''} into .venv ...", flush=True)
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(digest)


def install_stamp(extras: str) -> tuple[Path, str]:
    """The file that records an install of `extras` into .venv, and what it holds when current."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    return VENV / f".mynah-installed{'-' + extras if extras else ''}", digest


def _run(argv: list[str], *, here: bool = False) -> int:
    """Run `argv` in the repository, or with `here` in the caller's working directory."""
    return subprocess.run(argv, cwd=None if here else ROOT).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "serve":
        _ensure_installed(SERVE_EXTRAS)
        return _run([str(BIN / "mynah"), "serve", *rest], here=True)
    if command == "mynah":
        _ensure_installed(SERVE_EXTRAS)
        return _run([str(BIN / "mynah"), *rest], here=True)
    if command == "test":
        _ensure_installed("test")
        for step in (
            [str(BIN / "ruff"), "check", "src", "tests", "bench"],
            [str(BIN / "ruff"), "format", "--check", "src", "tests", "bench"],
            [str(BIN / "mypy")],
        ):
            if code := _run(step):
                return code
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before any worker loads numpy (mynah.priority)
        return _run([str(BIN / "python"), "-m", "pytest", "-n", "2", *rest])
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        sys.exit(f"dev.py: install step failed ({exc})")
    except KeyboardInterrupt:
        sys.exit(130)
