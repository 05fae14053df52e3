"""SQL for invoices: at most one per order."""

from __future__ import annotations

import sqlite3


def number_of(conn: sqlite3.Connection, order_id: int) -> int | None:
    row = conn.execute("SELECT number FROM invoices WHERE order_id = ?", (order_id,)).fetchone()
    return None if row is None else row["number"]


def insert_once(conn: sqlite3.Connection, order_id: int, body: str) -> bool:
    """Store the invoice of an order unless it has one; True if this call stored it."""
    cursor = conn.execute(
        "INSERT INTO invoices (order_id, body) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING",
        (order_id, body),
    )
    return cursor.rowcount == 1


def titles_of(conn: sqlite3.Connection, book_ids: list[int]) -> dict[int, str]:
    """{book id: title} in ONE query (an IN list)."""
    placeholders = ", ".join("?" for _ in book_ids)  # only "?" marks, never values
    rows = conn.execute(
        f"SELECT id, title FROM books WHERE id IN ({placeholders})", book_ids
    ).fetchall()
    return {row["id"]: row["title"] for row in rows}


HOUR_AGO = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hours')"
WEEK_AGO = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 days')"
# Order ids of the invoice jobs that may still run: unsent (the worker is stopped, or the
# relay is behind) or recorded in the last hour. `IS NOT NULL` matters: a single NULL in
# the list (a row whose JSON has no order_id) makes `NOT IN` unknown for every order,
# and the sweep would find nothing. Not a correlated NOT EXISTS either: no index covers
# json_extract(payload), so SQLite would scan the outbox once per order (100,000 orders
# after Redis lost their jobs: minutes), while this list is built once and hashed.
JOBS_THAT_MAY_STILL_RUN = (
    "SELECT json_extract(payload, '$.order_id') FROM outbox"
    " WHERE topic = 'invoice' AND json_valid(payload)"
    " AND json_extract(payload, '$.order_id') IS NOT NULL"
    f" AND (sent_at IS NULL OR created_at >= {HOUR_AGO})"
)


def orders_missing_an_invoice(conn: sqlite3.Connection) -> list[int]:
    """Orders placed between 7 days and 1 hour ago that have no invoice and no invoice job
    that may still run. An hour is longer than every retry of a job (about 16 minutes),
    not longer than every backlog: a job sent to Redis an hour ago and still waiting there
    looks lost, and its order gets one more job per hour (harmless: make_invoice is
    idempotent)."""
    rows = conn.execute(
        "SELECT o.id FROM orders AS o"
        f" WHERE o.created_at < {HOUR_AGO} AND o.created_at >= {WEEK_AGO}"
        " AND NOT EXISTS (SELECT 1 FROM invoices AS i WHERE i.order_id = o.id)"
        f" AND o.id NOT IN ({JOBS_THAT_MAY_STILL_RUN})"
        " ORDER BY o.id"
    )
    return [row["id"] for row in rows]
