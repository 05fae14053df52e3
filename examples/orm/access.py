"""Data access with the SQLAlchemy ORM, beside the bookstore's explicit SQL (bookstore/db/).

Every function takes a Session or a sessionmaker and raises a named error for bad input;
the caller (an HTTP route, say) turns those into 4xx answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from orm.models import Author, Book, Order, OrderItem


class OutOfStock(Exception):
    """Fewer copies left than ordered; the whole order was rolled back."""


class UnknownBook(LookupError):
    """No book with that id."""


class VersionConflict(Exception):
    """Someone changed the book since the caller read it: read it again, then retry."""


class Busy(Exception):
    """Another writer held the database lock past the driver's busy timeout: retry later
    (a 503 with Retry-After, say)."""


INT64_MAX = 2**63 - 1  # SQLite's INTEGER and PostgreSQL's BIGINT hold no more


def check_range(name: str, value: int, low: int) -> None:
    """A ValueError the caller can turn into a 422, instead of the driver's OverflowError,
    a 3.5 written into the stock or a NaN bound as NULL. bool is an int in Python: refused."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {type(value).__name__}")  # noqa: TRY004 - one 422 error
    if not low <= value <= INT64_MAX:
        raise ValueError(f"{name} must be between {low} and {INT64_MAX}, got {value}")


def check_text(name: str, value: str, max_length: int, min_length: int = 0) -> None:
    """One check for every text parameter. A NUL ends a LIKE pattern early in SQLite, and a
    lone surrogate (json.loads('"\\ud800"') returns one) is a UnicodeEncodeError in the driver."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {type(value).__name__}")  # noqa: TRY004 - one 422 error
    if not min_length <= len(value) <= max_length or "\x00" in value:
        raise ValueError(f"{name} must have {min_length} to {max_length} characters and no NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name} must be valid Unicode (no lone surrogate)") from None


def is_busy(exc: OperationalError) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY, Python 3.11+ names it)."""
    return getattr(exc.orig, "sqlite_errorname", "") == "SQLITE_BUSY"


