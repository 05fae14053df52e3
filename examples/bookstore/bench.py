"""Micro-benchmark: `python -m bookstore.bench` prints how much the N+1 fix and the cache
save, and the machine, versions and date they were measured on. Bounded: the arguments are
capped (200 books, 5 ms per query); the defaults take a few seconds.

The database is SQLite in memory, where a query costs microseconds. Over a network to
PostgreSQL or MySQL each query also pays a round trip (often 0.2-1 ms), so the N+1
penalty in production is usually far larger than what this prints.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime

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


def slept(latency_ms: float) -> str:
    """How long a sleep of latency_ms really lasts here: the OS wakes a sleeping thread a
    little late, later on a busy machine, so the simulated round trip is longer than asked."""
    if not latency_ms:
        return ""
    start = time.perf_counter()
    for _ in range(50):
        time.sleep(latency_ms / 1000)
    return f" (each sleep lasts {(time.perf_counter() - start) / 50 * 1e3:.2f} ms here)"


def between(kind: type, low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number from low to high, or a usage error (no traceback)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, not {text}")
        return value

    return parse


def environment() -> str:
    """What the figures were measured on: times hold for this machine, on this day."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"measured {when}; {platform.python_implementation()} {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}; {_system()} {platform.machine()};"
        f" {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}"
    )


def _system() -> str:
    """'Debian GNU/Linux 12 (bookworm), Linux 6.1.0' where the OS says; else what it can."""
    try:
        name = platform.freedesktop_os_release()["PRETTY_NAME"] + ", "
    except (OSError, KeyError):
        name = ""
    return f"{name}{platform.system()} {platform.release()}"


# --8<-- [start:bench]
def compare(conn: sqlite3.Connection, page: int, latency_ms: float) -> None:
    # A trace callback runs for every statement: sleeping there imitates a network.
    conn.set_trace_callback((lambda _: time.sleep(latency_ms / 1000)) if latency_ms else None)
    print(f"-- {latency_ms} ms per query{slept(latency_ms)}")
    slow = best_time(lambda: books_db.list_books_n_plus_one(conn, 0, page), 3, 3)
    fast = best_time(lambda: books_db.list_books(conn, 0, page), 3, 3)
    print(
        f"list {page} books: N+1 {slow * 1e3:8.3f} ms, JOIN  {fast * 1e3:8.3f} ms,"
        f" speed-up {slow / fast:6.1f}x ({page + 1} queries against 1)"
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
    parser.add_argument("--page", type=between(int, 1, 200), default=100, help="books per page")
    parser.add_argument(
        "--latency-ms",
        type=between(float, 0, 5),
        default=0.2,
        help="simulated network round trip per query, 0 to 5 (0 = none)",
    )
    args = parser.parse_args(argv)
    print(environment())  # times hold for this run only; the ratios vary less, but they vary too
    conn = build_catalog(books=args.page * 2, authors=20)
    for latency_ms in sorted({0.0, args.latency_ms}):
        compare(conn, args.page, latency_ms)


# --8<-- [end:bench]


if __name__ == "__main__":
    main()
