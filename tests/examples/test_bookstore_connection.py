"""bookstore.db.connection: several instances opening one new database file at once, and a
busy database under load answered with 503 and Retry-After instead of a 500."""

from __future__ import annotations

import sqlite3
import threading
from functools import partial

import pytest
from bookstore.api import deps
from bookstore.db.connection import connect, is_busy


def hold_write_lock(path: str) -> sqlite3.Connection:
    """Another connection in the middle of a write transaction on `path`."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # RESERVED lock: the file's first writer
    return other


def test_wal_waits_for_a_new_file_another_connection_is_setting_up(tmp_path):
    """Regression: switching a new file to WAL needs an exclusive lock, and SQLite does not
    wait for it even with busy_timeout; connect() failed at once with "database is locked"
    while another instance was creating the same file."""
    path = str(tmp_path / "new.db")
    other = hold_write_lock(path)
    threading.Timer(0.2, other.rollback).start()  # the other instance finishes soon
    conn = connect(path)  # used to raise sqlite3.OperationalError at once
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    other.close()


def test_two_instances_open_the_same_new_file_at_once(tmp_path):
    """The race as it happens: two threads call connect() on a new path together (it failed
    in about 1 of 70 tries before the fix; 100 tries here)."""
    failures = []

    def open_and_close(path: str, start: threading.Barrier) -> None:
        start.wait()
        try:
            connect(path).close()
        except sqlite3.Error as exc:
            failures.append(exc)

    for attempt in range(100):
        path, start = str(tmp_path / f"new-{attempt}.db"), threading.Barrier(2)
        threads = [threading.Thread(target=open_and_close, args=(path, start)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_wal_still_gives_up_when_the_lock_is_never_released(tmp_path):
    path = str(tmp_path / "stuck.db")
    other = hold_write_lock(path)
    with pytest.raises(sqlite3.OperationalError, match="database is locked") as error:
        connect(path, busy_timeout_ms=50)  # bounded: the retries stop after about 50 ms
    assert is_busy(error.value)
    other.rollback()
    other.close()


def test_only_lock_errors_count_as_busy(tmp_path):
    conn = connect(str(tmp_path / "db.sqlite"))
    with pytest.raises(sqlite3.OperationalError) as error:
        conn.execute("SELECT * FROM no_such_table")
    assert not is_busy(error.value)  # a bug, not a busy database: that stays a 500
    assert not is_busy(sqlite3.OperationalError("database is locked"))  # no code: not ours
    conn.close()


# --8<-- [start:busy_database_test]
def test_a_locked_database_is_a_503_with_retry_after(client, settings, log_in, monkeypatch):
    headers = log_in("sibuk@example.com")
    # Requests give up on a lock after 0.1 s instead of 5 s, so the test is quick.
    monkeypatch.setattr(deps, "connect", partial(connect, busy_timeout_ms=100))
    other = connect(settings.database)
    other.execute("BEGIN IMMEDIATE")  # a long write holds the only write lock
    try:
        order = {"items": [{"book_id": 1, "quantity": 1}]}
        busy = client.post("/api/v1/orders", json=order, headers=headers)
    finally:
        other.execute("ROLLBACK")
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    assert busy.headers["Content-Type"] == "application/problem+json"
    assert busy.json()["type"].endswith("/database-busy")
    assert "locked" not in busy.text  # no SQLite message for the client
    again = client.post("/api/v1/orders", json=order, headers=headers)
    assert again.status_code == 201  # nothing was written: the retry is safe


# --8<-- [end:busy_database_test]


def test_other_database_errors_stay_a_500_without_details(client, tmp_path, monkeypatch):
    empty = str(tmp_path / "empty.db")  # no tables: "no such table: books" is a bug, not load
    monkeypatch.setattr(deps, "connect", lambda path: connect(empty))
    response = client.get("/api/v1/books/2")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "Retry-After" not in response.headers
    assert "no such table" not in response.text
