"""Overselling: what a transaction does and does not stop, in PostgreSQL and in SQLite.

PostgreSQL (examples/dbadmin/pg_stock.py, on a real server): the first tests force the
dangerous moment instead of hoping for it. A connection runs a hook right after a chosen
statement, so the second order arrives exactly between the first order's read and its
COMMIT. The last PostgreSQL test lets 20 orders race for 5 copies.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from functools import partial

import psycopg
import pytest
from dbadmin.pg_stock import (
    OutOfStock,
    StillClashing,
    take_stock_conditional,
    take_stock_for_update,
    take_stock_read_then_write,
    take_stock_serializable,
)
from pg_support import Cluster, pg_cluster

BOOK = 1


class HookedConnection(psycopg.Connection):
    """Runs `hook` once, right after the first statement that starts with `after`."""

    after = ""
    hook: Callable[[], None] | None = None
    stock_reads = 0

    def execute(self, query, params=None, **kwargs):
        cursor = super().execute(query, params, **kwargs)
        if str(query).startswith("SELECT stock"):
            self.stock_reads += 1
        if self.hook is not None and str(query).startswith(self.after):
            hook, self.hook = self.hook, None
            hook()
        return cursor


@pytest.fixture(scope="module")
def server():
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture
def shop(server: Cluster):
    """A books table with one book; CHECK (stock >= 0) as on the page."""
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute("DROP TABLE IF EXISTS books")
        admin.execute(
            "CREATE TABLE books (id int PRIMARY KEY, stock int NOT NULL CHECK (stock >= 0))"
        )
        yield admin


def set_stock(admin: psycopg.Connection, stock: int) -> None:
    admin.execute("DELETE FROM books")
    admin.execute("INSERT INTO books (id, stock) VALUES (%s, %s)", (BOOK, stock))


def stock(admin: psycopg.Connection) -> int:
    return admin.execute("SELECT stock FROM books WHERE id = %s", (BOOK,)).fetchone()[0]


def buyer(server: Cluster, take, results: list[str], after="", hook=None, ready=None):
    """A thread that buys one copy with `take` on its own connection, like a request."""

    def run() -> None:
        with HookedConnection.connect(server.conninfo(), autocommit=True) as conn:
            conn.after, conn.hook = after, hook
            try:
                if ready is not None:
                    ready()
                take(conn, BOOK, 1)
                results.append("sold")
            except OutOfStock:
                results.append("out of stock")
            except Exception as exc:  # noqa: BLE001 - kept: a thread would lose it
                results.append(repr(exc))
            finally:
                results.append(f"reads:{conn.stock_reads}")

    return threading.Thread(target=run)


def wait_until_blocked(admin: psycopg.Connection, sessions: int = 1) -> None:
    """Until `sessions` other sessions wait for a row lock (pg_stat_activity says so)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        waiting = admin.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()[0]
        if waiting >= sessions:
            return
        time.sleep(0.01)
    raise AssertionError("the second order never waited for the lock")


def sales(results: list[str]) -> list[str]:
    return sorted(r for r in results if not r.startswith("reads:"))


def reads(results: list[str]) -> int:
    return sum(int(r.split(":")[1]) for r in results if r.startswith("reads:"))


# --8<-- [start:oversell_test]
def test_a_transaction_alone_sells_the_last_copy_twice(server, shop):
    set_stock(shop, 1)
    both_have_read = threading.Barrier(2, timeout=20)  # the moment the race needs
    results: list[str] = []
    orders = [
        buyer(server, take_stock_read_then_write, results, after="SELECT", hook=both_have_read.wait)
        for _ in range(2)
    ]
    for order in orders:
        order.start()
    for order in orders:
        order.join()
    assert sales(results) == ["sold", "sold"]  # two copies sold...
    assert stock(shop) == 0  # ...of one: both wrote 1 - 1, and CHECK (stock >= 0) is happy


# --8<-- [end:oversell_test]


def test_serializable_aborts_one_order_and_its_retry_sees_the_sale(server, shop):
    set_stock(shop, 1)
    both_have_read = threading.Barrier(2, timeout=20)
    results: list[str] = []
    orders = [
        buyer(server, take_stock_serializable, results, after="SELECT", hook=both_have_read.wait)
        for _ in range(2)
    ]
    for order in orders:
        order.start()
    for order in orders:
        order.join()
    assert sales(results) == ["out of stock", "sold"]
    assert reads(results) == 3  # 2 reads, then 40001 for one order, and its retry read 0
    assert stock(shop) == 0


