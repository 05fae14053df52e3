"""One bookstore order as a document (the document model), built from the relational rows
of sql/schema.sql. A document store such as MongoDB keeps this nested value as one record:
one read returns the whole order, at the price of copying data that the tables keep once.
"""

from __future__ import annotations

import sqlite3


# --8<-- [start:order_document]
def order_document(conn: sqlite3.Connection, order_id: int) -> dict:
    """Everything an "order details" screen needs, as one nested value."""
    order = conn.execute(
        "SELECT o.id, o.ordered_at, c.email, c.city FROM orders AS o"
        " JOIN customers AS c ON c.id = o.customer_id WHERE o.id = ?",
        (order_id,),
    ).fetchone()
    if order is None:
        raise LookupError(f"no order {order_id}")
    items = conn.execute(
        "SELECT b.title, a.name, oi.quantity, oi.unit_price_cents FROM order_items AS oi"
        " JOIN books AS b ON b.id = oi.book_id JOIN authors AS a ON a.id = b.author_id"
        " WHERE oi.order_id = ? ORDER BY b.title",
        (order_id,),
    ).fetchall()
    return {
        "_id": f"order:{order[0]}",
        "ordered_at": order[1],
        "customer": {"email": order[2], "city": order[3]},  # copied, not referenced
        "items": [
            {"title": title, "author": author, "quantity": qty, "unit_price_cents": price}
            for title, author, qty, price in items  # embedded: no join when reading
        ],
    }


# --8<-- [end:order_document]
