"""check_database: does the database answer, without creating a file, a directory or a table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, inspect

from mynah.store import Store, check_database


def test_a_sqlite_file_not_made_yet_is_fine_and_stays_unmade(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "mynah.db"
    check = check_database(URL.create("sqlite", database=str(path)))
    assert (check.kind, check.reachable) == ("sqlite", True)
    assert check.detail == "not created yet: made on first use"
    assert not path.parent.exists()


def test_an_existing_database_answers_and_is_left_as_it_was(tmp_path: Path) -> None:
    url = URL.create("sqlite", database=str(tmp_path / "mynah.db"))
    store = Store.open(url)
    tables = sorted(inspect(store.engine).get_table_names())
    store.close()
    check = check_database(url)
    assert check.reachable and check.detail == "answers"
    reopened = Store.open(url)
    assert sorted(inspect(reopened.engine).get_table_names()) == tables
    reopened.close()


def test_a_sqlite_file_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file where the data directory should be")
    check = check_database(URL.create("sqlite", database=str(tmp_path / "data" / "mynah.db")))
    assert not check.reachable and "cannot be created" in check.detail


def test_urls_that_are_not_databases_we_know() -> None:
    assert not check_database("no such thing://").reachable
    unsupported = check_database("mysql://u@localhost/db")
    assert not unsupported.reachable and "not supported" in unsupported.detail


def test_the_password_is_never_shown() -> None:
    check = check_database("postgresql://mynah:s3cret@127.0.0.1:9/mynah")
    assert not check.reachable and "s3cret" not in check.url + check.detail
    assert check.detail.startswith("cannot connect")
