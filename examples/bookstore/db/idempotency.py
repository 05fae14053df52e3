"""SQL for stored responses of requests sent with an Idempotency-Key."""

from __future__ import annotations

import sqlite3


def find(conn: sqlite3.Connection, user_id: int, key: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT request_hash, status_code, response FROM idempotency_keys"
        " WHERE user_id = ? AND key = ?",
        (user_id, key),
    ).fetchone()


def save(
    conn: sqlite3.Connection, user_id: int, key: str, request_hash: str, status: int, body: str
) -> None:
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)"
        " VALUES (?, ?, ?, ?, ?)",
        (user_id, key, request_hash, status, body),
    )
