"""Database failure modes (examples/resilience/db_failures.py and the bookstore's problem
handlers): a PostgreSQL deadlock detected and its victim retried, a full disk answered 503,
and a damaged SQLite file found by PRAGMA integrity_check. PostgreSQL runs once per module."""

from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from bookstore.api import deps
from bookstore.db.connection import connect
from fastapi.testclient import TestClient
from pg_support import Cluster, pg_cluster
from psycopg import errors
from resilience.db_failures import integrity_problems, run_retrying_deadlocks


@pytest.fixture(scope="module")
def server():
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture
def shelves(server: Cluster):
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute("DROP TABLE IF EXISTS shelves")
        admin.execute("CREATE TABLE shelves (id int PRIMARY KEY, copies int NOT NULL)")
        admin.execute("INSERT INTO shelves VALUES (1, 10), (2, 10)")
        yield admin


# --8<-- [start:deadlock_test]
def move_one_copy(barrier: threading.Barrier | None, source: int, target: int):
    """Work for one transaction: lock `source`, wait until the other transaction has
    locked its own first row, then ask for `target`, the row the other one holds."""

    def work(conn: psycopg.Connection) -> None:
        conn.execute("UPDATE shelves SET copies = copies - 1 WHERE id = %s", (source,))
        if barrier is not None:  # only the first attempt meets the other transaction
            barrier.wait(timeout=10)
        conn.execute("UPDATE shelves SET copies = copies + 1 WHERE id = %s", (target,))

    return work


