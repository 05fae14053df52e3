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


def orders_missing_an_invoice(conn: sqlite3.Connection) -> list[int]:
    """Orders placed between 7 days and 1 hour ago that have no invoice and no invoice job
    recorded in the last hour. An hour is longer than every retry of a job (about 16
    minutes); an order older than 7 days without an invoice needs a person."""
    hour_ago = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hours')"
    rows = conn.execute(
        "SELECT o.id FROM orders AS o"
        f" WHERE o.created_at < {hour_ago}"
        " AND o.created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 days')"
        " AND NOT EXISTS (SELECT 1 FROM invoices AS i WHERE i.order_id = o.id)"
        " AND o.id NOT IN (SELECT json_extract(payload, '$.order_id') FROM outbox"
        f"  WHERE topic = 'invoice' AND json_valid(payload) AND created_at >= {hour_ago})"
        " ORDER BY o.id"
    )
    return [row["id"] for row in rows]
