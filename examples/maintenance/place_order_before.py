"""place_order before the Extract Function refactoring (kept for the characterization test).

bookstore.services.orders.place_order is the code after it: the middle of this function moved
into _reserve_and_record, so that place_order_once (the Idempotency-Key feature, added in a
later, separate change) can run it inside its own transaction. Keep this file in step with
every later change to what place_order does (the outbox row, for one): it must be the code
just before the refactoring as it would stand today. Do not call this in the app.
"""

from __future__ import annotations

import sqlite3

from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db import orders as orders_db
from bookstore.db import outbox
from bookstore.db.connection import transaction
from bookstore.services.errors import NotFound, OutOfStock
from bookstore.services.orders import get_order
from bookstore.services.pricing import from_cents, order_total, to_cents


# --8<-- [start:place_order_before]
def place_order(
    conn: sqlite3.Connection, cache: TTLCache, user_id: int, lines: list[tuple[int, int]]
) -> dict:
    """Order (book_id, quantity) lines: every copy is reserved, or none is."""
    with transaction(conn):  # BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error
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
        order_id = orders_db.insert_order(conn, user_id, to_cents(total), items)
        outbox.add(conn, "invoice", {"order_id": order_id})  # the job commits with the order
    for book_id, _ in lines:  # after COMMIT: the stock has changed
        cache.invalidate(("book", book_id))
    return get_order(conn, order_id)


# --8<-- [end:place_order_before]