def test_opposite_lock_order_deadlocks_and_the_victim_gets_40p01(server, shelves):
    barrier, failures = threading.Barrier(2), []

    def transfer(source: int, target: int) -> None:
        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute("SET deadlock_timeout = '100ms'")  # default 1 s; check sooner
            try:
                with conn.transaction():
                    move_one_copy(barrier, source, target)(conn)
            except errors.DeadlockDetected as exc:
                failures.append(exc)

    threads = [threading.Thread(target=transfer, args=pair) for pair in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(failures) == 1  # PostgreSQL breaks the cycle by aborting ONE transaction
    assert failures[0].sqlstate == "40P01"
    assert "deadlock detected" in str(failures[0])
    total = shelves.execute("SELECT sum(copies) FROM shelves").fetchone()[0]
    assert total == 20  # the survivor moved a copy; the victim changed nothing


# --8<-- [end:deadlock_test]


# --8<-- [start:deadlock_retry_test]
def test_the_retried_victim_succeeds_and_both_moves_count(server, shelves):
    barrier, attempts = threading.Barrier(2), {1: 0, 2: 0}

    def transfer(source: int, target: int) -> None:
        def counted(conn):
            attempts[source] += 1
            first = barrier if attempts[source] == 1 else None
            return move_one_copy(first, source, target)(conn)

        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute("SET deadlock_timeout = '100ms'")
            run_retrying_deadlocks(conn, counted)

    threads = [threading.Thread(target=transfer, args=pair) for pair in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    survivor, victim = sorted(attempts.values())
    assert survivor == 1 and victim >= 2  # one went through, the victim ran again
    rows = shelves.execute("SELECT copies FROM shelves ORDER BY id").fetchall()
    assert rows == [(10,), (10,)]  # 1 -> 2 and 2 -> 1 both happened


# --8<-- [end:deadlock_retry_test]


# --8<-- [start:deadlock_ordered]
def move_one_copy_ordered(source: int, target: int):
    """The lasting fix: lock both rows in one order (lower id first) before changing
    either, so two transfers queue behind each other instead of waiting in a cycle."""

    def work(conn: psycopg.Connection) -> None:
        ids = sorted((source, target))
        conn.execute("SELECT id FROM shelves WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (ids,))
        conn.execute("UPDATE shelves SET copies = copies - 1 WHERE id = %s", (source,))
        conn.execute("UPDATE shelves SET copies = copies + 1 WHERE id = %s", (target,))

    return work


def test_locking_in_one_order_does_not_deadlock(server, shelves):
    first_in, failures = threading.Event(), []

    def transfer(source: int, target: int, lead: bool) -> None:
        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute("SET deadlock_timeout = '100ms'")
            try:
                with conn.transaction():
                    if not lead:
                        first_in.wait(timeout=10)  # start while the other holds both rows
                    move_one_copy_ordered(source, target)(conn)
                    if lead:
                        first_in.set()
            except errors.DeadlockDetected as exc:
                failures.append(exc)

    args = ((1, 2, True), (2, 1, False))
    threads = [threading.Thread(target=transfer, args=a) for a in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []  # no 40P01: the second transfer waited, then ran
    rows = shelves.execute("SELECT copies FROM shelves ORDER BY id").fetchall()
    assert rows == [(10,), (10,)]  # both moves counted


# --8<-- [end:deadlock_ordered]


def test_other_errors_are_not_retried(server, shelves):
    calls = []

    def broken(conn):
        calls.append(1)
        conn.execute("UPDATE shelves SET copies = -1 / 0")

    with (
        psycopg.connect(server.conninfo(), autocommit=True) as conn,
        pytest.raises(errors.DivisionByZero),
    ):
        run_retrying_deadlocks(conn, broken)
    assert calls == [1]


def fill_up(path: str) -> None:
    """Cap the file at its current size (PRAGMA max_page_count), then add short users until
    SQLite answers SQLITE_FULL: no page has room for another user row."""
    conn = connect(path)
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    try:
        for n in range(1000):  # a 4 KiB page holds a few dozen; the cap is only a guard
            conn.execute("INSERT INTO users (email, password_hash) VALUES (?, 'x')", (f"{n}",))
    except sqlite3.OperationalError as exc:
        assert exc.sqlite_errorcode == sqlite3.SQLITE_FULL
    finally:
        conn.close()


# --8<-- [start:disk_full_test]
@pytest.fixture
def full_disk_client(app, settings):
    """The app on a "full disk": every request's connection is capped at the file's size,
    so a write that needs a new page gets SQLITE_FULL ("database or disk is full"), the
    same error SQLite gives when the file system has no free block."""

    def get_full_db():
        conn = connect(settings.database)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {int(pages)}")
        try:
            yield conn
        finally:
            conn.close()

    with TestClient(app, base_url="https://testserver") as client:  # migrate, seed first
        fill_up(settings.database)
        app.dependency_overrides[deps.get_db] = get_full_db
        yield client


def test_a_full_disk_is_a_503_problem_not_a_500(full_disk_client, caplog):
    credentials = {"email": "eka@example.com", "password": "correct horse battery staple"}
    response = full_disk_client.post("/api/v1/users", json=credentials)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "https://bookstore.example/problems/storage-unavailable"
    assert "disk" not in response.text  # the cause goes to the log, not to the client
    assert "SQLITE_FULL" not in response.text
    assert [r.sqlite_error for r in caplog.records if hasattr(r, "sqlite_error")] == ["SQLITE_FULL"]
    assert full_disk_client.get("/api/v1/books/1").status_code == 200  # reads still work


# --8<-- [end:disk_full_test]


def test_a_read_only_database_is_a_503_problem(app, settings, caplog):
    def get_read_only_db():
        conn = connect(settings.database)
        conn.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on every write
        try:
            yield conn
        finally:
            conn.close()

    with TestClient(app, base_url="https://testserver") as client:
        app.dependency_overrides[deps.get_db] = get_read_only_db
        credentials = {"email": "eka@example.com", "password": "correct horse battery staple"}
        response = client.post("/api/v1/users", json=credentials)
    assert response.status_code == 503
    assert response.json()["type"] == "https://bookstore.example/problems/storage-unavailable"
    assert "READONLY" not in response.text
    logged = [r.sqlite_error for r in caplog.records if hasattr(r, "sqlite_error")]
    assert logged == ["SQLITE_READONLY"]  # the operator learns which condition to fix


def test_extended_full_and_read_only_codes_count_as_out_of_storage():
    from bookstore.api.problems import is_out_of_storage

    def error(code: int) -> sqlite3.Error:
        exc = sqlite3.OperationalError("x")
        exc.sqlite_errorcode = code
        return exc

    assert is_out_of_storage(error(1032))  # SQLITE_READONLY_DBMOVED, an extended code
    assert is_out_of_storage(error(sqlite3.SQLITE_FULL))
    assert not is_out_of_storage(error(sqlite3.SQLITE_IOERR))  # disk I/O error: a 500
    assert not is_out_of_storage(error(10 | 13 << 8))  # an extended IOERR code


# --8<-- [start:integrity_test]
def damaged_copy(tmp_path):
    """A shop file with an index, then 16 bytes of its last page (an index page)
    overwritten, as a failing disk or a bad copy might."""
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, stock INT)")
    conn.execute("CREATE INDEX books_title ON books (title)")
    rows = [(f"Book {n:04} " * 5, n) for n in range(400)]
    conn.executemany("INSERT INTO books (title, stock) VALUES (?, ?)", rows)
    conn.commit()
    conn.close()
    assert integrity_problems(path) == []  # sound before the damage
    data = bytearray(path.read_bytes())
    data[-200:-184] = b"\xff" * 16
    path.write_bytes(data)
    return path


def test_integrity_check_finds_the_damage(tmp_path):
    problems = integrity_problems(damaged_copy(tmp_path))
    assert problems  # PRAGMA integrity_check no longer answers "ok"
    assert any("books_title" in problem for problem in problems)


# --8<-- [end:integrity_test]


@pytest.mark.parametrize(
    "content", [None, b"", b"not a database at all " * 100, b"SQLite format 3\x00" + b"\xff" * 84]
)
def test_hostile_files_are_problems_not_exceptions(tmp_path, content):
    path = tmp_path / "odd?name#%.db"
    if content is not None:
        path.write_bytes(content)
    problems = integrity_problems(path)
    assert problems and all(isinstance(p, str) for p in problems)
    if content == b"":  # SQLite would call an empty file a sound, empty database
        assert problems == ["empty file: not a backup"]
    assert path.exists() == (content is not None)  # read-only: nothing was created


@pytest.mark.timeout(20, method="thread")  # a blocked open() ignores SIGALRM
def test_fifos_devices_and_directories_are_refused_without_opening_them(tmp_path):
    import os

    fifo = tmp_path / "backup.db"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    for path in (fifo, "/dev/zero", "/dev/null", tmp_path):
        assert integrity_problems(path) == ["not a regular file"]


def test_a_retry_helper_refuses_a_connection_already_in_a_transaction(server, shelves):
    with psycopg.connect(server.conninfo()) as conn:  # autocommit off: BEGIN is implicit
        conn.execute("SELECT 1")  # now inside a transaction: a retry would be a savepoint
        calls = []
        with pytest.raises(ValueError, match="outside a transaction"):
            run_retrying_deadlocks(conn, lambda c: calls.append(1))
        assert calls == []
