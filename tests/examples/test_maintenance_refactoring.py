"""Refactoring guarded by tests: place_order before and after Extract Function must behave
the same. The characterization test does not say what the code should do; it records what the
old code does, whatever that is, and demands the same from the new code."""

from __future__ import annotations

import sqlite3

import pytest
from bookstore.cache import TTLCache
from bookstore.db import books as books_db
from bookstore.db import orders as orders_db
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.services import orders
from bookstore.services.errors import DomainError, NotFound, OutOfStock
from bookstore.services.orders import get_order
from bookstore.services.pricing import from_cents, order_total, to_cents
from hypothesis import given, settings
from hypothesis import strategies as st
from maintenance import place_order_before

BOOK_IDS = range(1, 8)  # the six demo books (stock 12, 5, 3, 7, 4, 0) and one that does not exist


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated database with the demo books and one user; each run works on a copy."""
    conn = connect(str(tmp_path_factory.mktemp("refactoring") / "template.db"))
    migrate(conn)
    seed_demo_data(conn)
    conn.execute("INSERT INTO users (id, email, password_hash) VALUES (1, 'a@b.co', 'x')")
    yield conn
    conn.close()


def fresh_copy(template: sqlite3.Connection) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    template.backup(conn)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


# --8<-- [start:database_contents]
CLOCK_COLUMNS = {"created_at", "received_at"}  # SQLite's clock fills them: differ every run


def database_contents(conn: sqlite3.Connection) -> dict:
    """Every row of every table, not a hand-picked few: a table we forgot is a blind spot."""
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    contents = {}
    for (table,) in tables.fetchall():
        rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        contents[table] = [
            {key: value for key, value in dict(row).items() if key not in CLOCK_COLUMNS}
            for row in rows
        ]
    return contents


# --8<-- [end:database_contents]


# --8<-- [start:characterization_test]
def observe(place_order, template, lines) -> tuple:
    """Everything a caller or the database can see after one call of `place_order`."""
    conn, cache = fresh_copy(template), TTLCache(ttl=60)
    for book_id in BOOK_IDS:
        cache.get_or_load(("book", book_id), lambda: "cached")
    try:
        order = place_order(conn, cache, 1, lines)
        outcome = {key: value for key, value in order.items() if key != "created_at"}
    except (DomainError, sqlite3.Error) as exc:  # which error, which message: behavior too
        outcome = (type(exc).__name__, str(exc))
    cached = [cache.get_or_load(("book", b), lambda: "reloaded") for b in BOOK_IDS]
    return outcome, database_contents(conn), cached


# Up to seven lines, one per book, unknown book 7 included, quantities up to 5 (more
# than books 3, 5 and 6 have): successes, NotFound and OutOfStock all come up.
orders_to_try = st.lists(
    st.tuples(st.sampled_from(BOOK_IDS), st.integers(1, 5)),
    min_size=1,
    max_size=7,
    unique_by=lambda line: line[0],
)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(lines=orders_to_try)
def test_extract_function_keeps_the_behavior(template, lines):
    before = observe(place_order_before.place_order, template, lines)
    assert observe(orders.place_order, template, lines) == before


# --8<-- [end:characterization_test]


# --8<-- [start:careless_change]
def place_order_careless(conn, cache, user_id, lines):
    """A "refactoring" that takes the stock first and checks the books afterwards."""
    with transaction(conn):
        taken = books_db.take_stock_of_lines(conn, lines)
        prices = books_db.prices_of(conn, [book_id for book_id, _ in lines])
        for book_id, _ in lines:
            if book_id not in taken:
                raise OutOfStock(book_id)
            if book_id not in prices:  # never reached: an unknown book has no stock either
                raise NotFound(f"Book {book_id} does not exist.")
        items = [(book_id, quantity, prices[book_id]) for book_id, quantity in lines]
        total = order_total([(from_cents(price), qty) for _, qty, price in items])
        order_id = orders_db.insert_order(conn, user_id, to_cents(total), items)
    for book_id, _ in lines:
        cache.invalidate(("book", book_id))
    return get_order(conn, order_id)


def test_the_characterization_catches_a_careless_change(template):
    lines = [(1, 1), (7, 1)]  # book 7 does not exist
    before = observe(place_order_before.place_order, template, lines)
    careless = observe(place_order_careless, template, lines)
    assert before[0] == ("NotFound", "Book 7 does not exist.")
    assert careless[0] == ("OutOfStock", "Book 7 does not have enough copies in stock.")


# --8<-- [end:careless_change]


def place_order_without_the_invoice_job(conn, cache, user_id, lines):
    """The order as before, but no outbox row: no invoice would ever be made."""
    with transaction(conn):
        order_id = orders._reserve_and_record(conn, user_id, lines)
    for book_id, _ in lines:
        cache.invalidate(("book", book_id))
    return get_order(conn, order_id)


def test_the_characterization_sees_every_table(template):
    # The order, stock, items and cache are identical; only the outbox table differs.
    lines = [(1, 1)]
    before = observe(place_order_before.place_order, template, lines)
    forgetful = observe(place_order_without_the_invoice_job, template, lines)
    assert forgetful[0] == before[0] and forgetful[2] == before[2]
    assert len(before[1]["outbox"]) == 1 and forgetful[1]["outbox"] == []
    assert forgetful != before