# --8<-- [start:count_statements]
@contextmanager
def count_statements(engine: Engine) -> Iterator[list[str]]:
    """Record every SQL statement the engine sends while the block runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
# --8<-- [end:count_statements]


MAX_ROWS = 50  # a list endpoint pages through results; never an unbounded read


# --8<-- [start:select_books]
def books_in_genre(session: Session, genre: str, max_price_cents: int) -> list[Book]:
    """In-stock books of one genre up to a price, cheapest first (at most MAX_ROWS)."""
    check_text("genre", genre, 50, min_length=1)
    check_range("max_price_cents", max_price_cents, 0)
    statement = (
        select(Book)
        .where(Book.genre == genre, Book.price_cents <= max_price_cents, Book.stock > 0)
        .order_by(Book.price_cents, Book.id)
        .limit(MAX_ROWS)
    )
    return list(session.scalars(statement))
# --8<-- [end:select_books]


# --8<-- [start:n_plus_one]
def catalog_lazy(session: Session) -> dict[str, list[str]]:
    """SLOW ON PURPOSE: one SELECT for the authors, then one more per author."""
    authors = session.scalars(select(Author).order_by(Author.id))
    return {a.name: [b.title for b in a.books] for a in authors}  # a.books: lazy load


def catalog_selectin(session: Session) -> dict[str, list[str]]:
    """Two SELECTs up to 500 authors: the second loads their books with WHERE author_id IN
    (...); SQLAlchemy sends at most 500 keys per IN query, so each further 500 adds one."""
    statement = select(Author).order_by(Author.id).options(selectinload(Author.books))
    return {a.name: [b.title for b in a.books] for a in session.scalars(statement)}


def catalog_joined(session: Session) -> dict[str, list[str]]:
    """One SELECT with a LEFT OUTER JOIN; unique() folds the repeated author rows."""
    statement = select(Author).order_by(Author.id).options(joinedload(Author.books))
    authors = session.scalars(statement).unique()
    return {a.name: [b.title for b in a.books] for a in authors}
# --8<-- [end:n_plus_one]


# --8<-- [start:place_order]
def place_order(sessions: sessionmaker[Session], quantities: dict[int, int]) -> int:
    """Take stock for every line and record the order: all of it, or nothing."""
    if not isinstance(quantities, dict) or not quantities:
        raise ValueError("an order needs at least one line")
    for book_id, quantity in quantities.items():
        check_range("book id", book_id, 1)
        check_range("quantity", quantity, 1)
    try:
        with sessions.begin() as session:  # COMMIT at the end, ROLLBACK on any exception
            order = Order(ordered_at=dt.datetime.now(dt.UTC).date().isoformat())  # UTC date
            for book_id, quantity in sorted(quantities.items()):
                book = session.get(Book, book_id)
                if book is None:
                    raise UnknownBook(book_id)
                if book.stock < quantity:
                    raise OutOfStock(f"book {book_id}: {book.stock} left, {quantity} ordered")
                book.stock -= quantity  # flushed as UPDATE ... WHERE id = ? AND version = ?
                order.items.append(OrderItem(book_id=book_id, quantity=quantity,
                                             unit_price_cents=book.price_cents))
            session.add(order)
            session.flush()  # INSERTs now, so that order.id is known
            return order.id
    except StaleDataError as exc:  # another order changed a book's stock meanwhile
        raise VersionConflict("stock changed during the order; place it again") from exc
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy("the database is busy; place the order again later") from exc
        raise
# --8<-- [end:place_order]


# --8<-- [start:change_price]
def change_price(sessions: sessionmaker[Session], book_id: int, price_cents: int,
                 read_version: int) -> int:
    """Set a new price if the book is still at the version the caller read; the new
    version is returned. An edit made in between raises VersionConflict, never lost."""
    check_range("price_cents", price_cents, 0)
    check_range("book id", book_id, 1)
    check_range("read_version", read_version, 1)
    try:
        with sessions.begin() as session:
            book = session.get(Book, book_id)
            if book is None:
                raise UnknownBook(book_id)
            if book.version != read_version:  # changed before this request began
                raise VersionConflict(f"book {book_id} is at version {book.version}")
            book.price_cents = price_cents
            session.flush()  # the UPDATE matches 0 rows if changed since session.get
            return book.version
    except StaleDataError as exc:  # changed between session.get and the UPDATE
        raise VersionConflict(f"book {book_id} changed during the update") from exc
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy("the database is busy; try again later") from exc
        raise
# --8<-- [end:change_price]


# --8<-- [start:search_unsafe]
def search_titles_unsafe(session: Session, term: str) -> list[tuple[int, str]]:
    """VULNERABLE, shown only beside its fix: the term becomes part of the SQL text."""
    rows = session.execute(text(f"SELECT id, title FROM books WHERE title LIKE '%{term}%'"))
    return [tuple(row) for row in rows]
# --8<-- [end:search_unsafe]


MAX_TERM = 200


# --8<-- [start:search_safe]
def search_titles(session: Session, term: str) -> list[tuple[int, str]]:
    """The fix: the term travels as a bound parameter; autoescape makes % and _ literal."""
    check_text("search term", term, MAX_TERM, min_length=1)  # "" would match every book
    statement = (
        select(Book.id, Book.title)
        .where(Book.title.contains(term, autoescape=True))
        .order_by(Book.id)
        .limit(MAX_ROWS)
    )
    return [tuple(row) for row in session.execute(statement)]
# --8<-- [end:search_safe]


# --8<-- [start:explicit_sql]
BESTSELLERS_SQL = text("""
    SELECT a.name AS author, b.title, SUM(i.quantity) AS sold,
           RANK() OVER (PARTITION BY a.id ORDER BY SUM(i.quantity) DESC) AS rank_in_author
    FROM order_items AS i
    JOIN books AS b ON b.id = i.book_id
    JOIN authors AS a ON a.id = b.author_id
    WHERE b.genre = :genre
    GROUP BY a.id, b.id
    ORDER BY a.name, rank_in_author
""")


def bestsellers_by_author(session: Session, genre: str) -> list[tuple[str, str, int, int]]:
    """Explicit SQL through the same session, so in the same transaction as ORM work;
    :genre is still a bound parameter."""
    check_text("genre", genre, 50, min_length=1)
    return [tuple(row) for row in session.execute(BESTSELLERS_SQL, {"genre": genre})]
# --8<-- [end:explicit_sql]
