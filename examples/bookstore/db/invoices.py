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
