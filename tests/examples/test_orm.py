"""The ORM samples (examples/orm/): each test proves what the ORMs and Data Access page says
about mapped models, the identity map, the N+1 problem, transactions, optimistic locking,
SQL injection and explicit SQL. SQLite in a temporary file; no server needed."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from orm.access import (
    Busy,
    OutOfStock,
    UnknownBook,
    VersionConflict,
    bestsellers_by_author,
    books_in_genre,
    catalog_joined,
    catalog_lazy,
    catalog_selectin,
    change_price,
    count_statements,
    place_order,
    search_titles,
    search_titles_unsafe,
)
from orm.models import Author, Book, Order, create_and_seed, make_engine
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'orm.db'}")
    create_and_seed(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return sessionmaker(engine)


def stock_of(engine, book_id: int) -> int:
    with Session(engine) as session:
        return session.get(Book, book_id).stock


def test_the_constraints_are_in_the_database_not_only_in_python(engine):
    with Session(engine) as session:
        session.get(Book, 1).stock = -1
        with pytest.raises(IntegrityError, match="stock_not_negative"):
            session.commit()
    with Session(engine) as session:  # foreign keys are on: no book by a missing author
        session.add(Book(title="Ghost", author_id=99, genre="novel", price_cents=1))
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            session.commit()
    assert stock_of(engine, 1) == 5


def test_select_with_filters(engine):
    with Session(engine) as session:
        found = books_in_genre(session, "novel", max_price_cents=13_000_000)
        # Sang Pemimpi is out of stock, Bumi Manusia too expensive
        assert [b.title for b in found] == ["Laskar Pelangi", "Anak Semua Bangsa"]
        assert books_in_genre(session, "x' OR '1'='1", 10**9) == []


# --8<-- [start:identity_map_test]
def test_the_identity_map_gives_one_object_per_row(engine):
    with count_statements(engine) as sent, Session(engine) as session:
        first = session.get(Book, 1)
        again = session.get(Book, 1)  # found in the identity map: no SQL at all
        by_query = session.scalars(select(Book).where(Book.title == "Bumi Manusia")).one()
        assert first is again is by_query
    assert len(sent) == 2  # the first get and the query; the second get sent nothing
# --8<-- [end:identity_map_test]


# --8<-- [start:n_plus_one_test]
@pytest.mark.parametrize("extra_authors", [0, 10])
def test_lazy_loading_sends_one_query_per_author_and_eager_loading_does_not(
        engine, extra_authors):
    with Session(engine) as session, session.begin():
        session.add_all(Author(name=f"Author {n}") for n in range(extra_authors))
    authors = 4 + extra_authors
    counts = {}
    for load in (catalog_lazy, catalog_selectin, catalog_joined):
        with count_statements(engine) as sent, Session(engine) as session:
            catalog = load(session)
        counts[load.__name__] = len(sent)
        assert catalog["Andrea Hirata"] == ["Laskar Pelangi", "Sang Pemimpi"]
    assert counts == {"catalog_lazy": 1 + authors, "catalog_selectin": 2, "catalog_joined": 1}
# --8<-- [end:n_plus_one_test]


def test_a_many_to_one_lazy_load_skips_authors_already_in_the_identity_map(engine):
    with count_statements(engine) as sent, Session(engine) as session:
        names = [book.author.name for book in session.scalars(select(Book))]
    assert len(names) == 5
    assert len(sent) == 1 + 3  # five books, but only three distinct authors to load


# --8<-- [start:transaction_test]
def test_an_order_is_recorded_whole_or_not_at_all(engine, sessions):
    with count_statements(engine) as sent:
        order_id = place_order(sessions, {1: 2, 3: 1})
    assert (stock_of(engine, 1), stock_of(engine, 3)) == (3, 11)
    inserts = [s.split()[2] for s in sent if s.startswith("INSERT")]
    assert inserts == ["orders", "order_items"]  # the unit of work orders the INSERTs

    with pytest.raises(OutOfStock):
        place_order(sessions, {1: 1, 2: 4})  # book 1 is fine, book 2 has only 3
    with pytest.raises(UnknownBook):
        place_order(sessions, {1: 1, 999: 1})
    assert stock_of(engine, 1) == 3  # both failed orders left book 1 alone
    with Session(engine) as session:
        assert session.scalars(select(Order.id)).all() == [order_id]
# --8<-- [end:transaction_test]


@pytest.mark.parametrize("bad", [{}, {1: 0}, {1: -5}, {1: 1, 3: 0}, None, [(1, 1)]])
def test_an_order_without_lines_or_with_a_quantity_below_one_is_refused(engine, sessions, bad):
    with pytest.raises(ValueError, match="line|quantity"):
        place_order(sessions, bad)
    assert stock_of(engine, 1) == 5


def typeof_stock(engine, book_id: int) -> tuple[object, str]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT stock, typeof(stock) FROM books WHERE id = :id"),
                           {"id": book_id}).one()
    return tuple(row)


@pytest.mark.parametrize("order", [{1: 1.5}, {1: 2.0}, {1: math.nan}, {1: math.inf},
                                   {1: True}, {1: "2"}, {"1": 1}, {1.0: 1}, {True: 1}])
def test_a_quantity_or_book_id_that_is_not_a_whole_number_is_refused(engine, sessions, order):
    """Regression: {1: 1.5} committed stock = 3.5 (a REAL in an INTEGER column), NaN was bound
    as NULL (an IntegrityError, a 500), "2" was a TypeError and True counted as 1."""
    with pytest.raises(ValueError, match="whole number"):
        place_order(sessions, order)
    assert typeof_stock(engine, 1) == (5, "integer")


@pytest.mark.parametrize(("book_id", "price", "version"),
                         [(1, 1.5, 1), (1, math.nan, 1), (1, "100", 1), ("1", 100, 1),
                          (1, True, 1), (1, 100, "1"), (1, 100, None)])
def test_change_price_takes_only_whole_numbers(engine, sessions, book_id, price, version):
    """Regression: a price of 1.5 was stored as 1.5; "100" was a TypeError; a version "1"
    (as an If-Match parser may pass it) was always a VersionConflict."""
    with pytest.raises(ValueError, match="whole number"):
        change_price(sessions, book_id, price, read_version=version)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT price_cents, typeof(price_cents), version"
                                 " FROM books WHERE id = 1")).one() == (13_250_000, "integer", 1)


def test_strict_tables_refuse_a_fraction_even_past_the_python_checks(engine):
    """The second line of defense: STRICT tables (SQLite >= 3.37) refuse 3.5 in INTEGER."""
    with engine.begin() as conn, pytest.raises(IntegrityError, match="cannot store REAL"):
        conn.execute(text("UPDATE books SET stock = 3.5 WHERE id = 1"))
    assert typeof_stock(engine, 1) == (5, "integer")


def test_integers_beyond_64_bits_are_a_value_error_not_an_overflow(engine, sessions):
    """Regression: 10**30 reached SQLite and raised OverflowError (a 500 in a route)."""
    huge = 10**30
    with pytest.raises(ValueError, match="book id"):
        place_order(sessions, {huge: 1})
    with pytest.raises(ValueError, match="price_cents"):
        change_price(sessions, 1, huge, read_version=1)
    with pytest.raises(ValueError, match="book id"):
        change_price(sessions, huge, 1, read_version=1)
    with Session(engine) as session, pytest.raises(ValueError, match="max_price_cents"):
        books_in_genre(session, "novel", huge)
    with pytest.raises(ValueError, match="quantity"):
        place_order(sessions, {1: huge})
    with pytest.raises(OutOfStock):  # within 64 bits, a big quantity is more than the stock
        place_order(sessions, {1: 2**63 - 1})
    assert stock_of(engine, 1) == 5


# --8<-- [start:optimistic_lock_test]
def test_the_second_of_two_concurrent_updates_loses(engine):
    alice, bob = Session(engine), Session(engine)
    book_for_alice = alice.get(Book, 1)
    book_for_bob = bob.get(Book, 1)  # both read version 1
    book_for_alice.price_cents = 12_000_000
    alice.commit()  # UPDATE ... WHERE id = 1 AND version = 1: version is now 2
    book_for_bob.stock = 0
    with pytest.raises(StaleDataError, match="expected to update 1 row"):
        bob.commit()  # UPDATE ... WHERE id = 1 AND version = 1 matches no row
    bob.rollback()
    alice.close()
    with Session(engine) as session:
        book = session.get(Book, 1)
        assert (book.price_cents, book.stock, book.version) == (12_000_000, 5, 2)
    fresh = bob.get(Book, 1)  # read again, then retry: this time it works
    fresh.stock = 0
    bob.commit()
    assert fresh.version == 3
    bob.close()
# --8<-- [end:optimistic_lock_test]


def test_change_price_refuses_a_stale_read_version(engine, sessions):
    assert change_price(sessions, 1, 12_000_000, read_version=1) == 2
    with pytest.raises(VersionConflict, match="version 2"):
        change_price(sessions, 1, 11_000_000, read_version=1)  # read before the first change
    with pytest.raises(UnknownBook):
        change_price(sessions, 404, 1, read_version=1)
    with pytest.raises(ValueError):
        change_price(sessions, 1, -1, read_version=2)
    with Session(engine) as session:
        assert session.get(Book, 1).price_cents == 12_000_000


def _another_writer_changes_book_1_before_each_flush(engine, sessions):
    """A concurrent request that commits in the window between our read and our UPDATE."""
    @event.listens_for(sessions, "before_flush")
    def _concurrent_update(session, _flush_context, _instances) -> None:
        with engine.begin() as other:
            other.execute(text("UPDATE books SET stock = stock - 1, version = version + 1"
                               " WHERE id = 1"))


def test_a_change_between_read_and_update_is_a_conflict_not_a_lost_update(engine, sessions):
    _another_writer_changes_book_1_before_each_flush(engine, sessions)
    with pytest.raises(VersionConflict, match="changed during the update"):
        change_price(sessions, 1, 12_000_000, read_version=1)
    with pytest.raises(VersionConflict, match="place it again"):
        place_order(sessions, {1: 1})
    with Session(engine) as session:
        book = session.get(Book, 1)
        # only the other writer's two changes are in: neither of ours overwrote them
        assert (book.price_cents, book.stock, book.version) == (13_250_000, 3, 3)
        assert session.scalar(select(func.count()).select_from(Order)) == 0


def test_threads_racing_for_the_same_book_never_lose_an_update(engine, sessions):
    """Real threads: each reads version 1, waits at the barrier until all have read, then
    flushes. One order wins; every other gets VersionConflict; no copy is lost or invented."""
    threads = 4
    barrier = threading.Barrier(threads, timeout=20)

    @event.listens_for(sessions, "before_flush")
    def _wait_until_everyone_has_read(session, _flush_context, _instances) -> None:
        if not session.info.get("waited"):
            session.info["waited"] = True
            barrier.wait()

    results: list[str] = []

    def order_one() -> None:
        try:
            place_order(sessions, {1: 1})
            results.append("ok")
        except VersionConflict:
            results.append("conflict")
        except Exception as exc:  # noqa: BLE001 - recorded, and the assert below shows it
            results.append(repr(exc))

    workers = [threading.Thread(target=order_one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(results) == ["conflict"] * (threads - 1) + ["ok"]
    with engine.connect() as conn:
        sold = conn.execute(text("SELECT COALESCE(SUM(quantity), 0) FROM order_items"
                                 " WHERE book_id = 1")).scalar_one()
    assert stock_of(engine, 1) + sold == 5


def test_a_database_locked_past_the_busy_timeout_is_busy_not_a_500(tmp_path):
    """Regression: "database is locked" was a raw OperationalError. Another connection holds
    the write lock; with a 0.05 s busy timeout our write gives up at once."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}?timeout=0.05")
    create_and_seed(engine)
    blocker = engine.raw_connection()
    try:
        blocker.driver_connection.execute("BEGIN IMMEDIATE")  # holds the write lock
        with pytest.raises(Busy):
            place_order(sessionmaker(engine), {1: 1})
        with pytest.raises(Busy):
            change_price(sessionmaker(engine), 1, 100, read_version=1)
    finally:
        blocker.driver_connection.rollback()
        blocker.close()
    assert stock_of(engine, 1) == 5
    engine.dispose()


