"""SQL for stored responses of requests sent with an Idempotency-Key."""

from __future__ import annotations

import sqlite3

# --8<-- [start:key_lifetime]
# How long a stored answer is replayed; Stripe may prune keys after 24 hours too. Then
# the key is forgotten: it starts a new order, and the hourly sweep deletes the row.
LIFETIME = "24 hours"
CUTOFF = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?)"  # created_at before this: expired


def find(conn: sqlite3.Connection, user_id: int, key: str) -> sqlite3.Row | None:
    """The stored answer for this user's key, unless it has expired."""
    return conn.execute(
        "SELECT request_hash, status_code, response FROM idempotency_keys"
        f" WHERE user_id = ? AND key = ? AND created_at >= {CUTOFF}",
        (user_id, key, LIFETIME),
    ).fetchone()


def save(
    conn: sqlite3.Connection, user_id: int, key: str, request_hash: str, status: int, body: str
) -> None:
    """Store the answer. A row already there has expired (find() saw none): replace it."""
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET"
        " request_hash = excluded.request_hash, status_code = excluded.status_code,"
        " response = excluded.response, created_at = excluded.created_at",
        (user_id, key, request_hash, status, body),
    )


def purge_expired(conn: sqlite3.Connection) -> int:
    """Delete every expired answer (idx_idempotency_keys_created_at serves it)."""
    return conn.execute(
        f"DELETE FROM idempotency_keys WHERE created_at < {CUTOFF}", (LIFETIME,)
    ).rowcount


# --8<-- [end:key_lifetime]
