"""Rows the bookstore tests need, written straight through the data layer (no HTTP)."""

from __future__ import annotations

import sqlite3

from bookstore.db import books as books_db
from bookstore.db.connection import transaction


def new_user(conn: sqlite3.Connection, email: str = "reader@example.com") -> int:
    with transaction(conn):
        return conn.execute(
            "INSERT INTO users (email, password_hash) VALUES (?, 'x')", (email,)
        ).lastrowid


def new_book(conn: sqlite3.Connection, stock: int, price_cents: int = 10_000) -> int:
    with transaction(conn):
        author = books_db.add_author(conn, "Dee Lestari")
        return books_db.add_book(conn, "Supernova", author, price_cents, stock)


def stock_of(conn: sqlite3.Connection, book_id: int) -> int:
    return books_db.get_book(conn, book_id)["stock"]
