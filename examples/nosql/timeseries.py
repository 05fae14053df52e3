"""Time-series data in plain SQL (SQLite): time buckets, a roll-up and retention.

What TimescaleDB's time_bucket, continuous aggregates and retention policies do for you, and
what InfluxDB 3's date_bin does, written out by hand so that each step can be tested here.
Timestamps are whole seconds since the Unix epoch, in UTC. STRICT tables need SQLite 3.37+.
"""

from __future__ import annotations

import sqlite3

# --8<-- [start:schema]
SCHEMA = """
CREATE TABLE IF NOT EXISTS latency (  -- STRICT: 1.5 or 'abc' in ts is an error, not stored
    ts    INTEGER NOT NULL CHECK (ts >= 0),  -- when the request finished, Unix seconds (UTC)
    route TEXT    NOT NULL,
    ms    REAL    NOT NULL CHECK (ms BETWEEN 0 AND 86400000)  -- at most a day; refuses inf
) STRICT;
CREATE INDEX IF NOT EXISTS latency_route_ts ON latency (route, ts);
CREATE TABLE IF NOT EXISTS latency_1m (  -- the roll-up: one row per route and minute
    route    TEXT    NOT NULL,
    minute   INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    sum_ms   REAL    NOT NULL,  -- a sum and a count merge; an average does not
    max_ms   REAL    NOT NULL,
    PRIMARY KEY (route, minute)
) STRICT;
"""
# --8<-- [end:schema]


LAST_SECOND = 253_402_300_799  # 9999-12-31 23:59:59 UTC; far inside SQLite's 64-bit integers


def _seconds(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LAST_SECOND:
        raise ValueError(f"{name} must be a whole number of Unix seconds, 0-{LAST_SECOND}")
    return value


# --8<-- [start:buckets]
def per_minute(conn: sqlite3.Connection, route: str, since: int, until: int) -> list[tuple]:
    """Requests, average and maximum latency per minute in [since, until), raw rows only."""
    if not isinstance(route, str) or not 1 <= len(route) <= 200:
        raise ValueError("route must be a string of 1-200 characters")
    if _seconds("since", since) >= _seconds("until", until):
        raise ValueError("since must be before until")
    return conn.execute(
        "SELECT ts - ts % 60 AS minute, COUNT(*), ROUND(AVG(ms), 1), MAX(ms)"
        " FROM latency WHERE route = ? AND ts >= ? AND ts < ?"
        " GROUP BY minute ORDER BY minute",
        (route, since, until),
    ).fetchall()


# --8<-- [end:buckets]


# --8<-- [start:rollup]
def roll_up(conn: sqlite3.Connection, before: int) -> int:
    """Fold raw rows older than `before` into per-minute rows, then delete them (retention)."""
    if _seconds("before", before) % 60:
        raise ValueError("before must fall on a whole minute")
    if conn.in_transaction:  # BEGIN inside a transaction fails; a caller's COMMIT would be ours
        raise ValueError("roll_up runs its own transaction: commit or roll back first")
    # Begun explicitly: `with conn:` alone does not open a transaction on an autocommit
    # connection (isolation_level=None, as db.connection opens them), and each statement
    # would then commit on its own.
    conn.execute("BEGIN IMMEDIATE")  # takes the write lock now, before reading
    try:
        conn.execute(
            "INSERT INTO latency_1m (route, minute, requests, sum_ms, max_ms)"
            " SELECT route, ts - ts % 60, COUNT(*), SUM(ms), MAX(ms) FROM latency"
            " WHERE ts < ? GROUP BY route, ts - ts % 60 ORDER BY 1, 2"
            " ON CONFLICT (route, minute) DO UPDATE SET"  # a late row for a rolled-up minute
            " requests = requests + excluded.requests, sum_ms = sum_ms + excluded.sum_ms,"
            " max_ms = MAX(max_ms, excluded.max_ms)",
            (before,),
        )
        deleted = conn.execute("DELETE FROM latency WHERE ts < ?", (before,)).rowcount
        conn.execute("COMMIT")  # both steps, or (below) neither
    except BaseException:
        if conn.in_transaction:  # some errors (SQLITE_FULL ...) have rolled back already
            conn.execute("ROLLBACK")
        raise
    return deleted


# --8<-- [end:rollup]
