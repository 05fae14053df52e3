"""Reading the catalog: book views for the API, with a cache in front of the database."""

from __future__ import annotations

import sqlite3

from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.services.errors import NotFound
from bookstore.services.pricing import CURRENCY, from_cents


def book_view(row) -> dict:
    return {
        "id": row["id"],
        "title": row["title"],
        "author": row["author"],
        "price": from_cents(row["price_cents"]),
        "currency": CURRENCY,
        "stock": row["stock"],
    }


# --8<-- [start:cached_get_book]
def get_book(conn: sqlite3.Connection, cache: TTLCache, book_id: int) -> dict:
    """One book, from the cache when a fresh copy is there, else from the database."""

    def load() -> dict:
        row = books_db.get_book(conn, book_id)
        if row is None:
            raise NotFound(f"Book {book_id} does not exist.")  # not cached
        return book_view(row)

    return cache.get_or_load(("book", book_id), load)


# --8<-- [end:cached_get_book]


def list_books(conn: sqlite3.Connection, after_id: int, limit: int) -> list[dict]:
    return [book_view(row) for row in books_db.list_books(conn, after_id, limit)]
