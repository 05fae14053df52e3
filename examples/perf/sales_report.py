"""A report endpoint that is slow on purpose, to practice profiling: sales per author, from
the bookstore's own tables (authors, books, orders, order_items).

Run from examples/ (it makes sales-report.db there the first time, in under a second):

    python -m perf.sales_report                # http://127.0.0.1:8002/reports/sales-by-author
    python -m perf.sales_report --fixed        # the same endpoint after the fix

The slow version is the kind of code that passes review on a small test database and hurts on
a real one: a linear search inside a loop. perf/profile_report.py profiles it.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.services.pricing import from_cents
from fastapi import Depends, FastAPI, Request

from perf.latency import int_between

Report = Callable[[sqlite3.Connection], list[dict]]


# --8<-- [start:slow_report]
def sales_by_author_slow(conn: sqlite3.Connection) -> list[dict]:
    """SLOW ON PURPOSE: for every order line, look its book and author up in a list."""
    books = conn.execute("SELECT id, author_id FROM books").fetchall()
    authors = conn.execute("SELECT id, name FROM authors").fetchall()
    lines = conn.execute("SELECT book_id, quantity, unit_price_cents FROM order_items")
    totals: dict[int, int] = {}
    for line in lines:
        book = next(b for b in books if b["id"] == line["book_id"])  # scans the list
        author_id = book["author_id"]
        totals[author_id] = totals.get(author_id, 0) + line["quantity"] * line["unit_price_cents"]
    names = {a["id"]: a["name"] for a in authors}
    return top_ten([(names[author_id], cents) for author_id, cents in totals.items()])


# --8<-- [end:slow_report]


# --8<-- [start:fixed_report]
def sales_by_author(conn: sqlite3.Connection) -> list[dict]:
    """The fix: the database joins, adds up and sorts, and sends back ten rows."""
    rows = conn.execute(
        "SELECT a.name, SUM(i.quantity * i.unit_price_cents) AS cents"
        " FROM order_items AS i"
        " JOIN books AS b ON b.id = i.book_id"
        " JOIN authors AS a ON a.id = b.author_id"
        " GROUP BY a.id ORDER BY cents DESC, a.name LIMIT 10"
    ).fetchall()
    return top_ten([(name, cents) for name, cents in rows])


# --8<-- [end:fixed_report]


def top_ten(totals: list[tuple[str, int]]) -> list[dict]:
    """The ten best-selling authors, highest sales first (ties by name)."""
    best = sorted(totals, key=lambda item: (-item[1], item[0]))[:10]
    return [{"author": name, "sales": str(from_cents(cents))} for name, cents in best]


def fill(conn: sqlite3.Connection, books: int, orders: int, seed: int = 7) -> None:
    """A catalog and its order history, the same for the same seed: 1 author per 10 books,
    1 to 5 lines per order (about 3 * orders lines), prices Rp50,000 to Rp200,000."""
    rng = random.Random(seed)
    with transaction(conn):
        conn.execute("INSERT INTO users (email, password_hash) VALUES ('report@example.com', 'x')")
        conn.executemany(
            "INSERT INTO authors (id, name) VALUES (?, ?)",
            [(a, f"Author {a:04d}") for a in range(1, books // 10 + 2)],
        )
        price = {b: rng.randrange(50_000, 200_001, 500) * 100 for b in range(1, books + 1)}
        conn.executemany(
            "INSERT INTO books (id, title, author_id, price_cents, stock) VALUES (?, ?, ?, ?, 0)",
            [(b, f"Book {b:05d}", b // 10 + 1, cents) for b, cents in price.items()],
        )
        for order_id in range(1, orders + 1):
            chosen = rng.sample(range(1, books + 1), rng.randint(1, 5))
            items = [(order_id, b, rng.randint(1, 3), price[b]) for b in chosen]
            total = sum(quantity * price for _, _, quantity, price in items)
            conn.execute(
                "INSERT INTO orders (id, user_id, total_cents) VALUES (?, 1, ?)",
                (order_id, total),
            )
            conn.executemany(
                "INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents)"
                " VALUES (?, ?, ?, ?)",
                items,
            )


def open_report_db(path: str, books: int = 2_000, orders: int = 2_000) -> sqlite3.Connection:
    """The report's database: migrated, and filled the first time (the same data each time)."""
    conn = connect(path)
    migrate(conn)
    if conn.execute("SELECT COUNT(*) FROM books").fetchone()[0] == 0:
        fill(conn, books, orders)
    return conn


# --8<-- [start:report_endpoint]
def report_db(request: Request) -> Iterator[sqlite3.Connection]:
    conn = connect(request.app.state.database)  # one connection per request, always closed
    try:
        yield conn
    finally:
        conn.close()


def create_app(database: str, report: Report = sales_by_author_slow) -> FastAPI:
    app = FastAPI(title="Sales report", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.database = database

    @app.get("/reports/sales-by-author")
    def sales_report(conn: Annotated[sqlite3.Connection, Depends(report_db)]) -> list[dict]:
        return report(conn)

    return app


# --8<-- [end:report_endpoint]


def main(argv: list[str] | None = None) -> None:
    import uvicorn  # only the server needs it; the profiling script does not

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixed", action="store_true", help="serve the fixed report")
    parser.add_argument("--port", type=int_between(1024, 65535), default=8002)
    parser.add_argument("--database", type=Path, default=Path("sales-report.db"))
    args = parser.parse_args(argv)
    try:
        open_report_db(str(args.database)).close()
    except sqlite3.Error as exc:
        parser.error(f"{args.database}: cannot use it as the report database ({exc})")
    report = sales_by_author if args.fixed else sales_by_author_slow
    uvicorn.run(
        create_app(str(args.database), report),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
