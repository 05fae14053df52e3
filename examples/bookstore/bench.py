"""Micro-benchmark: `python -m bookstore.bench` prints how much the N+1 fix and the cache
save. Bounded: a few hundred milliseconds of work per measurement, under 5 s in total.

The database is SQLite in memory, where a query costs microseconds. Over a network to
PostgreSQL or MySQL each query also pays a round trip (often 0.2-1 ms), so the N+1
penalty in production is usually far larger than what this prints.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable

from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.services import catalog


def best_time(function: Callable[[], object], repeat: int, number: int) -> float:
    """Seconds per call: the best of `repeat` rounds of `number` calls (least noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def build_catalog(books: int, authors: int):
    conn = connect(":memory:")
    migrate(conn)
    with transaction(conn):
        ids = [books_db.add_author(conn, f"Author {i}") for i in range(authors)]
        for i in range(books):
            books_db.add_book(conn, f"Book {i}", ids[i % authors], 10_000 + i, 5)
    return conn


# --8<-- [start:bench]
def compare(conn: sqlite3.Connection, page: int, latency_ms: float) -> None:
    # A trace callback runs for every statement: sleeping there imitates a network.
    conn.set_trace_callback((lambda _: time.sleep(latency_ms / 1000)) if latency_ms else None)
    print(f"-- {latency_ms} ms per query")
    slow = best_time(lambda: books_db.list_books_n_plus_one(conn, 0, page), 3, 3)
    fast = best_time(lambda: books_db.list_books(conn, 0, page), 3, 3)
    print(
        f"list {page} books: N+1 {slow * 1e3:8.3f} ms, JOIN  {fast * 1e3:8.3f} ms,"
        f" speed-up {slow / fast:6.1f}x"
    )
    cache = TTLCache(ttl=60)
    uncached = best_time(lambda: catalog.book_view(books_db.get_book(conn, 1)), 3, 200)
    cached = best_time(lambda: catalog.get_book(conn, cache, 1), 3, 200)
    print(
        f"get one book:  query {uncached * 1e6:8.1f} us, cache {cached * 1e6:8.1f} us,"
        f" speed-up {uncached / cached:6.1f}x"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=int, default=100, help="books per page")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.2,
        help="simulated network round trip per query (0 = none)",
    )
    args = parser.parse_args(argv)
    conn = build_catalog(books=args.page * 2, authors=20)
    for latency_ms in sorted({0.0, args.latency_ms}):
        compare(conn, args.page, latency_ms)


# --8<-- [end:bench]


if __name__ == "__main__":
    main()
