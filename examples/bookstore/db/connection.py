"""Opening SQLite connections with the settings every connection needs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


# --8<-- [start:connect]
def connect(path: str) -> sqlite3.Connection:
    """Open a connection in autocommit mode: transactions are begun explicitly."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # rows behave like read-only dicts
    conn.execute("PRAGMA foreign_keys = ON")  # SQLite leaves them off by default
    conn.execute("PRAGMA busy_timeout = 5000")  # wait up to 5 s for a lock, then fail
    conn.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer
    return conn


# --8<-- [end:connect]


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
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --8<-- [end:transaction]
