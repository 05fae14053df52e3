"""SQL for payment events received from the payment provider's webhook."""

from __future__ import annotations

import sqlite3


def record_payment_event(conn: sqlite3.Connection, event_id: str, order_id: int) -> bool:
    """Remember a payment event; False if it was seen before (a resend or a replay)."""
    cursor = conn.execute(
        "INSERT INTO payment_events (event_id, order_id) VALUES (?, ?)"
        " ON CONFLICT (event_id) DO NOTHING",
        (event_id, order_id),
    )
    return cursor.rowcount == 1
