"""SQL for books and authors. Every value reaches SQLite as a parameter (?), never as text."""

from __future__ import annotations

import sqlite3


# --8<-- [start:get_book]
def get_book(conn: sqlite3.Connection, book_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT b.id, b.title, a.name AS author, b.price_cents, b.stock"
        " FROM books AS b JOIN authors AS a ON a.id = b.author_id"
        " WHERE b.id = ?",
        (book_id,),  # a parameter: the driver sends the value apart from the SQL text
    ).fetchone()


# --8<-- [end:get_book]


# --8<-- [start:list_books_n_plus_one]
def list_books_n_plus_one(conn: sqlite3.Connection, after_id: int, limit: int) -> list[dict]:
    """SLOW ON PURPOSE: one query for the page of books, then one more per book."""
    books = conn.execute(
        "SELECT id, title, author_id, price_cents, stock FROM books"
        " WHERE id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    result = []
    for book in books:  # N extra round trips to the database
        author = conn.execute(
            "SELECT name FROM authors WHERE id = ?", (book["author_id"],)
        ).fetchone()
        result.append({**dict(book), "author": author["name"]})
    return result


# --8<-- [end:list_books_n_plus_one]


# --8<-- [start:list_books]
def list_books(conn: sqlite3.Connection, after_id: int, limit: int) -> list[dict]:
    """The fix: one query with a JOIN, whatever the page size."""
    rows = conn.execute(
        "SELECT b.id, b.title, b.author_id, b.price_cents, b.stock, a.name AS author"
        " FROM books AS b JOIN authors AS a ON a.id = b.author_id"
        " WHERE b.id > ? ORDER BY b.id LIMIT ?",  # keyset pagination: no OFFSET to skip
        (after_id, limit),
    ).fetchall()
    return [dict(row) for row in rows]


# --8<-- [end:list_books]


# --8<-- [start:take_stock]
def take_stock(conn: sqlite3.Connection, book_id: int, quantity: int) -> bool:
    """Remove `quantity` copies if that many are left; False if not (nothing changes).

    The check and the change are one statement, so no other order can slip in
    between them: the database, not Python, decides who gets the last copy.
    """
    if quantity < 1:  # stock - (-5) would ADD five copies: refuse before SQL sees it
        raise ValueError(f"quantity must be at least 1, got {quantity}")
    cursor = conn.execute(
        "UPDATE books SET stock = stock - ? WHERE id = ? AND stock >= ?",
        (quantity, book_id, quantity),
    )
    return cursor.rowcount == 1


# --8<-- [end:take_stock]


def prices_of(conn: sqlite3.Connection, book_ids: list[int]) -> dict[int, int]:
    """{book id: price in cents} of the books that exist, in ONE query (an IN list)."""
    placeholders = ", ".join("?" for _ in book_ids)  # only "?" marks, never values
    rows = conn.execute(
        f"SELECT id, price_cents FROM books WHERE id IN ({placeholders})", book_ids
    ).fetchall()
    return {row["id"]: row["price_cents"] for row in rows}


# --8<-- [start:take_stock_of_lines]
def take_stock_of_lines(conn: sqlite3.Connection, lines: list[tuple[int, int]]) -> set[int]:
    """take_stock for every (book_id, quantity) line in ONE statement; returns the ids of
    the books that had enough copies (those lost them). SQLite 3.35+ and PostgreSQL."""
    book_ids = [book_id for book_id, _ in lines]
    if not lines or min(quantity for _, quantity in lines) < 1:  # as in take_stock
        raise ValueError(f"need at least one line, each quantity at least 1, got {lines}")
    # UPDATE ... FROM changes a row once, however many lines match it: a second line for
    # the same book would come back as taken without taking a single copy.
    if len(set(book_ids)) != len(book_ids):
        raise ValueError(f"one line per book, got {lines}")
    rows = ", ".join("(?, ?)" for _ in lines)
    cursor = conn.execute(
        f"WITH wanted (book_id, quantity) AS (VALUES {rows})"
        " UPDATE books SET stock = books.stock - wanted.quantity FROM wanted"
        " WHERE books.id = wanted.book_id AND books.stock >= wanted.quantity"
        " RETURNING books.id",
        [value for line in lines for value in line],
    )
    return {row[0] for row in cursor.fetchall()}


# --8<-- [end:take_stock_of_lines]


def add_author(conn: sqlite3.Connection, name: str) -> int:
    return conn.execute("INSERT INTO authors (name) VALUES (?)", (name,)).lastrowid


def add_book(
    conn: sqlite3.Connection, title: str, author_id: int, price_cents: int, stock: int
) -> int:
    return conn.execute(
        "INSERT INTO books (title, author_id, price_cents, stock) VALUES (?, ?, ?, ?)",
        (title, author_id, price_cents, stock),
    ).lastrowid


def count_books(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM books").fetchone()[0]
