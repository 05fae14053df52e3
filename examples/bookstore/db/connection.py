"""Opening SQLite connections with the settings every connection needs."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

BUSY_TIMEOUT_MS = 5000


# --8<-- [start:connect]
def connect(path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Open a connection in autocommit mode: transactions are begun explicitly."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # rows behave like read-only dicts
    conn.execute("PRAGMA foreign_keys = ON")  # SQLite leaves them off by default
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")  # wait for a lock, then fail
    use_wal(conn, busy_timeout_ms / 1000)  # readers do not block the writer
    return conn


# --8<-- [end:connect]


def use_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL, retrying for up to `timeout` seconds. The switch needs an exclusive
    lock, and SQLite does not wait for that one even with busy_timeout: while another
    connection is creating the same new file, it fails at once with "database is locked".
    Once a file is in WAL mode it stays so, and the pragma then succeeds at once."""
    deadline, pause = time.monotonic() + timeout, 0.001
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)  # 1, 2, 4 ... 100 ms: quick when it clears quickly


def is_busy(exc: sqlite3.Error) -> bool:
    """True for "database is locked" (SQLITE_BUSY) and "database table is locked"
    (SQLITE_LOCKED), extended codes included: another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


# --8<-- [start:transaction]
@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block as one write transaction: all of it is committed, or none of it.

    BEGIN IMMEDIATE takes the write lock at the start, so two transactions never
    read the same stock and both decide to sell the last copy.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        # A failed COMMIT (a deferred foreign key, a full disk) leaves the transaction
        # open, and with it the write lock: end it here too.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# --8<-- [end:transaction]
