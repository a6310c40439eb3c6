"""The database behind mynah: one SQLAlchemy engine per process, SQLite by default, PostgreSQL when set.

    MYNAH_DATABASE_URL unset                   -> sqlite file <data_dir>/mynah.db (WAL, busy timeout)
    MYNAH_DATABASE_URL=postgresql://u@host/db  -> PostgreSQL through psycopg (pip install 'mynah[postgres]')

`Store.open(url)` creates the tables that are missing (`metadata.create_all`; there are no migrations
yet) and hands out short sessions, one per unit of work, so it is safe to use from FastAPI's worker
threads. On SQLite a write session starts with `BEGIN IMMEDIATE`, so two writers queue on the busy
timeout instead of failing when one upgrades a read lock. `check_database(url)` only asks whether
the database answers (for `mynah doctor`), creating nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from mynah.errors import EngineUnavailable, InvalidRequest, MynahError
from mynah.store.models import Base

if TYPE_CHECKING:
    from mynah.config import Settings

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE = "mynah_write"


def database_url(settings: Settings) -> str | URL:
    """The configured database, or the SQLite file `mynah.db` in the data directory."""
    if settings.database_url:
        return settings.database_url
    return URL.create("sqlite", database=str(settings.data_dir / "mynah.db"))


class Store:
    """An open database: the engine, and sessions for units of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | URL) -> Store:
        """Connect, create missing tables, and return the Store. Raises EngineUnavailable on failure."""
        parsed = _parse_url(url)
        shown = parsed.render_as_string(hide_password=True)
        engine = _create_engine(parsed)
        try:
            _create_tables(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise EngineUnavailable(f"cannot open the database {shown}: {exc.orig}") from None
        log.debug("database %s open", shown)
        return cls(engine)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            if write:
                session.connection(execution_options={_WRITE: True})
            yield session

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class DatabaseCheck:
    """What `check_database` found: the database's kind, its URL without a password, and whether it
    answers. Nothing is created: a SQLite file that does not exist yet is reported as such."""

    kind: str
    url: str
    reachable: bool
    detail: str


def check_database(url: str | URL) -> DatabaseCheck:
    """Connect and run `SELECT 1`, without creating tables, files or directories (for `mynah doctor`)."""
    try:
        parsed = _parse_url(url)
    except InvalidRequest as exc:
        return DatabaseCheck("unknown", str(url), False, exc.message)
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    database = parsed.database or ""
    if backend == "sqlite" and database not in ("", ":memory:") and parsed.query.get("mode") != "memory":
        path = Path(database).expanduser()
        if not path.exists():
            parent = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
            if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK):
                return DatabaseCheck(backend, shown, False, f"{path} does not exist and cannot be created")
            return DatabaseCheck(backend, shown, True, "not created yet: made on first use")
    try:
        engine = _create_engine(parsed)
    except MynahError as exc:
        return DatabaseCheck(backend, shown, False, exc.message)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except DBAPIError as exc:
        return DatabaseCheck(backend, shown, False, f"cannot connect: {_first_line(exc.orig)}")
    finally:
        engine.dispose()
    return DatabaseCheck(backend, shown, True, "answers")


def _first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0] if text else "no reason given"


def _create_tables(engine: Engine) -> None:
    """Create missing tables. Processes starting together on a new database may race: on SQLite the
    write transaction makes them queue; on PostgreSQL the loser's CREATE fails, and its retry sees the
    tables already there."""
    for attempt in range(2):
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(**{_WRITE: True})
                with connection.begin():
                    Base.metadata.create_all(connection)
            return
        except DBAPIError:
            if attempt:
                raise


def _parse_url(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidRequest(
            "the database URL must look like sqlite:///path/to/mynah.db or postgresql://user@host/db",
            param="database_url",
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _create_engine(url: URL) -> Engine:
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url)
        if backend == "postgresql":
            return create_engine(url, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as exc:
        if backend == "postgresql":
            raise EngineUnavailable(
                "PostgreSQL needs psycopg: pip install 'mynah[postgres]'", param="database_url"
            ) from exc
        raise EngineUnavailable(f"cannot load the database driver for {url.drivername}: {exc}") from exc
    raise InvalidRequest(
        f"database {backend!r} is not supported; use sqlite or postgresql", param="database_url"
    )


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if in_memory:
        # One shared connection, so every session sees the same tables (meant for tests).
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: object) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see `_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
