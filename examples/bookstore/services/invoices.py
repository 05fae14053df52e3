"""Invoices: made by a background job after the order commits, exactly one per order."""

from __future__ import annotations

import sqlite3

from bookstore.db import invoices as invoices_db
from bookstore.db import outbox
from bookstore.db.connection import transaction
from bookstore.services.orders import get_order


def render_invoice(order: dict, titles: dict[int, str]) -> str:
    """The invoice text. In a real shop this renders a PDF: the slow part of the job."""
    lines = [f"Order {order['id']} of {order['created_at']}"]
    for item in order["items"]:
        title = titles.get(item["book_id"], f"book {item['book_id']}")
        lines.append(f"{item['quantity']} x {title} @ {item['unit_price']}")
    lines.append(f"Total {order['currency']} {order['total']}")
    return "\n".join(lines) + "\n"


# --8<-- [start:make_invoice]
def make_invoice(conn: sqlite3.Connection, order_id: int) -> str:
    """Make the invoice of an order once and return its number ("INV-000001").

    Idempotent: a second call for the same order, such as a job delivered again after a
    worker crash, returns the number of the first invoice and changes nothing.
    """
    number = invoices_db.number_of(conn, order_id)
    if number is None:  # a shortcut only: two workers can both get here at the same time
        order = get_order(conn, order_id)  # NotFound if the order does not exist
        titles = invoices_db.titles_of(conn, [item["book_id"] for item in order["items"]])
        body = render_invoice(order, titles)  # slow: done before BEGIN, not under the lock
        with transaction(conn):
            invoices_db.insert_once(conn, order_id, body)  # UNIQUE (order_id): one wins
        number = invoices_db.number_of(conn, order_id)
    return f"INV-{number:06d}"


# --8<-- [end:make_invoice]


def requeue_missing_invoices(conn: sqlite3.Connection) -> int:
    """Record the invoice job again for every order still without an invoice an hour after
    it was placed: its job was lost (Redis lost its data) or sits in the dead letters.
    Safe to run any time, by several processes: make_invoice is idempotent, and the
    transaction makes a second sweep see the jobs the first one recorded."""
    with transaction(conn):
        order_ids = invoices_db.orders_missing_an_invoice(conn)
        for order_id in order_ids:
            outbox.add(conn, "invoice", {"order_id": order_id})
    return len(order_ids)
