"""Database failure modes (the Resilience Under Load page): a PostgreSQL deadlock victim retried,
and a damaged SQLite file found by PRAGMA integrity_check before it serves wrong answers."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg import errors, pq

T = TypeVar("T")


# --8<-- [start:deadlock_retry]
def run_retrying_deadlocks(
    conn: psycopg.Connection,
    work: Callable[[psycopg.Connection], T],
    attempts: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run work(conn) as one transaction. When PostgreSQL picks this transaction as a
    deadlock victim (SQLSTATE 40P01), it has already rolled it back: nothing was written,
    so running it again is safe, provided work does nothing outside the database (an
    e-mail or an HTTP call would be repeated). Any other error goes to the caller."""
    if conn.info.transaction_status != pq.TransactionStatus.IDLE:
        # Inside a transaction, conn.transaction() is only a SAVEPOINT: the rows locked
        # before it stay locked, and every retry would meet the same deadlock.
        raise ValueError("call outside a transaction: a retry must start a new one")
    for attempt in range(1, attempts + 1):
        try:
            with conn.transaction():  # BEGIN ... COMMIT, or ROLLBACK on an exception
                return work(conn)
        except errors.DeadlockDetected:
            if attempt == attempts:
                raise
        # Retried at once, the victim can grab its first row again before the survivor
        # wakes up to take it, and the same deadlock repeats. A short random pause lets
        # the survivor finish first.
        sleep(random.uniform(0.01, 0.05) * attempt)
    raise ValueError("attempts must be at least 1")


# --8<-- [end:deadlock_retry]


# --8<-- [start:integrity_check]
def integrity_problems(path: str | Path) -> list[str]:
    """What PRAGMA integrity_check finds wrong in an SQLite file; [] means it is sound.
    The file is opened read-only (mode=ro), so a check never changes or creates it. A file
    too damaged to read at all, or not a database, is one problem, not an exception."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block, /dev/zero looks empty
        return ["not a regular file"]
    if path.is_file() and path.stat().st_size == 0:  # SQLite calls it a sound, empty db
        return ["empty file: not a backup"]
    uri = path.resolve().as_uri() + "?mode=ro"  # as_uri escapes ?, # and % in names
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:  # missing file, no permission
        return [f"cannot open: {exc}"]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
        return [str(exc)]
    finally:
        conn.close()
    found = [row[0] for row in rows]
    return [] if found == ["ok"] else found


# --8<-- [end:integrity_check]
