"""Server-side logic: the service layer without HTTP, domain errors as problem details,
and two mistakes kept on purpose (no transaction, check-then-act) next to their fixes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

import pytest
from bookstore.api.problems import KNOWN_PROBLEMS
from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db import idempotency as idempotency_db
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.services.errors import DomainError, NotFound, OutOfStock
from bookstore.services.orders import _reserve_and_record, place_order, place_order_once
from bookstore_support import new_book, new_user, stock_of
from fastapi.testclient import TestClient


# --8<-- [start:service_without_http_test]
def test_the_order_service_runs_without_http(empty_db):
    user = new_user(empty_db)
    book = new_book(empty_db, stock=5, price_cents=8_900_000)  # 89,000.00

    order = place_order(empty_db, TTLCache(60), user, [(book, 3)])

    assert order["total"] == "240300.00"  # 3 x 89,000.00 = 267,000.00, minus 10 %
    assert stock_of(empty_db, book) == 2
    stored = empty_db.execute("SELECT total_cents, typeof(total_cents) FROM orders").fetchone()
    assert tuple(stored) == (24_030_000, "integer")  # money is stored as whole cents


# --8<-- [end:service_without_http_test]


# --8<-- [start:error_mapping_tests]
def subclasses(cls: type) -> list[type]:
    """Every subclass, grandchildren too (__subclasses__() lists the direct ones only)."""
    return [sub for child in cls.__subclasses__() for sub in (child, *subclasses(child))]


def test_every_domain_error_has_an_http_status():
    # A class is mapped when it, or a class it inherits from, is in KNOWN_PROBLEMS.
    unmapped = [c for c in subclasses(DomainError) if not set(c.__mro__) & set(KNOWN_PROBLEMS)]
    assert unmapped == []  # a new error class without a mapping would become a 500


def test_out_of_stock_is_a_409_problem_and_changes_nothing(client, log_in):
    # Book 1 has 12 copies; book 6 (Perahu Kertas) has none in the demo catalog.
    payload = {"items": [{"book_id": 1, "quantity": 2}, {"book_id": 6, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=log_in("kiki@example.com"))

    assert response.status_code == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://bookstore.example/problems/out-of-stock",
        "title": "Not enough stock",
        "status": 409,
        "detail": "Book 6 does not have enough copies in stock.",
        "instance": "/api/v1/orders",
    }
    assert client.get("/api/v1/books/1").json()["stock"] == 12  # line 1 was rolled back


# --8<-- [end:error_mapping_tests]


# --8<-- [start:no_transaction_mistake]
def place_order_without_transaction(conn, user_id, lines) -> int:
    """BAD ON PURPOSE: place_order's steps without `with transaction(conn)`. The
    connection is in autocommit mode, so every UPDATE and INSERT commits on its own."""
    return _reserve_and_record(conn, user_id, lines)


def test_without_a_transaction_a_failed_order_still_takes_stock(empty_db):
    user, plenty, scarce = new_user(empty_db), new_book(empty_db, 10), new_book(empty_db, 1)
    lines = [(plenty, 4), (scarce, 2)]  # the second line cannot be served

    with pytest.raises(OutOfStock):
        place_order_without_transaction(empty_db, user, lines)
    assert stock_of(empty_db, plenty) == 6  # 4 copies gone, and no order holds them

    with pytest.raises(OutOfStock):
        place_order(empty_db, TTLCache(60), user, lines)  # the fix: one transaction
    assert stock_of(empty_db, plenty) == 6  # nothing more was taken this time


# --8<-- [end:no_transaction_mistake]


def two_buyers(path: str, buy: Callable[[sqlite3.Connection, threading.Barrier], bool]) -> list:
    """Run `buy` in two threads at once, each with its own connection; their results."""
    barrier, results = threading.Barrier(2, timeout=10), []

    def run() -> None:
        conn = connect(path)  # one connection per buyer, like two requests
        try:
            results.append(buy(conn, barrier))
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --8<-- [start:check_then_act_mistake]
def sell_check_then_act(conn, book_id: int, quantity: int, pause: Callable[[], object]) -> bool:
    """BAD ON PURPOSE: read the stock, decide in Python, then write the new value."""
    stock = conn.execute("SELECT stock FROM books WHERE id = ?", (book_id,)).fetchone()[0]
    if stock < quantity:
        return False
    pause()  # in production another request runs here now and then; the test forces it
    conn.execute("UPDATE books SET stock = ? WHERE id = ?", (stock - quantity, book_id))
    return True


# --8<-- [end:check_then_act_mistake]


# --8<-- [start:check_then_act_test]
def test_check_then_act_sells_the_last_copy_twice(tmp_path):
    path = str(tmp_path / "race.db")
    setup = connect(path)
    migrate(setup)
    bad, good = new_book(setup, stock=1), new_book(setup, stock=1)

    sold = two_buyers(path, lambda conn, barrier: sell_check_then_act(conn, bad, 1, barrier.wait))
    assert sold == [True, True] and stock_of(setup, bad) == 0  # two sales, one copy

    def take(conn, barrier):
        barrier.wait()  # both buyers start together; the check and the write are one UPDATE
        return books_db.take_stock(conn, good, 1)

    assert sorted(two_buyers(path, take)) == [False, True] and stock_of(setup, good) == 0
    setup.close()


# --8<-- [end:check_then_act_test]


# --8<-- [start:retry_without_key_test]
def test_a_retry_without_idempotency_key_places_a_second_order(client, log_in, db):
    headers = log_in("joko@example.com")
    payload = {"items": [{"book_id": 2, "quantity": 1}]}

    first = client.post("/api/v1/orders", json=payload, headers=headers)
    retry = client.post("/api/v1/orders", json=payload, headers=headers)  # lost answer?

    assert first.status_code == retry.status_code == 201
    assert first.json()["id"] != retry.json()["id"]
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 2  # two orders, one purchase
    assert db.execute("SELECT stock FROM books WHERE id = 2").fetchone()[0] == 3  # 5 - 2


# --8<-- [end:retry_without_key_test]


def test_two_requests_with_one_idempotency_key_at_once_make_one_order(tmp_path):
    path = str(tmp_path / "shop.db")
    setup = connect(path)
    migrate(setup)
    user, book = new_user(setup), new_book(setup, stock=5)

    def buy(conn, barrier):
        barrier.wait()  # both requests arrive together; the second waits at BEGIN IMMEDIATE
        return place_order_once(conn, TTLCache(60), user, [(book, 1)], "same-key")

    (first, replayed_1), (second, replayed_2) = two_buyers(path, buy)
    assert first == second and sorted([replayed_1, replayed_2]) == [False, True]
    assert setup.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 1
    assert stock_of(setup, book) == 4
    setup.close()


# --- Review round 1: regressions ------------------------------------------------------------


def test_a_subclass_of_a_mapped_error_gets_its_parents_problem(app):
    # Regression: known_error looked up KNOWN_PROBLEMS[type(exc)], so a subclass of
    # NotFound raised from a route was a KeyError and a 500.
    class BookWithdrawn(NotFound):
        pass

    @app.get("/api/v1/withdrawn")
    def withdrawn() -> None:
        raise BookWithdrawn("Book 7 was withdrawn.")

    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        response = client.get("/api/v1/withdrawn")
    assert response.status_code == 404
    assert response.json()["detail"] == "Book 7 was withdrawn."
    assert subclasses(DomainError).count(BookWithdrawn) == 1  # the guard sees grandchildren


def test_a_failed_commit_leaves_no_transaction_open(empty_db):
    # Regression: when COMMIT failed (here a foreign key checked at COMMIT), transaction()
    # left the transaction open with its write lock; the next BEGIN failed with "cannot
    # start a transaction within a transaction".
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), transaction(empty_db):
        empty_db.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT, not now
        empty_db.execute("INSERT INTO orders (user_id, total_cents) VALUES (999, 0)")
    assert not empty_db.in_transaction
    assert empty_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0
    assert new_user(empty_db) == 1  # the next transaction works (new_user opens one)


@pytest.mark.parametrize("path_id", ["01", "0001", "007"])
def test_an_id_with_a_leading_zero_is_not_a_second_address(client, path_id):
    # Regression: /api/v1/books/01 and /0001 answered book 1 with a 200.
    response = client.get(f"/api/v1/books/{path_id}")
    assert response.status_code == 422
    assert client.get("/api/v1/books/1").status_code == 200


def keyed_order(conn, user: int, book: int, key: str) -> tuple[dict, bool]:
    return place_order_once(conn, TTLCache(60), user, [(book, 1)], key)


def age_keys(conn, hours: int) -> None:
    """Make every stored answer `hours` old, as if that much time had passed."""
    conn.execute(
        "UPDATE idempotency_keys SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)",
        (f"-{hours} hours",),
    )


def test_a_stored_answer_is_replayed_for_24_hours_then_the_key_is_free(empty_db):
    # Regression: keys never expired and nothing deleted them (the technical-debt issue in
    # examples/maintenance/filled/). The lifetime is 24 hours, as at Stripe.
    user, book = new_user(empty_db), new_book(empty_db, stock=5)
    first, _ = keyed_order(empty_db, user, book, "k-1")
    age_keys(empty_db, 23)
    assert keyed_order(empty_db, user, book, "k-1") == (first, True)  # still replayed

    age_keys(empty_db, 25)
    assert idempotency_db.purge_expired(empty_db) == 1  # the sweep deletes it ...
    again, replayed = keyed_order(empty_db, user, book, "k-1")
    assert not replayed and again["id"] != first["id"]  # ... and the key is free again

    age_keys(empty_db, 25)  # expired but not yet deleted: the new order replaces the row
    third, replayed = keyed_order(empty_db, user, book, "k-1")
    assert not replayed and third["id"] not in (first["id"], again["id"])
    assert empty_db.execute("SELECT COUNT(*) FROM idempotency_keys").fetchone()[0] == 1
    assert keyed_order(empty_db, user, book, "k-1") == (third, True)  # a fresh 24 hours


def test_only_a_placed_order_is_stored_so_a_refused_one_can_be_retried(empty_db):
    # The bookstore's choice, against the draft's SHOULD: a 409 is not replayed.
    user, book = new_user(empty_db), new_book(empty_db, stock=0)
    with pytest.raises(OutOfStock):
        keyed_order(empty_db, user, book, "k-2")
    empty_db.execute("UPDATE books SET stock = 1 WHERE id = ?", (book,))  # restocked
    order, replayed = keyed_order(empty_db, user, book, "k-2")
    assert order["status"] == "pending" and not replayed
