"""Placing orders: stock, money and idempotency, in one database transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db import idempotency as idempotency_db
from bookstore.db import orders as orders_db
from bookstore.db import outbox
from bookstore.db.connection import transaction
from bookstore.services.errors import IdempotencyKeyReused, NotFound, OutOfStock
from bookstore.services.pricing import CURRENCY, from_cents, order_total, to_cents


# --8<-- [start:place_order]
def place_order(
    conn: sqlite3.Connection, cache: TTLCache, user_id: int, lines: list[tuple[int, int]]
) -> dict:
    """Order (book_id, quantity) lines: every copy is reserved, or none is."""
    with transaction(conn):  # BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error
        order_id = _reserve_and_record(conn, user_id, lines)
        outbox.add(conn, "invoice", {"order_id": order_id})  # the job commits with the order
    _forget_cached_books(cache, lines)  # after COMMIT: the stock has changed
    return get_order(conn, order_id)


# --8<-- [end:place_order]


# --8<-- [start:reserve_and_record]
def _reserve_and_record(
    conn: sqlite3.Connection, user_id: int, lines: list[tuple[int, int]]
) -> int:
    """Take the stock and insert the order. Call it inside a transaction only.
    The same four statements for 1 line or 20: no query inside a loop (no N+1)."""
    prices = books_db.prices_of(conn, [book_id for book_id, _ in lines])
    for book_id, _ in lines:
        if book_id not in prices:
            raise NotFound(f"Book {book_id} does not exist.")
    taken = books_db.take_stock_of_lines(conn, lines)  # one UPDATE for every line
    for book_id, _ in lines:
        if book_id not in taken:
            raise OutOfStock(book_id)  # the rollback puts back the copies taken
    items = [(book_id, quantity, prices[book_id]) for book_id, quantity in lines]
    total = order_total([(from_cents(price), qty) for _, qty, price in items])
    return orders_db.insert_order(conn, user_id, to_cents(total), items)


# --8<-- [end:reserve_and_record]


# --8<-- [start:idempotent_order]
def place_order_once(
    conn: sqlite3.Connection,
    cache: TTLCache,
    user_id: int,
    lines: list[tuple[int, int]],
    key: str,
) -> tuple[dict, bool]:
    """Like place_order, but a retry with the same Idempotency-Key gets the first
    answer back instead of placing a second order. Returns (order, replayed).

    Only a placed order is stored, and for 24 hours (db/idempotency.py). A refused
    attempt (404, 409 out of stock) rolls back and stores nothing, so a retry with the
    same key runs again and may succeed once the stock is back."""
    request_hash = hashlib.sha256(json.dumps(sorted(lines)).encode()).hexdigest()
    # One transaction for the lookup, the order and the stored answer: a second
    # request with the same key waits at BEGIN IMMEDIATE, then finds the answer.
    with transaction(conn):
        stored = idempotency_db.find(conn, user_id, key)
        if stored is None:
            order = get_order(conn, _reserve_and_record(conn, user_id, lines))
            outbox.add(conn, "invoice", {"order_id": order["id"]})
            idempotency_db.save(conn, user_id, key, request_hash, 201, json.dumps(order))
    if stored is None:
        _forget_cached_books(cache, lines)
        return order, False
    if stored["request_hash"] != request_hash:
        raise IdempotencyKeyReused("This Idempotency-Key was used for a different order.")
    return json.loads(stored["response"]), True


# --8<-- [end:idempotent_order]


def _forget_cached_books(cache: TTLCache, lines: list[tuple[int, int]]) -> None:
    for book_id, _ in lines:
        cache.invalidate(("book", book_id))


def get_order(conn: sqlite3.Connection, order_id: int) -> dict:
    row = orders_db.get_order(conn, order_id)
    if row is None:
        raise NotFound(f"Order {order_id} does not exist.")
    return _order_views(conn, [row])[0]


def orders_of_user(conn: sqlite3.Connection, user_id: int, limit: int = 50) -> list[dict]:
    return _order_views(conn, orders_db.orders_of_user(conn, user_id, limit))


def orders_placed_between(
    conn: sqlite3.Connection,
    user_id: int,
    start: str,
    end: str,
    before_id: int | None = None,
    limit: int = 50,
) -> list[dict]:
    """The user's orders placed in [start, end), as UTC text in the stored shape, newest
    first; with before_id, only those older than that order."""
    rows = orders_db.orders_placed_between(conn, user_id, start, end, before_id, limit)
    return _order_views(conn, rows)


def _order_views(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict]:
    items: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if items:
        for item in orders_db.get_items(conn, list(items)):
            items[item["order_id"]].append(
                {
                    "book_id": item["book_id"],
                    "quantity": item["quantity"],
                    "unit_price": str(from_cents(item["unit_price_cents"])),
                }
            )
    return [
        {
            "id": row["id"],
            "user_id": row["user_id"],
            "status": row["status"],
            "total": str(from_cents(row["total_cents"])),
            "currency": CURRENCY,
            "items": items[row["id"]],
            "created_at": row["created_at"],
        }
        for row in rows
    ]
