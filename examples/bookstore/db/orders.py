"""SQL for orders and their items."""

from __future__ import annotations

import sqlite3

MAX_ID = 2**63 - 1  # the largest INTEGER SQLite stores: "id <= MAX_ID" holds for every order


def insert_order(
    conn: sqlite3.Connection, user_id: int, total_cents: int, items: list[tuple[int, int, int]]
) -> int:
    """Insert an order and its (book_id, quantity, unit_price_cents) items; returns its id."""
    order_id = conn.execute(
        "INSERT INTO orders (user_id, total_cents) VALUES (?, ?)", (user_id, total_cents)
    ).lastrowid
    rows = ", ".join("(?, ?, ?, ?)" for _ in items)  # one INSERT for every item
    conn.execute(
        f"INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents) VALUES {rows}",
        [value for book_id, qty, price in items for value in (order_id, book_id, qty, price)],
    )
    return order_id


def get_order(conn: sqlite3.Connection, order_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, user_id, status, total_cents, created_at FROM orders WHERE id = ?",
        (order_id,),
    ).fetchone()


def get_items(conn: sqlite3.Connection, order_ids: list[int]) -> list[sqlite3.Row]:
    """Items of several orders in ONE query (an IN list), not one query per order."""
    placeholders = ", ".join("?" for _ in order_ids)  # only "?" marks, never values
    return conn.execute(
        "SELECT order_id, book_id, quantity, unit_price_cents FROM order_items"
        f" WHERE order_id IN ({placeholders}) ORDER BY order_id, book_id",
        order_ids,
    ).fetchall()


# --8<-- [start:orders_of_user]
def orders_of_user(conn: sqlite3.Connection, user_id: int, limit: int = 50) -> list[sqlite3.Row]:
    """This user's orders, newest first; served by the index idx_orders_user_id."""
    return conn.execute(
        "SELECT id, user_id, status, total_cents, created_at FROM orders"
        " WHERE user_id = ? ORDER BY id DESC LIMIT ?",
        (user_id, limit),
    ).fetchall()


# --8<-- [end:orders_of_user]


def orders_placed_between(
    conn: sqlite3.Connection,
    user_id: int,
    start: str,
    end: str,
    before_id: int | None = None,
    limit: int = 50,
) -> list[sqlite3.Row]:
    """This user's orders with start <= created_at < end, newest first; with before_id,
    only the orders older than that one (the next page). start and end are UTC text in
    the stored shape (api/timestamps.py), which sorts like the instants."""
    return conn.execute(
        "SELECT id, user_id, status, total_cents, created_at FROM orders"
        " WHERE user_id = ? AND created_at >= ? AND created_at < ? AND id <= ?"
        " ORDER BY id DESC LIMIT ?",
        (user_id, start, end, MAX_ID if before_id is None else before_id - 1, limit),
    ).fetchall()


def mark_paid(conn: sqlite3.Connection, order_id: int) -> bool:
    cursor = conn.execute(
        "UPDATE orders SET status = 'paid' WHERE id = ? AND status = 'pending'", (order_id,)
    )
    return cursor.rowcount == 1
