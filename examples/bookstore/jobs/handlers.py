"""Job handlers: check the payload, then call a service. Each one must be idempotent."""

from __future__ import annotations

import sqlite3

from bookstore.jobs.queue import Handler, PermanentJobError
from bookstore.services.errors import NotFound
from bookstore.services.invoices import make_invoice

MAX_ID = 2**63 - 1  # the largest SQLite INTEGER


# --8<-- [start:invoice_handler]
def make_handlers(conn: sqlite3.Connection) -> dict[str, Handler]:
    """The worker's handlers, one per topic, sharing the worker's database connection."""

    def invoice(payload: dict) -> None:
        order_id = payload.get("order_id") if isinstance(payload, dict) else None
        # A job is input from outside the process, like a request body: check it.
        if type(order_id) is not int or not 1 <= order_id <= MAX_ID:
            raise PermanentJobError(f"an invoice job needs an order_id, got {payload!r}"[:200])
        try:
            make_invoice(conn, order_id)  # idempotent: safe when the job comes twice
        except NotFound as exc:  # retrying will not create the order
            raise PermanentJobError(str(exc)) from exc

    return {"invoice": invoice}


# --8<-- [end:invoice_handler]
