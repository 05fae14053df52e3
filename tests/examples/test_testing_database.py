"""Tests against a real SQLite database that stay fast and independent: migrate once,
give every test its own in-memory copy, and know where a rollback fixture stops working."""

import sqlite3
from pathlib import Path

import pytest
from bookstore.cache import TTLCache
from bookstore.db.books import get_book, take_stock
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.db.users import add_user
from bookstore.services.errors import OutOfStock
from bookstore.services.orders import place_order
from testing import fixture_cost


# --8<-- [start:memory_db_fixture]
@pytest.fixture(scope="module")
def template_db():
    """Built once per test module: every migration plus the demo catalog, in memory."""
    conn = connect(":memory:")
    migrate(conn)
    seed_demo_data(conn)
    yield conn
    conn.close()


@pytest.fixture
def memory_db(template_db):
    """A private copy for each test: the real schema and SQL, nothing shared."""
    conn = connect(":memory:")
    template_db.backup(conn)  # copies the whole database page by page
    yield conn
    conn.close()


# --8<-- [end:memory_db_fixture]


# --8<-- [start:isolation_tests]
@pytest.mark.parametrize("run", ["first", "second"])
def test_every_test_starts_from_the_same_data(memory_db, run):
    with transaction(memory_db):
        assert take_stock(memory_db, 1, 12)  # all 12 copies of Laskar Pelangi
    assert get_book(memory_db, 1)["stock"] == 0  # the second run would fail if shared


def test_out_of_stock_rolls_back_the_lines_already_taken(memory_db):
    user_id = add_user(memory_db, "tono@example.com", "not-a-real-hash")
    lines = [(1, 2), (6, 1)]  # book 6 (Perahu Kertas) has no copies left
    with pytest.raises(OutOfStock):
        place_order(memory_db, TTLCache(30), user_id, lines)
    assert get_book(memory_db, 1)["stock"] == 12  # the 2 copies taken first came back
    assert memory_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


# --8<-- [end:isolation_tests]


# --8<-- [start:rollback_fixture]
@pytest.fixture
def rolled_back(memory_db):
    """The other common pattern: one transaction per test, rolled back at the end."""
    memory_db.execute("BEGIN")
    yield memory_db
    memory_db.execute("ROLLBACK")


def test_rollback_fixture_suits_code_without_its_own_transaction(rolled_back):
    assert take_stock(rolled_back, 2, 5)
    assert get_book(rolled_back, 2)["stock"] == 0


def test_rollback_fixture_clashes_with_code_that_begins_one(rolled_back):
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        place_order(rolled_back, TTLCache(30), 1, [(1, 1)])  # BEGIN IMMEDIATE inside BEGIN


# --8<-- [end:rollback_fixture]


def test_the_template_itself_never_changes(template_db):
    assert get_book(template_db, 1)["stock"] == 12
    assert get_book(template_db, 2)["stock"] == 5


def test_the_fixture_cost_benchmark_prints_what_the_page_shows(capsys):
    # Only the shape: the figures depend on the machine, and a time budget never goes in a
    # test. The recorded run the page quotes is testing/output/fixture_cost.txt.
    assert fixture_cost.main(["--runs", "1"]) == 0
    printed = capsys.readouterr().out.splitlines()
    recorded = (Path(fixture_cost.__file__).parent / "output" / "fixture_cost.txt").read_text(
        encoding="utf-8"
    )
    labels = [line[:22] for line in printed[1:]]
    assert labels == [line[:22] for line in recorded.splitlines()[1:]]
    assert printed[0].endswith("fastest of 1 runs") and "x faster than the app" in printed[-1]


@pytest.mark.parametrize("runs", ["0", "1001", "x", "\u0663"])
def test_the_fixture_cost_benchmark_refuses_a_bad_run_count(capsys, runs):
    with pytest.raises(SystemExit) as exit_:
        fixture_cost.main(["--runs", runs])
    assert exit_.value.code == 2 and "— fix: --runs 30" in capsys.readouterr().err