def test_other_operational_errors_are_not_disguised_as_busy(engine, sessions):
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE order_items"))
    with pytest.raises(OperationalError, match="no such table"):
        place_order(sessions, {1: 1})


# --8<-- [start:injection_test]
ATTACK = "' UNION SELECT id, name FROM authors --"


def test_an_f_string_in_text_lets_the_input_rewrite_the_query(engine):
    with Session(engine) as session:
        leaked = search_titles_unsafe(session, ATTACK)
    assert (1, "Pramoedya Ananta Toer") in leaked  # rows of another table came back


def test_a_bound_parameter_keeps_the_input_as_data(engine):
    with count_statements(engine) as sent, Session(engine) as session:
        assert search_titles(session, ATTACK) == []
        assert search_titles(session, "Pelangi") == [(3, "Laskar Pelangi")]
    assert "UNION" not in sent[0]  # the SQL text has a placeholder, the term went apart
    assert "LIKE '%' || ? || '%' ESCAPE '/'" in sent[0]
# --8<-- [end:injection_test]


@pytest.mark.parametrize("term", ["%", "_", "'", '"', "\\", "/", "--", "a" * 200, "🙂"])
def test_hostile_search_terms_are_plain_text(engine, term):
    with Session(engine) as session:
        assert search_titles(session, term) == []  # % and _ are literal, not wildcards
        assert session.scalar(select(func.count()).select_from(Book)) == 5


