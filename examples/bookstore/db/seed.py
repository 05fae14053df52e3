"""Demo catalog for `python -m bookstore` (only into an empty database)."""

from __future__ import annotations

import sqlite3

from bookstore.db import books
from bookstore.db.connection import transaction

DEMO_BOOKS = [
    # (title, author, price in cents, stock)
    ("Laskar Pelangi", "Andrea Hirata", 8_900_000, 12),
    ("Bumi Manusia", "Pramoedya Ananta Toer", 13_250_000, 5),
    ("Anak Semua Bangsa", "Pramoedya Ananta Toer", 12_500_000, 3),
    ("Cantik Itu Luka", "Eka Kurniawan", 11_999_000, 7),
    ("Ronggeng Dukuh Paruk", "Ahmad Tohari", 9_450_050, 4),
    ("Perahu Kertas", "Dee Lestari", 9_900_000, 0),
]


def seed_demo_data(conn: sqlite3.Connection) -> bool:
    """Insert the demo books if there are none yet; True if it inserted them."""
    with transaction(conn):
        if books.count_books(conn):
            return False
        authors: dict[str, int] = {}
        for title, author, price_cents, stock in DEMO_BOOKS:
            if author not in authors:
                authors[author] = books.add_author(conn, author)
            books.add_book(conn, title, authors[author], price_cents, stock)
    return True