def test_serializable_gives_up_with_still_clashing_when_attempts_run_out(server, shop):
    set_stock(shop, 2)
    both_have_read = threading.Barrier(2, timeout=20)
    results: list[str] = []
    only_once = partial(take_stock_serializable, attempts=1)  # no retry left after a clash
    orders = [
        buyer(server, only_once, results, after="SELECT", hook=both_have_read.wait)
        for _ in range(2)
    ]
    for order in orders:
        order.start()
    for order in orders:
        order.join()
    clash = repr(StillClashing(f"book {BOOK}: every attempt (1) was aborted by another order"))
    assert sales(results) == sorted([clash, "sold"])  # the caller can answer 503
    assert stock(shop) == 1  # the loser changed nothing; a retry later would still sell


@pytest.mark.parametrize(
    "take",
    [
        take_stock_read_then_write,
        take_stock_conditional,
        take_stock_for_update,
        take_stock_serializable,
    ],
)
@pytest.mark.parametrize("quantity", [0, -100])
def test_no_or_negative_copies_are_refused_before_any_sql(server, shop, take, quantity):
    # Regression: `stock - (-100) ... AND stock >= -100` matched, and stock went 12 -> 112.
    set_stock(shop, 12)
    with (
        psycopg.connect(server.conninfo(), autocommit=True) as conn,
        pytest.raises(ValueError, match="at least 1"),
    ):
        take(conn, BOOK, quantity)
    assert stock(shop) == 12


@pytest.mark.parametrize(
    ("take", "after"),
    [(take_stock_conditional, "UPDATE"), (take_stock_for_update, "SELECT stock")],
    ids=["conditional UPDATE", "SELECT FOR UPDATE"],
)
def test_the_second_order_waits_for_the_first_then_sees_its_sale(server, shop, take, after):
    set_stock(shop, 1)
    results: list[str] = []
    second = buyer(server, take, results)

    def second_order_arrives_now() -> None:  # the first order holds the row lock here
        second.start()
        wait_until_blocked(shop)  # it really waits: the lock, not luck, decides

    first = buyer(server, take, results, after=after, hook=second_order_arrives_now)
    first.start()
    first.join()
    second.join()
    assert sales(results) == ["out of stock", "sold"]
    assert stock(shop) == 0


@pytest.mark.parametrize(
    "take",
    [
        take_stock_conditional,
        take_stock_for_update,
        # 20 orders on one row: an order loses a clash at most once per copy sold (each
        # 40001 means another order committed a sale), so 5 copies need 6 attempts. With
        # the default 5, an order that lost all five clashes would end in StillClashing.
        partial(take_stock_serializable, attempts=6),
    ],
    ids=["conditional UPDATE", "SELECT FOR UPDATE", "SERIALIZABLE"],
)
def test_twenty_orders_for_five_copies_sell_exactly_five(server, shop, take):
    set_stock(shop, 5)
    start = threading.Barrier(20, timeout=20)  # release all 20 at the same moment
    results: list[str] = []
    orders = [buyer(server, take, results, ready=start.wait) for _ in range(20)]
    for order in orders:
        order.start()
    for order in orders:
        order.join()
    assert sales(results).count("sold") == 5
    assert sales(results).count("out of stock") == 15
    assert stock(shop) == 0


# --8<-- [start:sqlite_deferred_test]
def test_sqlite_refuses_the_second_write_instead_of_overselling(tmp_path):
    path = str(tmp_path / "shop.db")
    first, second = (sqlite3.connect(path, isolation_level=None, timeout=5) for _ in range(2))
    first.execute("PRAGMA journal_mode = WAL")
    first.execute("CREATE TABLE books (id INTEGER PRIMARY KEY, stock INTEGER NOT NULL)")
    first.execute("INSERT INTO books VALUES (1, 1)")

    first.execute("BEGIN")  # DEFERRED: no lock yet
    second.execute("BEGIN")
    (seen_by_first,) = first.execute("SELECT stock FROM books WHERE id = 1").fetchone()
    (seen_by_second,) = second.execute("SELECT stock FROM books WHERE id = 1").fetchone()
    second.execute("UPDATE books SET stock = ? WHERE id = 1", (seen_by_second - 1,))
    second.execute("COMMIT")
    with pytest.raises(sqlite3.OperationalError, match="database is locked") as refused:
        # Its snapshot is older than second's COMMIT: SQLite will not let it write.
        first.execute("UPDATE books SET stock = ? WHERE id = 1", (seen_by_first - 1,))
    assert refused.value.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"  # no wait would help
    first.execute("ROLLBACK")
    assert second.execute("SELECT stock FROM books").fetchone() == (0,)  # sold once
    first.close()
    second.close()


# --8<-- [end:sqlite_deferred_test]
