"""Cache with expiry and invalidation, the N+1 query and its fix, the benchmark."""

import subprocess
import sys
from pathlib import Path

import pytest
from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db.connection import transaction
from bookstore.services import catalog
from bookstore.services.errors import NotFound

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


# --8<-- [start:cache_tests]
def test_cache_serves_until_the_ttl_expires(clock):
    cache, loads = TTLCache(ttl=30, clock=clock), []

    def load():
        loads.append(1)
        return "value"

    assert cache.get_or_load("k", load) == "value"
    clock.advance(29)
    assert cache.get_or_load("k", load) == "value"
    assert len(loads) == 1  # the second call did not touch the database

    clock.advance(2)  # 31 s after loading: expired
    cache.get_or_load("k", load)
    assert len(loads) == 2


def test_an_order_invalidates_the_cached_book(client, log_in):
    assert client.get("/api/v1/books/2").json()["stock"] == 5  # now cached
    order = {"items": [{"book_id": 2, "quantity": 2}]}
    client.post("/api/v1/orders", json=order, headers=log_in("qori@example.com"))
    assert client.get("/api/v1/books/2").json()["stock"] == 3  # fresh, not stale


# --8<-- [end:cache_tests]


def test_cache_counts_hits_and_can_be_cleared(clock):
    cache = TTLCache(ttl=30, clock=clock)
    cache.get_or_load("k", lambda: 1)
    cache.get_or_load("k", lambda: 2)
    assert (cache.hits, cache.misses) == (1, 1)
    cache.clear()
    assert cache.get_or_load("k", lambda: 3) == 3


def test_missing_books_are_not_cached(empty_db):
    cache = TTLCache(ttl=30)
    for _ in range(2):
        with pytest.raises(NotFound):
            catalog.get_book(empty_db, cache, 1)
    assert cache.misses == 2  # asked the database both times


def fill(conn, books: int, authors: int) -> None:
    with transaction(conn):
        ids = [books_db.add_author(conn, f"Author {i}") for i in range(authors)]
        for i in range(books):
            books_db.add_book(conn, f"Book {i}", ids[i % authors], 1000, 1)


# --8<-- [start:n_plus_one_test]
def count_queries(conn, function) -> tuple[object, int]:
    """Run function() and count the SQL statements it sends."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        return function(), len(statements)
    finally:
        conn.set_trace_callback(None)


def test_join_needs_one_query_where_n_plus_one_needs_twenty_one(empty_db):
    fill(empty_db, books=20, authors=5)
    slow, slow_queries = count_queries(
        empty_db, lambda: books_db.list_books_n_plus_one(empty_db, 0, 20)
    )
    fast, fast_queries = count_queries(empty_db, lambda: books_db.list_books(empty_db, 0, 20))

    assert slow == fast  # same result ...
    assert slow_queries == 1 + 20  # one for the page, one more per book
    assert fast_queries == 1  # ... one query, whatever the page size


# --8<-- [end:n_plus_one_test]


def test_my_orders_loads_items_in_one_extra_query(client, db, log_in):
    headers = log_in("rudi@example.com")
    for book_id in (1, 2, 3):
        client.post(
            "/api/v1/orders", json={"items": [{"book_id": book_id, "quantity": 1}]}, headers=headers
        )
    from bookstore.services.orders import orders_of_user

    user_id = db.execute("SELECT id FROM users WHERE email = 'rudi@example.com'").fetchone()[0]
    orders, queries = count_queries(db, lambda: orders_of_user(db, user_id))
    assert len(orders) == 3 and queries == 2  # orders, then all their items at once


def test_benchmark_prints_speed_ups():
    """How long it takes is measured by `make bench-examples` (budget 5 s), not here."""
    result = subprocess.run(
        [sys.executable, "-m", "bookstore.bench", "--page", "50", "--latency-ms", "0.2"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.count("speed-up") == 4
    assert "0.2 ms per query" in result.stdout


def test_benchmark_in_process(capsys):
    from bookstore import bench

    bench.main(["--page", "10", "--latency-ms", "0"])
    out = capsys.readouterr().out
    assert "list 10 books" in out and out.count("speed-up") == 2  # one latency: 0 ms
