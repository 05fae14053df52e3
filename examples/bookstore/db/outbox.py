"""SQL for the transactional outbox: jobs recorded with the data change that needs them."""

from __future__ import annotations

import json
import sqlite3


def add(conn: sqlite3.Connection, topic: str, payload: dict) -> int:
    """Record a job. Call it inside the transaction of the change it belongs to."""
    return conn.execute(
        "INSERT INTO outbox (topic, payload) VALUES (?, ?)", (topic, json.dumps(payload))
    ).lastrowid


# --8<-- [start:claim]
NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"  # UTC text, sorts like the instants
CLAIM_SECONDS = 30  # a relay that has not marked its rows sent by then is taken to be dead
UNCLAIMED = f"sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < {NOW})"


def claim(conn: sqlite3.Connection, limit: int) -> list[sqlite3.Row]:
    """Claim the oldest unsent rows that no other relay holds; returns them oldest first.

    The UPDATE checks the condition again as it claims, and SQLite runs one write at a
    time, so two relays never get the same row. A claim runs out after CLAIM_SECONDS."""
    ids = [
        row["id"]  # a read first: an idle relay does not take the write lock every round
        for row in conn.execute(
            f"SELECT id FROM outbox WHERE {UNCLAIMED} ORDER BY id LIMIT ?", (limit,)
        )
    ]
    if not ids:
        return []
    placeholders = ", ".join("?" for _ in ids)  # only "?" marks, never values
    rows = conn.execute(
        "UPDATE outbox SET claimed_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"
        f" WHERE id IN ({placeholders}) AND {UNCLAIMED} RETURNING id, topic, payload",
        [f"+{CLAIM_SECONDS} seconds", *ids],
    ).fetchall()
    return sorted(rows, key=lambda row: row["id"])  # RETURNING promises no order


# --8<-- [end:claim]


def release(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Give claimed rows back at once (Redis refused them), instead of after the claim."""
    placeholders = ", ".join("?" for _ in ids)
    conn.execute(f"UPDATE outbox SET claimed_until = NULL WHERE id IN ({placeholders})", ids)


def mark_sent(conn: sqlite3.Connection, ids: list[int]) -> None:
    placeholders = ", ".join("?" for _ in ids)  # only "?" marks, never values
    conn.execute(f"UPDATE outbox SET sent_at = {NOW} WHERE id IN ({placeholders})", ids)


def purge_sent(conn: sqlite3.Connection, days: int = 7) -> int:
    """Delete rows sent more than `days` ago (kept that long to look into a lost job)."""
    return conn.execute(
        "DELETE FROM outbox WHERE sent_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)",
        (f"-{int(days)} days",),
    ).rowcount
