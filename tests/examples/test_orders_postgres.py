"""The bookstore's order statement (take_stock_of_lines) on PostgreSQL, at READ COMMITTED,
PostgreSQL's default isolation level. The bookstore runs on SQLite, where BEGIN IMMEDIATE
lets one writer in at a time; these tests show what keeps the same SQL right on a server
that runs transactions side by side. They skip where PostgreSQL is missing."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from bookstore.db.books import take_stock_of_lines
from pg_support import Cluster, pg_cluster


@pytest.fixture(scope="module")
def server():
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture
def shop(server: Cluster):
    """Books 1 and 2 with one copy each, and the bookstore's CHECK (stock >= 0)."""
    with psycopg.connect(server.conninfo(), autocommit=True) as admin:
        admin.execute("DROP TABLE IF EXISTS books")
        admin.execute("CREATE TABLE books (id bigint PRIMARY KEY, stock int CHECK (stock >= 0))")
        admin.execute("INSERT INTO books VALUES (1, 1), (2, 1)")
        yield admin


class Recorder:
    """Stands in for a connection and keeps the SQL that it is asked to run."""

    def execute(self, sql: str, params: list) -> Recorder:
        self.sql, self.params = sql, params
        return self

    def fetchall(self) -> list:
        return []


def bookstore_statement(lines: list[tuple[int, int]]) -> tuple[str, list]:
    """The exact SQL the bookstore sends for these lines, with psycopg's placeholders."""
    recorder = Recorder()
    take_stock_of_lines(recorder, lines)
    return recorder.sql.replace("?", "%s"), recorder.params


def take(conn: psycopg.Connection, lines: list[tuple[int, int]]) -> set[int]:
    """What the service does with it: the ids of the books that had enough copies."""
    sql, params = bookstore_statement(lines)
    return {row[0] for row in conn.execute(sql, params).fetchall()}


def stock(admin: psycopg.Connection) -> list[tuple[int, int]]:
    return admin.execute("SELECT id, stock FROM books ORDER BY id").fetchall()


def wait_until_blocked(admin: psycopg.Connection) -> None:
    """Until another session waits for a row lock (pg_stat_activity says so)."""
    deadline = time.monotonic() + 20  # a bound against a hang, not a speed test
    while time.monotonic() < deadline:
        waiting = admin.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()[0]
        if waiting:
            return
        time.sleep(0.01)
    raise AssertionError("the second order never waited for the lock")


# --8<-- [start:pg_transaction_alone_test]
def test_a_transaction_alone_does_not_stop_a_second_sale(server, shop):
    first, second = (psycopg.connect(server.conninfo()) for _ in range(2))  # BEGIN implied
    seen_by_first = first.execute("SELECT stock FROM books WHERE id = 1").fetchone()[0]
    seen_by_second = second.execute("SELECT stock FROM books WHERE id = 1").fetchone()[0]
    assert seen_by_first == seen_by_second == 1  # both see the last copy
    first.execute("UPDATE books SET stock = %s WHERE id = 1", (seen_by_first - 1,))
    first.commit()
    second.execute("UPDATE books SET stock = %s WHERE id = 1", (seen_by_second - 1,))
    second.commit()  # no error at READ COMMITTED: the copy is sold twice
    assert stock(shop)[0] == (1, 0)  # and 0 is not negative, so CHECK (stock >= 0) is silent
    first.close()
    second.close()


# --8<-- [end:pg_transaction_alone_test]


# --8<-- [start:pg_order_statement_test]
def test_the_order_statement_waits_then_checks_the_stock_again(server, shop):
    first = psycopg.connect(server.conninfo())
    assert take(first, [(1, 1), (2, 1)]) == {1, 2}  # not committed yet: it holds both rows

    results = []

    def second_order() -> None:
        with psycopg.connect(server.conninfo()) as conn:
            results.append(take(conn, [(2, 1)]))

    second = threading.Thread(target=second_order)
    second.start()
    wait_until_blocked(shop)  # the second order waits for the first one's row lock
    first.commit()
    second.join(timeout=20)

    assert results == [set()]  # it read book 2 again after the COMMIT: no copy left
    assert stock(shop) == [(1, 0), (2, 0)]  # the service raises OutOfStock and rolls back
    first.close()


# --8<-- [end:pg_order_statement_test]


def test_twenty_orders_for_one_copy_sell_it_once(server, shop):
    start, results = threading.Barrier(20, timeout=20), []

    def order() -> None:
        with psycopg.connect(server.conninfo()) as conn:  # COMMIT when the block ends
            start.wait()  # all 20 at the same moment
            results.append(take(conn, [(1, 1)]))

    orders = [threading.Thread(target=order) for _ in range(20)]
    for thread in orders:
        thread.start()
    for thread in orders:
        thread.join(timeout=30)
    assert sorted(map(len, results)) == [0] * 19 + [1] and stock(shop)[0] == (1, 0)