def test_sqlite_stops_a_like_pattern_at_a_nul(engine):
    """What the page reports as observed (SQLite 3.40.1): raw SQL, no checks in between."""
    like = text("SELECT COUNT(*) FROM books WHERE title LIKE '%' || :t || '%'")
    with engine.connect() as conn:
        assert conn.execute(like, {"t": "\x00"}).scalar_one() == 5  # every book
        assert conn.execute(like, {"t": "zzz\x00"}).scalar_one() == 0


HOSTILE_TEXT = ["\x00", "Bumi\x00", "a" * 201, "", "\ud800", "Bumi\udfff", None, 5, b"Bumi"]


@pytest.mark.parametrize("term", HOSTILE_TEXT)
def test_a_nul_a_lone_surrogate_a_non_string_or_a_bad_length_is_refused(engine, term):
    """Regression: a term holding only a NUL matched every book; "\ud800" (what
    json.loads('"\\ud800"') returns) was a UnicodeEncodeError and None a TypeError."""
    with Session(engine) as session:
        with pytest.raises(ValueError, match="search term"):
            search_titles(session, term)
        with pytest.raises(ValueError, match="genre"):
            books_in_genre(session, term, 10**9)
        with pytest.raises(ValueError, match="genre"):
            bestsellers_by_author(session, term)


