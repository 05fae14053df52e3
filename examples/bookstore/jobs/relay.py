"""The outbox relay: jobs committed with the data move from SQLite to the Redis stream."""

from __future__ import annotations

import sqlite3

import redis

from bookstore.db import outbox
from bookstore.jobs.queue import STREAM


# --8<-- [start:relay]
def relay_outbox(conn: sqlite3.Connection, r: redis.Redis, limit: int = 100) -> int:
    """Copy the oldest unsent outbox rows onto the stream; returns how many.

    Every worker runs a relay. Claiming the rows first keeps two relays from sending the
    same rows; a relay that dies after XADD and before mark_sent still sends its rows a
    second time (after the claim runs out): at-least-once, absorbed by idempotent handlers.
    """
    rows = outbox.claim(conn, limit)
    if not rows:
        return 0
    ids = [row["id"] for row in rows]
    try:
        with r.pipeline(transaction=False) as pipe:  # one round trip for all of them
            for row in rows:
                pipe.xadd(STREAM, {"topic": row["topic"], "payload": row["payload"]})
            pipe.execute()
    except redis.RedisError:
        outbox.release(conn, ids)  # Redis full or gone: try again next round
        raise
    outbox.mark_sent(conn, ids)
    return len(rows)


# --8<-- [end:relay]
