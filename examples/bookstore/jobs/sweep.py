"""The hourly sweep: what neither the queue nor a request cleans up on its own.

Run by bookstore-sweep.timer (examples/deploy) as `python -m bookstore.jobs sweep`. It needs
the database only, not Redis, and is safe to run again or from two machines at once.
"""

from __future__ import annotations

import sqlite3

from bookstore.db import idempotency, outbox
from bookstore.services.invoices import requeue_missing_invoices


# --8<-- [start:sweep]
def sweep(conn: sqlite3.Connection) -> dict[str, int]:
    """One pass; returns what it did, for the log."""
    return {
        # A job lost after the relay sent it (Redis restarted without its data, or its
        # last second of writes with appendfsync everysec): reconcile the data with it.
        "invoice_jobs_recorded_again": requeue_missing_invoices(conn),
        # Idempotency-Key answers live 24 hours, then the key is free again.
        "expired_keys_deleted": idempotency.purge_expired(conn),
        # Sent outbox rows are kept 7 days to look into a lost job, then deleted.
        "sent_jobs_deleted": outbox.purge_sent(conn, days=7),
    }


# --8<-- [end:sweep]
