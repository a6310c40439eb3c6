"""LexiconStore against real databases: every test runs on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import text

from mynah.config import Settings
from mynah.errors import EngineUnavailable, InvalidRequest, NotFound, PayloadTooLarge, UnsupportedMediaType
from mynah.store import LexiconStore, Store, database_url
from mynah.store.models import Base
from mynah.text.lexicon import MAX_LEXICON_BYTES, LexiconEntry

PLS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<lexicon version="1.0" alphabet="x-sampa" xml:lang="en-GB"'
    b' xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">\n'
    b'  <lexeme><grapheme>tomato</grapheme><phoneme>t@"mA:t@U</phoneme></lexeme>\n'
    b"  <lexeme><grapheme>SQL</grapheme><alias>sequel</alias></lexeme>\n"
    b"</lexicon>\n"
)
JSON = '{"language": "en-US", "entries": {"tomato": {"ipa": "təˈmeɪtoʊ"}}}'.encode()


def test_put_then_read_back(store: Store) -> None:
    lexicons = LexiconStore(store)
    info = lexicons.put("british", PLS, "application/pls+xml")
    assert (info.name, info.format, info.language, info.entries, info.size) == (
        "british",
        "pls",
        "en-GB",
        2,
        len(PLS),
    )
    assert info.created_at == info.updated_at
    assert info.created_at.tzinfo is not None and info.created_at.utcoffset() == UTC.utcoffset(None)
    assert lexicons.info("british") == info
    assert lexicons.list() == [info]
    assert lexicons.raw("british") == (PLS, "application/pls+xml")
    parsed = lexicons.get("british")
    assert parsed.language == "en-GB"
    assert parsed.entries == (
        LexiconEntry(("tomato",), ipa="təˈmɑːtəʊ"),
        LexiconEntry(("SQL",), alias="sequel"),
    )


def test_content_type_is_kept_or_made_canonical(store: Store) -> None:
    lexicons = LexiconStore(store)
    assert lexicons.put("a", PLS, "Text/XML; charset=utf-8").content_type == "text/xml"
    assert lexicons.put("b", PLS, None).content_type == "application/pls+xml"
    assert lexicons.put("c", JSON, "application/octet-stream").content_type == "application/json"
    assert lexicons.raw("c") == (JSON, "application/json")
    assert [i.format for i in lexicons.list()] == ["pls", "pls", "json"]


def test_replacing_keeps_created_at_and_bumps_updated_at(store: Store) -> None:
    lexicons = LexiconStore(store)
    first = lexicons.put("mine", PLS, None)
    assert lexicons.get("mine").language == "en-GB"
    second = lexicons.put("mine", JSON, "application/json")
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at
    assert (second.format, second.language, second.entries) == ("json", "en-US", 1)
    assert lexicons.get("mine").language == "en-US"
    assert lexicons.raw("mine")[0] == JSON
    assert [i.name for i in lexicons.list()] == ["mine"]


def test_parsed_lexicons_are_cached_until_replaced(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("a", PLS, None)
    assert lexicons.get("a") is lexicons.get("a")
    matcher = lexicons.matcher_for(["a"])
    again = lexicons.matcher_for(("a",))
    assert matcher is not None and again is not None and again.compiled[0] is matcher.compiled[0]
    lexicons.put("a", JSON, None)
    assert lexicons.get("a").language == "en-US"
    replaced = lexicons.matcher_for(["a"])
    assert replaced is not None and replaced.compiled[0] is not matcher.compiled[0]
    assert lexicons.matcher_for([]) is None


def test_each_lexicon_is_compiled_once_whatever_list_names_it(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("a", PLS, None)
    lexicons.put("b", JSON, None)
    ab, ba = lexicons.matcher_for(["a", "b"]), lexicons.matcher_for(["b", "a"])
    assert ab is not None and ba is not None
    assert ab.compiled[0] is ba.compiled[1] and ab.compiled[1] is ba.compiled[0]


def test_the_caches_stay_within_their_byte_budget(store: Store) -> None:
    lexicons = LexiconStore(store, cache_bytes=64 * 1024)
    entries = {f"word{i}": f"alias {i}" for i in range(2000)}
    for name in ("big1", "big2", "big3"):
        lexicons.put(name, json.dumps(entries).encode(), "application/json")
        matcher = lexicons.matcher_for([name])
        assert matcher is not None and [m.entry.alias for m in matcher.find("say word7")] == ["alias 7"]
    one = lexicons.matcher_for(["big3"])
    assert one is not None
    # only the newest parsed and compiled lexicon is kept once each alone fills the budget
    newest = 11 * len(json.dumps(entries)) + one.compiled[0].size_bytes
    assert lexicons.cached_bytes() <= max(64 * 1024, newest)


def test_a_change_made_by_another_process_is_seen(store: Store, database_url: str) -> None:
    here = LexiconStore(store)
    here.put("shared", PLS, None)
    assert here.get("shared").language == "en-GB"  # now cached here
    other_store = Store.open(database_url)
    try:
        LexiconStore(other_store).put("shared", JSON, None)
    finally:
        other_store.close()
    assert here.get("shared").language == "en-US"
    matcher = here.matcher_for(["shared"])
    assert matcher is not None and [m.entry.ipa for m in matcher.find("Tomato")] == ["təˈmeɪtoʊ"]


def test_a_bad_document_is_refused_and_changes_nothing(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("keep", PLS, None)
    with pytest.raises(InvalidRequest, match="line 1, column"):
        lexicons.put("keep", b"<lexicon><lexeme>", "application/pls+xml")
    with pytest.raises(InvalidRequest, match="malformed JSON"):
        lexicons.put("new", b"{", "application/json")
    with pytest.raises(UnsupportedMediaType):
        lexicons.put("new", PLS, "image/png")
    with pytest.raises(PayloadTooLarge):
        lexicons.put("new", b" " * (MAX_LEXICON_BYTES + 1), "application/json")
    assert [i.name for i in lexicons.list()] == ["keep"]
    assert lexicons.raw("keep")[0] == PLS


@pytest.mark.parametrize("name", ["", "a" * 65, "a b", "../etc", "x/y", ".", "..", "café", "a;drop"])
def test_invalid_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(InvalidRequest, match="name"):
        LexiconStore(store).put(name, PLS, None)


@pytest.mark.parametrize("name", ["a", "A-b_c.1", "x" * 64, "names.pls"])
def test_valid_names(store: Store, name: str) -> None:
    lexicons = LexiconStore(store)
    assert lexicons.put(name, PLS, None).name == name
    assert lexicons.get(name).name == name


def test_names_are_case_sensitive(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("Names", PLS, None)
    lexicons.put("names", JSON, None)
    assert [i.name for i in lexicons.list()] == ["Names", "names"]
    assert lexicons.get("Names").language == "en-GB"


def test_unknown_names_are_not_found(store: Store) -> None:
    lexicons = LexiconStore(store)
    for call in (lexicons.get, lexicons.info, lexicons.raw, lexicons.delete):
        with pytest.raises(NotFound, match="'nope'"):
            call("nope")
    with pytest.raises(NotFound, match="'not a valid name'"):
        lexicons.get("not a valid name")


def test_delete(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("gone", PLS, None)
    lexicons.get("gone")
    lexicons.delete("gone")
    assert lexicons.list() == []
    with pytest.raises(NotFound):
        lexicons.get("gone")
    with pytest.raises(NotFound):
        lexicons.delete("gone")


def test_load_many_keeps_order_and_names_the_first_unknown(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("b", PLS, None)
    lexicons.put("a", JSON, None)
    assert [lx.name for lx in lexicons.load_many(["b", "a", "b"])] == ["b", "a"]
    assert lexicons.load_many([]) == []
    with pytest.raises(NotFound, match="'missing1'") as caught:
        lexicons.load_many(["a", "missing1", "missing2"])
    assert caught.value.param == "lexicons"


def test_matcher_precedence_follows_the_order_of_names(store: Store) -> None:
    lexicons = LexiconStore(store)
    lexicons.put("gb", PLS, None)
    lexicons.put("us", JSON, None)
    gb_first = lexicons.matcher_for(["gb", "us"])
    us_first = lexicons.matcher_for(["us", "gb"])
    assert gb_first is not None and us_first is not None
    assert [m.entry.ipa for m in gb_first.find("tomato")] == ["təˈmɑːtəʊ"]
    assert [m.entry.ipa for m in us_first.find("tomato")] == ["təˈmeɪtoʊ"]


def test_concurrent_writers_from_threads(store: Store) -> None:
    lexicons = LexiconStore(store)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for round_ in range(5):
                content = b'{"w%d": "r%d"}' % (worker, round_)
                lexicons.put("contested", content, "application/json")
                lexicons.put(f"own-{worker}", content, "application/json")
                lexicons.get("contested")
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(lexicons.list()) == 7
    assert lexicons.get("contested").entries[0].alias == "r4"


def test_processes_starting_together_on_a_new_database(database_url: str) -> None:
    barrier = threading.Barrier(4)
    opened: list[Store] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            opened.append(Store.open(database_url))
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        LexiconStore(opened[0]).put("x", JSON, None)
        assert [i.name for i in LexiconStore(opened[-1]).list()] == ["x"]
    finally:
        Base.metadata.drop_all(opened[0].engine)
        for store in opened:
            store.close()


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'mynah.db'}")
    try:
        with store.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA busy_timeout")).scalar() > 0
    finally:
        store.close()
    assert (tmp_path / "deep" / "dir" / "mynah.db").is_file()


def test_in_memory_sqlite_works_across_sessions() -> None:
    store = Store.open("sqlite://")
    try:
        lexicons = LexiconStore(store)
        lexicons.put("m", PLS, None)
        assert LexiconStore(store).get("m").language == "en-GB"
    finally:
        store.close()


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = Store.open(database_url(settings))
    try:
        assert store.dialect == "sqlite"
        assert (tmp_path / "mynah.db").is_file()
    finally:
        store.close()
    assert (
        database_url(Settings(data_dir=tmp_path, database_url="postgresql://u@h/d")) == "postgresql://u@h/d"
    )


@pytest.mark.parametrize(
    ("url", "error", "words"),
    [
        ("not a url", InvalidRequest, "database URL"),
        ("mysql://u@localhost/db", InvalidRequest, "not supported"),
        ("postgresql://nobody:secret@127.0.0.1:1/none", EngineUnavailable, "cannot open the database"),
    ],
)
def test_bad_database_urls(url: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words) as caught:
        Store.open(url)
    assert "secret" not in str(caught.value)
