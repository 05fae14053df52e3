"""`python -m bookstore.jobs worker|status|requeue-dead|sweep`: the worker and its tools.

The worker relays the outbox of the service's SQLite database to Redis and runs the jobs;
sweep does the hourly clean-up (bookstore/jobs/sweep.py). Configuration comes from
BOOKSTORE_DATABASE (the service's database file) and BOOKSTORE_REDIS_URL (default
redis://127.0.0.1:6379/0), or from the options.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from bookstore.db.connection import connect
from bookstore.db.migrate import current_version, load_migrations
from bookstore.jobs.handlers import make_handlers
from bookstore.jobs.queue import DEAD, STREAM, Worker, requeue_dead, status
from bookstore.jobs.relay import relay_outbox
from bookstore.jobs.sweep import sweep
from bookstore.observability.logging import configure_logging

log = logging.getLogger("bookstore.jobs")
FULL = (
    "raise maxmemory in redis.conf, or look at the dead letters"
    f" (redis-cli XRANGE {DEAD} - + COUNT 10) and trim them (XTRIM {DEAD} MAXLEN 1000)"
)


class Refused(Exception):
    """A setting or a dependency is wrong; the message says what and how to fix it."""


def without_password(url: str) -> str:
    """The URL as it may appear in a message or a log: no user name, no password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def open_redis(url: str) -> redis.Redis:
    try:
        r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=10)
    except ValueError:
        raise Refused(
            f"BOOKSTORE_REDIS_URL {without_password(url)!r} is not a Redis URL"
            " — fix: use redis://host:6379/0, rediss://... (TLS) or unix:///path/to/redis.sock"
        ) from None
    try:
        r.ping()
    except redis.RedisError as exc:
        raise Refused(
            f"cannot reach Redis at {without_password(url)}: {exc}"
            " — fix: start redis-server (Debian: apt-get install redis-server)"
            " or set BOOKSTORE_REDIS_URL"
        ) from None
    return r


def open_database(path: str) -> sqlite3.Connection:
    if not Path(path).is_file():  # sqlite3 would quietly create an empty file
        raise Refused(
            f"database {path!r} not found — fix: set BOOKSTORE_DATABASE to the service's file"
        )
    conn = connect(path)
    have, need = current_version(conn), len(load_migrations())
    if have < need:  # older than this code: the outbox or one of its columns is missing
        conn.close()
        raise Refused(
            f"database {path!r} is at schema version {have}, this code needs {need}"
            " — fix: start the service once (it runs the migrations), then the worker"
        )
    return conn


# --8<-- [start:work]
def work(conn: sqlite3.Connection, r: redis.Redis, name: str, stop: threading.Event) -> None:
    """Relay the outbox and run jobs, one at a time, until `stop` is set (SIGTERM or
    Ctrl+C): the job in hand is finished, the next one is not started."""
    worker = Worker(r, name, make_handlers(conn))
    log.info("worker started", extra={"worker": name})
    while not stop.is_set():
        try:
            relay_unless_full(conn, r)
            worker.run_once(block_ms=1000)  # returns within about a second when idle
        except redis.OutOfMemoryError as exc:  # e.g. a failed job's error cannot be stored
            log.error("Redis is full, trying again", extra={"error": str(exc), "fix": FULL})
            stop.wait(5)
        except (redis.ConnectionError, redis.TimeoutError, sqlite3.OperationalError) as exc:
            # Redis restarting or the database busy: jobs wait in the outbox and the PEL.
            log.warning("cannot work right now, trying again", extra={"error": str(exc)})
            stop.wait(1)
    log.info("worker stopped", extra={"worker": name})


def relay_unless_full(conn: sqlite3.Connection, r: redis.Redis) -> None:
    """Relay the outbox. A Redis over its maxmemory (noeviction) refuses XADD: the jobs
    then wait in the outbox, and the worker goes on with the jobs already queued, whose
    XACK and XDEL still run and free memory."""
    try:
        relay_outbox(conn, r)
    except redis.OutOfMemoryError as exc:
        log.error(
            "Redis is full, new jobs wait in the outbox", extra={"error": str(exc), "fix": FULL}
        )


# --8<-- [end:work]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookstore.jobs", description=__doc__)
    parser.add_argument("command", choices=["worker", "status", "requeue-dead", "sweep"])
    parser.add_argument("--database", default=os.environ.get("BOOKSTORE_DATABASE", "bookstore.db"))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BOOKSTORE_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    parser.add_argument("--name", default=f"{socket.gethostname()}-{os.getpid()}")
    args = parser.parse_args(argv)
    configure_logging("INFO")
    try:
        if args.command == "sweep":  # the database only: no Redis needed
            conn = open_database(args.database)
            log.info("sweep done", extra=sweep(conn))
            conn.close()
            return 0
        r = open_redis(args.redis_url)
        if args.command == "status":
            print(json.dumps(status(r)))
        elif args.command == "requeue-dead":
            print(f"{requeue_dead(r)} dead jobs back on the queue")
        else:
            conn = open_database(args.database)
            stop = threading.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())  # finish the job in hand, then exit
            work(conn, r, args.name, stop)
            conn.close()
    except redis.OutOfMemoryError as exc:  # before ResponseError, of which it is a kind
        print(f"bookstore.jobs: Redis is full: {exc} — fix: {FULL}", file=sys.stderr)
        return 1
    except redis.ResponseError as exc:  # e.g. the key holds something else, or Redis < 6.2
        print(
            f"bookstore.jobs: Redis refused a queue command: {exc}"
            f" — fix: make sure {STREAM} and {DEAD} are streams or absent"
            f" (redis-cli TYPE {STREAM}) and that the server runs Redis 6.2 or later",
            file=sys.stderr,
        )
        return 1
    except Refused as exc:
        print(f"bookstore.jobs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
