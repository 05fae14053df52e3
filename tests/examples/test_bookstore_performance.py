"""Cache with expiry and invalidation, the N+1 query and its fix, the benchmark."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bookstore.app import create_app
from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db.connection import transaction
from bookstore.services import catalog
from bookstore.services.errors import NotFound
from bookstore.services.orders import place_order
from bookstore_support import new_user

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


def test_a_load_that_straddles_an_invalidation_is_not_kept(clock):
    cache, database = TTLCache(ttl=30, clock=clock), {"stock": 5}

    def load_while_an_order_commits():
        stock = database["stock"]  # the reader reads the row ...
        database["stock"] = 3  # ... then an order commits
        cache.invalidate("book")  # and drops the entry, as place_order does
        return stock

    assert cache.get_or_load("book", load_while_an_order_commits) == 5  # read before COMMIT
    assert cache.get_or_load("book", lambda: database["stock"]) == 3  # not 5 for 30 s


# --8<-- [end:cache_tests]


# --8<-- [start:cache_overlap_tests]
def test_overlapping_loads_without_an_invalidation_are_kept(clock):
    cache = TTLCache(ttl=30, clock=clock)
    first, second = Load("first"), Load("second")
    first.start(cache)
    second.start(cache)  # a second miss while the first load still runs
    first.finish()  # the first load ends first, and nothing was invalidated
    assert cache.get_or_load("book", lambda: "not asked") == "first"  # so it is stored
    second.finish()
    assert (cache.misses, cache.hits) == (2, 1)


def test_an_invalidation_cancels_every_load_under_way(clock):
    cache = TTLCache(ttl=30, clock=clock)
    first, second = Load("old stock"), Load("old stock too")
    first.start(cache)
    second.start(cache)
    cache.invalidate("book")  # an order commits while both loads run
    first.finish()
    second.finish()
    assert cache.get_or_load("book", lambda: "new stock") == "new stock"


# --8<-- [end:cache_overlap_tests]


class Load:
    """A load of the key "book" in its own thread, held until finish() lets it return."""

    def __init__(self, value: str) -> None:
        self.value, self.started, self.release = value, threading.Event(), threading.Event()

    def _load(self) -> str:
        self.started.set()
        self.release.wait(timeout=30)  # a safety net for a broken run, not a time budget
        return self.value

    def start(self, cache: TTLCache) -> None:
        self.thread = threading.Thread(target=cache.get_or_load, args=("book", self._load))
        self.thread.start()
        assert self.started.wait(timeout=30)  # the load runs: this was a miss

    def finish(self) -> None:
        self.release.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


def test_a_hot_key_is_stored_while_its_misses_keep_overlapping(clock):
    """Regression (review round 2): each miss replaced the key's single ticket, so a load
    that a newer load overlapped threw its value away even with no invalidate(). While
    misses for a key kept arriving faster than one load took, nothing was ever stored."""
    cache, loads = TTLCache(ttl=30, clock=clock), [Load(f"v{n}") for n in range(5)]
    for load in loads:
        load.start(cache)  # five misses at once, as when a popular entry expires
    for load in loads:
        load.finish()
        assert cache._items["book"][1] == load.value  # each finished load is stored
    assert cache.misses == 5
    assert cache._loading == {}  # no ticket of a finished load is left over


def test_a_reader_paused_across_an_order_leaves_no_stale_stock(client, log_in, monkeypatch):
    """Regression (review round 1): a GET that read the book before an order's COMMIT
    and stored it after the order's invalidate() kept the old stock until the TTL."""
    headers = log_in("tia@example.com")
    read, go, answers = threading.Event(), threading.Event(), []
    real_get_book = books_db.get_book

    def get_book_then_wait(conn, book_id):
        row = real_get_book(conn, book_id)
        read.set()  # the row is read: stock 5
        go.wait(timeout=30)  # a safety net for a broken run, not a time budget
        return row

    monkeypatch.setattr(books_db, "get_book", get_book_then_wait)
    reader = threading.Thread(target=lambda: answers.append(client.get("/api/v1/books/2")))
    reader.start()
    assert read.wait(timeout=30)
    monkeypatch.setattr(books_db, "get_book", real_get_book)  # later readers do not wait
    order = {"items": [{"book_id": 2, "quantity": 2}]}
    assert client.post("/api/v1/orders", json=order, headers=headers).status_code == 201
    go.set()
    reader.join(timeout=30)
    assert answers[0].json()["stock"] == 5  # that reader read before the COMMIT
    assert client.get("/api/v1/books/2").json()["stock"] == 3  # the next one sees the order


