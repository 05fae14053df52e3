"""SQL for book reviews (text written by users: escaped when shown, see templates/)."""

from __future__ import annotations

import sqlite3


def add_review(conn: sqlite3.Connection, book_id: int, author_name: str, body: str) -> int:
    return conn.execute(
        "INSERT INTO reviews (book_id, author_name, body) VALUES (?, ?, ?)",
        (book_id, author_name, body),
    ).lastrowid


def reviews_of_book(conn: sqlite3.Connection, book_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT author_name, body, created_at FROM reviews WHERE book_id = ? ORDER BY id",
        (book_id,),
    ).fetchall()
