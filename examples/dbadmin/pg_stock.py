"""Selling the last copies in PostgreSQL when orders arrive at the same moment.

One wrong way and three right ones. Connections are opened with autocommit=True, so each
`with conn.transaction():` block is exactly one transaction (BEGIN ... COMMIT, or ROLLBACK
on an exception) at PostgreSQL's default isolation level, READ COMMITTED, unless the block
sets another. tests/examples/test_stock_race.py runs all four on a real PostgreSQL server.
"""

from __future__ import annotations

import psycopg
from psycopg import errors


class OutOfStock(Exception):
    """Fewer copies are left than the order asks for (or no such book); nothing changed."""


class StillClashing(Exception):
    """Every attempt clashed with another transaction; the caller may answer 503."""


def check_quantity(quantity: int) -> None:
    """Refuse a quantity below 1 before SQL sees it: stock - (-5) would ADD five copies."""
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, got {quantity}")


# --8<-- [start:read_then_write]
def take_stock_read_then_write(conn: psycopg.Connection, book_id: int, quantity: int) -> None:
    """WRONG: a transaction alone does not stop two orders from selling the same copy."""
    check_quantity(quantity)
    with conn.transaction():
        row = conn.execute("SELECT stock FROM books WHERE id = %s", (book_id,)).fetchone()
        if row is None or row[0] < quantity:
            raise OutOfStock(book_id)
        # Another order may have sold copies since the SELECT: this overwrites its sale.
        conn.execute("UPDATE books SET stock = %s WHERE id = %s", (row[0] - quantity, book_id))


# --8<-- [end:read_then_write]


# --8<-- [start:conditional_update]
def take_stock_conditional(conn: psycopg.Connection, book_id: int, quantity: int) -> None:
    """Check and change in one statement; the row count says whether it happened."""
    check_quantity(quantity)
    with conn.transaction():
        cursor = conn.execute(
            "UPDATE books SET stock = stock - %s WHERE id = %s AND stock >= %s",
            (quantity, book_id, quantity),
        )
        if cursor.rowcount != 1:  # 0 rows: not enough stock (or no such book)
            raise OutOfStock(book_id)


# --8<-- [end:conditional_update]


# --8<-- [start:for_update]
def take_stock_for_update(conn: psycopg.Connection, book_id: int, quantity: int) -> None:
    """Lock the row while reading it: a second order waits here until this one ends."""
    check_quantity(quantity)
    with conn.transaction():
        row = conn.execute(
            "SELECT stock FROM books WHERE id = %s FOR UPDATE", (book_id,)
        ).fetchone()
        if row is None or row[0] < quantity:
            raise OutOfStock(book_id)
        conn.execute("UPDATE books SET stock = stock - %s WHERE id = %s", (quantity, book_id))


# --8<-- [end:for_update]


# --8<-- [start:serializable]
def take_stock_serializable(
    conn: psycopg.Connection, book_id: int, quantity: int, attempts: int = 5
) -> None:
    """Read, check and write as if alone; PostgreSQL aborts one of two clashing
    transactions with SQLSTATE 40001, and the whole transaction runs again."""
    check_quantity(quantity)
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    for _ in range(attempts):
        try:
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                row = conn.execute("SELECT stock FROM books WHERE id = %s", (book_id,)).fetchone()
                if row is None or row[0] < quantity:
                    raise OutOfStock(book_id)
                conn.execute(
                    "UPDATE books SET stock = %s WHERE id = %s", (row[0] - quantity, book_id)
                )
            return
        except errors.SerializationFailure:
            continue  # another order changed the row first: start again from the SELECT
    raise StillClashing(f"book {book_id}: every attempt ({attempts}) was aborted by another order")


# --8<-- [end:serializable]
