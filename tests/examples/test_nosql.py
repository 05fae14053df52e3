"""The document model next to the relational one (examples/nosql/)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from nosql.document import order_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript((EXAMPLES / "sql" / "schema.sql").read_text())
    yield conn
    conn.close()


def test_the_shown_document_is_what_the_code_builds(db):
    shown = json.loads((EXAMPLES / "nosql" / "order-1.json").read_text(encoding="utf-8"))
    assert order_document(db, 1) == shown


# --8<-- [start:copy_test]
def test_a_document_keeps_copies_that_the_tables_keep_once(db):
    # A document store in miniature: SQLite's JSON functions, one JSON text per order.
    db.execute("CREATE TABLE order_documents (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    for order_id in (1, 2, 4):  # Ana's three orders, each stored when it was placed
        document = order_document(db, order_id)
        db.execute(
            "INSERT INTO order_documents VALUES (?, ?)", (document["_id"], json.dumps(document))
        )

    db.execute("UPDATE customers SET city = 'Jakarta' WHERE email = 'ana@example.com'")

    # The tables changed one row, and every join sees the new city at once ...
    assert order_document(db, 1)["customer"]["city"] == "Jakarta"
    # ... but every stored document kept its own copy of the old one ...
    stored = "SELECT json_extract(body, '$.customer.city') FROM order_documents ORDER BY id"
    assert db.execute(stored).fetchall() == [("Bandung",)] * 3
    # ... so moving one customer means finding and rewriting every document that embeds her.
    rewritten = db.execute(
        "UPDATE order_documents SET body = json_set(body, '$.customer.city', 'Jakarta')"
        " WHERE json_extract(body, '$.customer.email') = 'ana@example.com'"
    ).rowcount
    assert rewritten == 3
    assert db.execute(stored).fetchall() == [("Jakarta",)] * 3


# --8<-- [end:copy_test]


def test_an_unknown_order_is_a_lookup_error_not_a_crash(db):
    with pytest.raises(LookupError, match="no order 99"):
        order_document(db, 99)


def test_the_price_paid_is_a_copy_on_purpose_in_both_models(db):
    document = order_document(db, 1)
    db.execute("UPDATE books SET price_cents = 1 WHERE title = 'Bumi Manusia'")  # a sale
    assert order_document(db, 1) == document  # the order still says what was paid
