"""Every named section of examples/sql/queries.sql runs against schema.sql in SQLite."""

import re
import sqlite3
from pathlib import Path

import pytest

SQL = Path(__file__).resolve().parents[2] / "examples" / "sql"
SECTION = re.compile(
    r"^-- --8<-- \[start:(?P<name>[a-z_]+)\]\n(?P<body>.*?)^-- --8<-- \[end:(?P=name)\]",
    re.MULTILINE | re.DOTALL,
)


def sections() -> dict[str, str]:
    return {m["name"]: m["body"] for m in SECTION.finditer((SQL / "queries.sql").read_text())}


def statements(script: str) -> list[str]:
    """Split a script into statements the way sqlite3 sees them."""
    result, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            result.append(current.strip())
            current = ""
    return result


@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:", isolation_level=None)  # the script's BEGIN/COMMIT rule
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript((SQL / "schema.sql").read_text())
    yield conn
    conn.close()


def run(db, name: str) -> list[tuple]:
    """Run a section; return the rows of its last statement."""
    rows: list[tuple] = []
    for statement in statements(sections()[name]):
        rows = db.execute(statement).fetchall()
    return rows


def test_every_section_is_tested():
    tested = {
        "inner_join",
        "left_join",
        "group_by_having",
        "index_explain",
        "transaction",
        "window_function",
        "running_total",
    }
    assert set(sections()) == tested


def test_inner_join(db):
    rows = run(db, "inner_join")
    assert len(rows) == 5 and rows[0] == ("Anak Semua Bangsa", "Pramoedya Ananta Toer")


def test_left_join_keeps_authors_without_books(db):
    assert run(db, "left_join") == [
        ("Andrea Hirata", 2),
        ("Pramoedya Ananta Toer", 2),
        ("Dee Lestari", 1),
        ("Leila S. Chudori", 0),
    ]


def test_count_star_would_give_an_author_without_books_one(db):
    # What the page says: COUNT(*) counts the NULL row that LEFT JOIN adds for Leila.
    query = sections()["left_join"].replace("COUNT(b.id)", "COUNT(*)")
    assert "COUNT(*)" in query
    assert dict(db.execute(statements(query)[0]).fetchall())["Leila S. Chudori"] == 1


def test_group_by_having(db):
    assert run(db, "group_by_having") == [("ana@example.com", 5, 3), ("budi@example.com", 4, 1)]


def test_index_changes_the_plan(db):
    plans = [db.execute(s).fetchall() for s in statements(sections()["index_explain"])]
    before, after = plans[0][0][-1], plans[2][0][-1]  # the "detail" column
    assert before == "SCAN books"
    assert after == "SEARCH books USING INDEX idx_books_author_id (author_id=?)"


def test_transaction_updates_stock_and_order_together(db):
    run(db, "transaction")
    assert db.execute("SELECT stock FROM books WHERE id = 3").fetchone() == (10,)
    assert db.execute(
        "SELECT quantity, unit_price_cents FROM order_items WHERE order_id = 5"
    ).fetchone() == (2, 8_900_000)


def test_transaction_with_too_little_stock_is_rolled_back(db):
    db.execute("UPDATE books SET stock = 1 WHERE id = 3")
    begin, update, *rest = statements(sections()["transaction"])
    db.execute(begin)
    assert db.execute(update).rowcount == 0  # what the application checks
    db.execute("ROLLBACK")  # instead of the INSERTs and the COMMIT
    assert db.execute("SELECT stock FROM books WHERE id = 3").fetchone() == (1,)
    assert db.execute("SELECT COUNT(*) FROM orders WHERE id = 5").fetchone() == (0,)
    assert rest[-1] == "COMMIT;"


def test_window_function(db):
    rows = run(db, "window_function")
    pram = [r for r in rows if r[0] == "Pramoedya Ananta Toer"]
    assert [(r[1], r[3]) for r in pram] == [("Bumi Manusia", 1), ("Anak Semua Bangsa", 2)]
    assert pram[0][4] == pytest.approx(12_875_000)
    assert len(rows) == 5  # one row per book: nothing collapsed


def test_running_total(db):
    assert run(db, "running_total") == [
        ("2026-03-01", 3, 3),
        ("2026-03-15", 1, 4),
        ("2026-03-20", 4, 8),
        ("2026-04-02", 1, 9),
    ]


def test_without_order_by_in_over_every_row_gets_the_grand_total(db):
    # What the page says: without ORDER BY the window is every row, so each gets 9.
    query = sections()["running_total"].replace("OVER (ORDER BY o.ordered_at)", "OVER ()")
    assert "OVER ()" in query
    assert [row[2] for row in db.execute(statements(query)[0]).fetchall()] == [9, 9, 9, 9]


def test_the_sql_parses_as_standard_sql():
    sqlglot = pytest.importorskip("sqlglot")
    for name, body in sections().items():
        for statement in statements(body):
            if not statement.startswith(("EXPLAIN", "BEGIN", "COMMIT")):
                assert sqlglot.parse_one(statement, read="sqlite"), name
