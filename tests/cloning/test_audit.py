"""The audit chain on SQLite and PostgreSQL: whole after appends, and any one entry changed, deleted
or moved makes `verify` (and `mynah audit verify`) fail naming that entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mynah.cloning.audit import GENESIS, AuditLog
from mynah.store import Store
from mynah.store.models import Base
from tests.support import run_mynah


def _filled(store: Store, count: int = 5) -> AuditLog:
    log = AuditLog(store)
    for n in range(count):
        log.append(
            "voice.synthesis", key_id="key_a", voice_id="voice_1", details={"chars": n, "audio": f"h{n}"}
        )
    return log


def _sql(store: Store, statement: str) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql(statement)


def test_a_whole_chain_verifies_and_exports_in_order(store: Store) -> None:
    log = AuditLog(store)
    assert log.verify().ok and log.verify().head == GENESIS, "an empty log is whole"
    first = log.append("consent.issued", key_id="key_a", details={"challenge": "ch_1", "speaker": "Ada"})
    second = log.append("consent.refused", key_id="key_a", details={"reason": "wrong_code"})
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    report = log.verify()
    assert report.ok and report.entries == 2 and report.head == second.hash
    assert log.verify(expect_head=second.hash).ok
    lines = [json.loads(line) for line in log.export()]
    assert [e["seq"] for e in lines] == [1, 2]
    assert lines[1]["details"] == {"reason": "wrong_code"} and lines[1]["prev_hash"] == first.hash


@pytest.mark.parametrize(
    ("tamper", "bad_seq", "words"),
    [
        ('UPDATE audit_log SET details = \'{"chars":99,"audio":"h2"}\' WHERE seq = 3', 3, "contents"),
        ("UPDATE audit_log SET key_id = 'key_b' WHERE seq = 1", 1, "contents"),
        ("UPDATE audit_log SET event = 'voice.shared' WHERE seq = 4", 4, "contents"),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
        ("DELETE FROM audit_log WHERE seq = 5", 5, "missing"),
        ("DELETE FROM audit_log WHERE seq = 1", 1, "missing"),
    ],
)
def test_one_changed_or_deleted_entry_is_named(store: Store, tamper: str, bad_seq: int, words: str) -> None:
    log = _filled(store)
    assert log.verify().ok
    _sql(store, tamper)
    report = log.verify()
    assert not report.ok
    assert report.bad_seq == bad_seq, report.reason
    assert words in report.reason


def test_a_changed_hash_or_time_is_named(store: Store) -> None:
    log = _filled(store)
    _sql(store, "UPDATE audit_log SET hash = '" + "f" * 64 + "' WHERE seq = 2")
    report = log.verify()
    assert not report.ok and report.bad_seq == 2


def test_two_entries_swapped_are_named(store: Store) -> None:
    log = _filled(store)
    _sql(store, "UPDATE audit_log SET seq = 100 WHERE seq = 2")
    _sql(store, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    _sql(store, "UPDATE audit_log SET seq = 3 WHERE seq = 100")
    report = log.verify()
    assert not report.ok and report.bad_seq == 2 and "reordered" in report.reason


def test_a_rebuilt_chain_fails_against_a_head_kept_elsewhere(store: Store) -> None:
    log = _filled(store, 3)
    head = log.verify().head
    _sql(store, "DELETE FROM audit_log WHERE seq = 3")
    _sql(store, "UPDATE audit_head SET count = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)")
    assert log.verify().ok, "truncated consistently, the chain alone looks whole"
    report = log.verify(expect_head=head)
    assert not report.ok and "expected" in report.reason


def test_the_cli_verifies_names_the_bad_entry_and_exports(tmp_path: Path, database_url: str) -> None:
    opened = Store.open(database_url)
    try:
        _filled(opened, 4)
        ok = run_mynah("audit", "verify", cwd=tmp_path, MYNAH_DATABASE_URL=database_url)
        assert ok.returncode == 0, ok.stderr
        assert ok.stdout.startswith("ok: 4 entries")
        exported = run_mynah("audit", "export", cwd=tmp_path, MYNAH_DATABASE_URL=database_url)
        assert [json.loads(line)["seq"] for line in exported.stdout.splitlines()] == [1, 2, 3, 4]
        _sql(opened, "UPDATE audit_log SET details = '{}' WHERE seq = 3")
        bad = run_mynah("audit", "verify", "--json", cwd=tmp_path, MYNAH_DATABASE_URL=database_url)
        assert bad.returncode == 1
        assert json.loads(bad.stdout)["bad_seq"] == 3
        text_bad = run_mynah("audit", "verify", cwd=tmp_path, MYNAH_DATABASE_URL=database_url)
        assert "entry 3 (voice.synthesis" in text_bad.stderr
    finally:
        Base.metadata.drop_all(opened.engine)  # the PostgreSQL database outlives the test
        opened.close()
