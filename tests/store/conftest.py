"""Databases for store tests: a SQLite file, and a throwaway PostgreSQL database when a server is there.

PostgreSQL is reached with MYNAH_TEST_POSTGRES (a libpq conninfo string; default
`host=127.0.0.1 port=5432 user=postgres dbname=postgres`). Each test session (each xdist worker)
creates its own uniquely named database and drops it at the end; every test starts with empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mynah.store import Store
from mynah.store.models import Base

POSTGRES = os.environ.get("MYNAH_TEST_POSTGRES", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'mynah[postgres]')")
    name = f"mynah_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable ({POSTGRES}): {str(exc).strip()}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        info = admin.info
        user = f"{info.user}:{info.password}@" if info.password else f"{info.user}@"
        try:
            yield f"postgresql+psycopg://{user}{info.host}:{info.port}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mynah.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    try:
        yield opened
    finally:
        Base.metadata.drop_all(opened.engine)
        opened.close()