# --8<-- [start:explicit_sql_test]
def test_explicit_sql_runs_in_the_same_transaction_as_the_orm(engine, sessions):
    place_order(sessions, {1: 2, 3: 1})
    with Session(engine) as session:
        session.add(Order(ordered_at="2026-12-07"))
        session.flush()  # not committed: only this session's transaction sees it
        count = session.execute(text("SELECT COUNT(*) FROM orders")).scalar_one()
        assert count == 2
        assert bestsellers_by_author(session, "novel") == [
            ("Andrea Hirata", "Laskar Pelangi", 1, 1),
            ("Pramoedya Ananta Toer", "Bumi Manusia", 2, 1),
        ]
        assert bestsellers_by_author(session, "' OR 1=1 --") == []
        session.rollback()
    with Session(engine) as session:
        assert session.execute(text("SELECT COUNT(*) FROM orders")).scalar_one() == 1
# --8<-- [end:explicit_sql_test]


def test_the_recorded_demo_output_is_what_the_code_sends_today():
    examples = Path(__file__).resolve().parents[2] / "examples"
    run = subprocess.run([sys.executable, "-m", "orm.demo"], cwd=examples, capture_output=True,
                         text=True, timeout=60, check=True)
    assert run.stdout == (examples / "orm/output/demo.txt").read_text(encoding="utf-8")
