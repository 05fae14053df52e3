"""A slice of the bookstore schema (examples/sql/schema.sql) as SQLAlchemy mapped classes.

Customers are left out: authors, books, orders and order lines are enough to show
relationships, constraints, a transaction and optimistic locking.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


STRICT = {"sqlite_strict": True}  # SQLite >= 3.37 then refuses 3.5 in an INTEGER column


def text_upto(length: int) -> String:
    """VARCHAR(n) elsewhere; TEXT on SQLite, whose STRICT tables accept no VARCHAR."""
    return String(length).with_variant(Text(), "sqlite")


# --8<-- [start:models]
class Author(Base):
    __tablename__ = "authors"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(text_upto(200))  # Mapped[str]: NOT NULL
    books: Mapped[list[Book]] = relationship(back_populates="author", order_by="Book.id")


class Book(Base):
    __tablename__ = "books"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(text_upto(300))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    genre: Mapped[str] = mapped_column(text_upto(50), index=True)
    price_cents: Mapped[int]  # money as whole cents, as in the bookstore
    stock: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column()  # optimistic locking: see __mapper_args__

    author: Mapped[Author] = relationship(back_populates="books")
    __mapper_args__: ClassVar = {"version_id_col": version}  # UPDATE ... AND version = ?
# --8<-- [end:models]


# --8<-- [start:orders]
class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(primary_key=True)
    ordered_at: Mapped[str] = mapped_column(text_upto(10))  # ISO 8601 date, e.g. 2026-12-07
    items: Mapped[list[OrderItem]] = relationship(cascade="all, delete-orphan")


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="unit_price_not_negative"),
        STRICT,
    )

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), primary_key=True)
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]  # the price paid, copied from the book
# --8<-- [end:orders]


# --8<-- [start:engine]
def make_engine(url: str = "sqlite://") -> Engine:
    """An engine whose SQLite connections enforce foreign keys (SQLite leaves them off)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _foreign_keys_on(dbapi_connection, _record) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
    return engine
# --8<-- [end:engine]


SEED_AUTHORS = [
    (1, "Pramoedya Ananta Toer"), (2, "Andrea Hirata"), (3, "Dee Lestari"),
    (4, "Leila S. Chudori"),
]
SEED_BOOKS = [  # the rows of examples/sql/schema.sql: id, title, author, genre, price, stock
    (1, "Bumi Manusia", 1, "novel", 13250000, 5),
    (2, "Anak Semua Bangsa", 1, "novel", 12500000, 3),
    (3, "Laskar Pelangi", 2, "novel", 8900000, 12),
    (4, "Sang Pemimpi", 2, "novel", 7900000, 0),
    (5, "Filosofi Kopi", 3, "stories", 6500000, 8),
]


def create_and_seed(engine: Engine) -> None:
    """Tables from the models and the sample rows. For tests only: a real schema changes
    through reviewed migrations (Alembic), never through create_all on a live database."""
    from sqlalchemy.orm import Session

    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        session.add_all(Author(id=i, name=n) for i, n in SEED_AUTHORS)
        session.add_all(
            Book(id=i, title=t, author_id=a, genre=g, price_cents=p, stock=s)
            for i, t, a, g, p, s in SEED_BOOKS
        )
