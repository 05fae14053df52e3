"""Indexes (EXPLAIN QUERY PLAN), transactions and concurrent orders."""

import sqlite3
import threading

import pytest
from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.services.errors import OutOfStock
from bookstore.services.orders import place_order
from bookstore_support import new_book, new_user

MY_ORDERS = "SELECT id FROM orders WHERE user_id = ? ORDER BY id DESC"


def plan(conn: sqlite3.Connection, sql: str, params=()) -> str:
    """The plan SQLite chose, as one line of text."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(row["detail"] for row in rows)


# --8<-- [start:index_plan_test]
def test_index_turns_a_full_scan_into_a_search(tmp_path):
    conn = connect(str(tmp_path / "plan.db"))
    migrate(conn, target=2)  # tables, but not yet the indexes of 0003
    assert plan(conn, MY_ORDERS, (7,)) == "SCAN orders"  # reads every order

    migrate(conn, target=3)  # CREATE INDEX idx_orders_user_id ON orders (user_id, id)
    assert plan(conn, MY_ORDERS, (7,)) == (
        "SEARCH orders USING COVERING INDEX idx_orders_user_id (user_id=?)"
    )  # jumps to user 7's rows; the index even holds the id, so no table lookup


# --8<-- [end:index_plan_test]


def test_transaction_rolls_back_everything_on_error(empty_db):
    book = new_book(empty_db, stock=3)
    with pytest.raises(RuntimeError), transaction(empty_db):
        books_db.take_stock(empty_db, book, 2)
        raise RuntimeError("payment failed")
    assert books_db.get_book(empty_db, book)["stock"] == 3


def test_failed_second_line_returns_the_first_lines_copies(empty_db):
    user, plenty, scarce = new_user(empty_db), new_book(empty_db, 10), new_book(empty_db, 1)
    with pytest.raises(OutOfStock):
        place_order(empty_db, TTLCache(60), user, [(plenty, 4), (scarce, 2)])
    assert books_db.get_book(empty_db, plenty)["stock"] == 10  # not 6
    assert empty_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


@pytest.mark.parametrize("quantity", [0, -100])
def test_taking_no_or_negative_copies_is_refused(empty_db, quantity):
    # Regression: `stock - (-100) ... AND stock >= -100` matched, and stock went 12 -> 112.
    book = new_book(empty_db, stock=12)
    with pytest.raises(ValueError, match="at least 1"):
        books_db.take_stock(empty_db, book, quantity)
    with pytest.raises(ValueError, match="at least 1"):
        books_db.take_stock_of_lines(empty_db, [(book, 1), (book + 1, quantity)])
    assert books_db.get_book(empty_db, book)["stock"] == 12


def test_lines_must_name_each_book_once_and_not_be_empty(empty_db):
    # Regression: UPDATE ... FROM changes a row once, so [(book, 1), (book, 3)] took 3
    # copies (or 1) but reported both lines as taken; [] was an SQL syntax error.
    book = new_book(empty_db, stock=5)
    with pytest.raises(ValueError, match="one line per book"):
        books_db.take_stock_of_lines(empty_db, [(book, 1), (book, 3)])
    with pytest.raises(ValueError, match="at least one line"):
        books_db.take_stock_of_lines(empty_db, [])
    assert books_db.get_book(empty_db, book)["stock"] == 5
    assert books_db.take_stock_of_lines(empty_db, [(book, 4)]) == {book}  # one line: fine
    assert books_db.get_book(empty_db, book)["stock"] == 1


def test_stock_can_never_go_below_zero(empty_db):
    book = new_book(empty_db, stock=1)
    with pytest.raises(sqlite3.IntegrityError), transaction(empty_db):
        empty_db.execute("UPDATE books SET stock = -1 WHERE id = ?", (book,))  # CHECK (stock >= 0)


# --8<-- [start:concurrent_orders_test]
def test_twenty_buyers_five_copies_exactly_five_orders(tmp_path):
    path = str(tmp_path / "race.db")
    setup = connect(path)
    migrate(setup)
    user, book = new_user(setup), new_book(setup, stock=5)
    start = threading.Barrier(20)  # release all 20 threads at the same moment
    results: list[str] = []

    def buy() -> None:
        conn = connect(path)  # each buyer has its own connection, like a request
        start.wait()
        try:
            place_order(conn, TTLCache(60), user, [(book, 1)])
            results.append("ok")
        except OutOfStock:
            results.append("out of stock")
        finally:
            conn.close()

    threads = [threading.Thread(target=buy) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("ok") == 5 and results.count("out of stock") == 15
    assert books_db.get_book(setup, book)["stock"] == 0
    assert setup.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 5


# --8<-- [end:concurrent_orders_test]
