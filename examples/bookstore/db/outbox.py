"""SQL for the transactional outbox: jobs recorded with the data change that needs them."""

from __future__ import annotations

import json
import sqlite3


def add(conn: sqlite3.Connection, topic: str, payload: dict) -> int:
    """Record a job. Call it inside the transaction of the change it belongs to."""
    return conn.execute(
        "INSERT INTO outbox (topic, payload) VALUES (?, ?)", (topic, json.dumps(payload))
    ).lastrowid


def unsent(conn: sqlite3.Connection, limit: int) -> list[sqlite3.Row]:
    """The oldest jobs not yet on the queue (the partial index idx_outbox_unsent serves it)."""
    return conn.execute(
        "SELECT id, topic, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?",
        (limit,),
    ).fetchall()


def mark_sent(conn: sqlite3.Connection, ids: list[int]) -> None:
    placeholders = ", ".join("?" for _ in ids)  # only "?" marks, never values
    conn.execute(
        "UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        f" WHERE id IN ({placeholders})",
        ids,
    )
