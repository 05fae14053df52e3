"""The outbox relay: jobs committed with the data move from SQLite to the Redis stream."""

from __future__ import annotations

import sqlite3

import redis

from bookstore.db import outbox
from bookstore.jobs.queue import STREAM


# --8<-- [start:relay]
def relay_outbox(conn: sqlite3.Connection, r: redis.Redis, limit: int = 100) -> int:
    """Copy the oldest unsent outbox rows onto the stream; returns how many."""
    rows = outbox.unsent(conn, limit)
    if rows:
        with r.pipeline(transaction=False) as pipe:  # one round trip for all of them
            for row in rows:
                pipe.xadd(STREAM, {"topic": row["topic"], "payload": row["payload"]})
            pipe.execute()
        # A crash right here, after XADD and before this UPDATE, sends these rows again
        # next time: the relay is at-least-once too, and the handlers are idempotent.
        outbox.mark_sent(conn, [row["id"] for row in rows])
    return len(rows)


# --8<-- [end:relay]