def test_a_failed_load_leaves_nothing_behind(clock):
    cache = TTLCache(ttl=30, clock=clock)

    def load():
        raise NotFound("Book 1 does not exist.")

    with pytest.raises(NotFound):
        cache.get_or_load("book", load)
    assert cache.get_or_load("book", lambda: "found") == "found"  # stored this time
    assert cache.get_or_load("book", lambda: "not asked") == "found"
    assert cache._loading == {}  # no ticket of a finished load is left over


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


class RecordingLock:
    """A lock that knows whether it is held, to check what happens under it."""

    def __init__(self) -> None:
        self._lock, self.held = threading.Lock(), False

    def __enter__(self):
        self._lock.acquire()
        self.held = True

    def __exit__(self, *exc):
        self.held = False
        self._lock.release()


class CountersUnderLock(TTLCache):
    def __setattr__(self, name, value):
        if name in {"hits", "misses"} and isinstance(getattr(self, "_lock", None), RecordingLock):
            assert self._lock.held, f"{name} changed outside the lock"
        super().__setattr__(name, value)


def test_cache_counters_change_only_under_the_lock(clock):
    cache = CountersUnderLock(ttl=30, clock=clock)
    cache._lock = RecordingLock()
    cache.get_or_load("k", lambda: 1)  # a miss
    cache.get_or_load("k", lambda: 2)  # a hit
    assert (cache.hits, cache.misses) == (1, 1)


def test_cache_counters_add_up_under_many_threads():
    cache, calls = TTLCache(ttl=60), 8 * 2000

    def work() -> None:
        for n in range(2000):
            cache.get_or_load(n % 50, lambda: "v")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.hits + cache.misses == calls


def test_the_app_measures_cache_and_limits_with_a_monotonic_clock(settings):
    app = create_app(settings)
    assert app.state.cache._clock is time.monotonic
    assert app.state.login_limiter.clock is time.monotonic
    assert app.state.signup_limiter.clock is time.monotonic
    assert app.state.clock is time.time  # sessions and signatures need the wall clock


def test_setting_the_wall_clock_does_not_move_the_cache(settings, fast_hasher, clock):
    wall, steady = clock, type(clock)(now=100.0)  # two fake clocks
    app = create_app(settings, clock=wall, monotonic=steady, password_hasher=fast_hasher)
    loads = []
    app.state.cache.get_or_load("k", lambda: loads.append(1))
    wall.advance(-3600)  # NTP or an operator sets the wall clock back an hour
    steady.advance(31)
    app.state.cache.get_or_load("k", lambda: loads.append(1))
    assert len(loads) == 2  # expired after 30 s of real time, whatever the wall clock says


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


# --8<-- [start:place_order_queries_test]
def test_an_order_of_twenty_lines_needs_no_more_queries_than_one_line(empty_db):
    fill(empty_db, books=21, authors=4)  # one copy of each
    user = new_user(empty_db)
    cache = TTLCache(ttl=60)
    one = count_queries(empty_db, lambda: place_order(empty_db, cache, user, [(21, 1)]))[1]
    lines = [(book_id, 1) for book_id in range(1, 21)]
    twenty = count_queries(empty_db, lambda: place_order(empty_db, cache, user, lines))[1]
    assert one == twenty  # a query per line would be 19 (or 38) more


# --8<-- [end:place_order_queries_test]


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
    assert "(11 queries against 1)" in out


def test_benchmark_says_where_and_when_it_measured(capsys):
    """Times hold for one machine on one day: the output names both (issue 14)."""
    import platform
    import sqlite3

    from bookstore import bench

    bench.main(["--page", "5", "--latency-ms", "0.1"])
    first, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith("measured 20") and "UTC" in first
    assert f"Python {platform.python_version()}" in first.replace("CPython", "Python")
    assert f"SQLite {sqlite3.sqlite_version}" in first and "CPUs" in first
    assert "each sleep lasts" in rest[3]  # the simulated round trip as it really lasted


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--page", "0"], "must be from 1 to 200"),
        (["--page", "1000000"], "must be from 1 to 200"),
        (["--latency-ms", "-1"], "must be from 0 to 5"),
        (["--latency-ms", "nan"], "must be from 0 to 5"),
        (["--page", "ten"], "'ten' is not a number"),
    ],
)
def test_benchmark_refuses_bad_arguments_with_a_usage_error(argv, message, capsys):
    from bookstore import bench

    with pytest.raises(SystemExit) as exit_:
        bench.main(argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err
