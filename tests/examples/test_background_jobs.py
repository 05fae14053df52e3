"""Background jobs: the invoice made while the buyer waits against the invoice made by a
worker from a Redis stream (bookstore.jobs). A real redis-server runs for these tests; they
skip, saying what to install, where it is missing.

Time is not waited for: `age()` tells Redis that a pending job has been idle for as long
as the test needs (XCLAIM ... IDLE ms JUSTID, which leaves the delivery counter alone)."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import bookstore.jobs.__main__ as jobs_cli
import pytest
import redis
from bookstore.cache import TTLCache
from bookstore.db import outbox
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import load_migrations, migrate
from bookstore.jobs.__main__ import main as jobs_main
from bookstore.jobs.__main__ import work
from bookstore.jobs.handlers import make_handlers
from bookstore.jobs.queue import (
    DEAD,
    ERRORS,
    GROUP,
    RETRY_DELAYS_MS,
    STREAM,
    PermanentJobError,
    Worker,
    enqueue,
    ensure_group,
    requeue_dead,
    retry_delay_ms,
    status,
)
from bookstore.jobs.relay import relay_outbox
from bookstore.jobs.sweep import sweep
from bookstore.services import invoices
from bookstore.services.invoices import make_invoice
from bookstore.services.orders import _reserve_and_record, get_order, place_order
from bookstore_support import new_book, new_user
from redis_support import redis_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EMPTY = {"waiting": 0, "pending": 0, "dead": 0}


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def r(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushall()
    ensure_group(client)  # what every worker does at start
    yield client
    client.close()


def age(r: redis.Redis, job_id: str, ms: int) -> None:
    """Make a pending job look idle for `ms` milliseconds, as if that much time had passed."""
    r.xclaim(STREAM, GROUP, "clock", 0, [job_id], idle=ms, justid=True)


def pending(r: redis.Redis) -> list[tuple[str, str, int]]:
    """(job id, worker that holds it, deliveries) of every job handed out, not acknowledged."""
    entries = r.xpending_range(STREAM, GROUP, min="-", max="+", count=100)
    return [(e["message_id"], e["consumer"], e["times_delivered"]) for e in entries]


def invoices_in(conn) -> list[tuple[int, int]]:
    return [tuple(row) for row in conn.execute("SELECT number, order_id FROM invoices")]


def placed_order(path: Path) -> int:
    """A migrated database file with one order; its invoice job waits in the outbox."""
    conn = connect(str(path))
    migrate(conn)
    user, book = new_user(conn), new_book(conn, stock=5, price_cents=8_900_000)
    order_id = place_order(conn, TTLCache(60), user, [(book, 2)])["id"]
    conn.close()
    return order_id


# --- The direct call against the queue -------------------------------------------------


# --8<-- [start:direct_call]
def place_order_invoice_now(conn, cache, user_id, lines) -> dict:
    """DIRECT CALL, for comparison: no queue; the invoice is made while the buyer waits."""
    with transaction(conn):
        order_id = _reserve_and_record(conn, user_id, lines)
    make_invoice(conn, order_id)  # seconds for a real PDF; if it fails, the buyer gets a 500
    return get_order(conn, order_id)


# --8<-- [end:direct_call]


def broken_renderer(order, titles):
    raise OSError(28, "No space left on device")  # say, the PDF library cannot write


# --8<-- [start:direct_vs_queue_test]
def test_a_broken_invoice_fails_the_direct_call_but_not_the_queued_order(empty_db, monkeypatch):
    user, book = new_user(empty_db), new_book(empty_db, stock=5)
    monkeypatch.setattr(invoices, "render_invoice", broken_renderer)

    with pytest.raises(OSError):  # the buyer sees an error ...
        place_order_invoice_now(empty_db, TTLCache(60), user, [(book, 1)])
    count = empty_db.execute(
        "SELECT (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM invoices)"
    )
    assert tuple(count.fetchone()) == (1, 0)  # ... for an order that exists, without invoice

    order = place_order(empty_db, TTLCache(60), user, [(book, 1)])  # no Redis needed at all
    jobs = empty_db.execute("SELECT topic, payload FROM outbox WHERE sent_at IS NULL")
    assert [tuple(job) for job in jobs] == [("invoice", json.dumps({"order_id": order["id"]}))]


# --8<-- [end:direct_vs_queue_test]


def test_placing_an_order_through_the_api_queues_one_invoice_job(client, log_in, db):
    headers = {**log_in("lina@example.com"), "Idempotency-Key": "c2a7-invoice-once"}
    payload = {"items": [{"book_id": 1, "quantity": 1}]}
    first = client.post("/api/v1/orders", json=payload, headers=headers)
    replay = client.post("/api/v1/orders", json=payload, headers=headers)
    assert first.status_code == replay.status_code == 201
    jobs = db.execute("SELECT topic, payload FROM outbox").fetchall()
    assert [tuple(job) for job in jobs] == [
        ("invoice", json.dumps({"order_id": first.json()["id"]}))
    ]


# --- The worker ---------------------------------------------------------------------------


def test_the_worker_makes_the_invoice_of_a_placed_order(tmp_path, r):
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(str(tmp_path / "shop.db"))
    assert relay_outbox(conn, r) == 1 and relay_outbox(conn, r) == 0  # sent once
    assert status(r) == {**EMPTY, "waiting": 1}

    assert Worker(r, "worker-1", make_handlers(conn)).run_once(block_ms=0) == 1

    assert invoices_in(conn) == [(1, order_id)] and status(r) == EMPTY
    body = conn.execute("SELECT body FROM invoices").fetchone()[0]
    assert "2 x Supernova @ 89000.00" in body and body.endswith("Total IDR 178000.00\n")
    assert make_invoice(conn, order_id) == "INV-000001"  # a second call changes nothing
    conn.close()


def worker_that_dies_before_acknowledging(db_path: str, redis_url: str) -> None:
    """Runs in a child process: makes the invoice, then dies the way `kill -9` kills,
    after the invoice's COMMIT and before XACK (os._exit runs no cleanup at all)."""
    r = redis.Redis.from_url(redis_url, decode_responses=True)
    worker = Worker(r, "worker-1", make_handlers(connect(db_path)))
    worker._acknowledge = lambda job_id: os._exit(137)
    worker.run_once(block_ms=5000)


# --8<-- [start:crash_test]
def test_a_job_survives_a_worker_crash_and_still_makes_one_invoice(tmp_path, r, redis_url):
    db_path = str(tmp_path / "shop.db")
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(db_path)
    relay_outbox(conn, r)  # the invoice job is on the stream

    child = multiprocessing.get_context("fork").Process(
        target=worker_that_dies_before_acknowledging, args=(db_path, redis_url)
    )
    child.start()
    child.join(timeout=30)
    assert child.exitcode == 137  # worker-1 died ...
    assert invoices_in(conn) == [(1, order_id)]  # ... after making the invoice ...
    [(job_id, holder, deliveries)] = pending(r)
    assert (holder, deliveries) == ("worker-1", 1)  # ... and before acknowledging the job

    age(r, job_id, retry_delay_ms(1, job_id))  # worker-1's lease on the job runs out
    runs, invoice = [], make_handlers(conn)["invoice"]

    def counted(payload):  # the real handler, counting its runs
        runs.append(payload)
        invoice(payload)

    assert Worker(r, "worker-2", {"invoice": counted}).run_once(block_ms=0) == 1

    assert runs == [{"order_id": order_id}]  # at least once: the job ran a second time ...
    assert invoices_in(conn) == [(1, order_id)]  # ... and still made one invoice
    assert status(r) == EMPTY  # acknowledged, gone from the stream
    conn.close()


# --8<-- [end:crash_test]


def test_the_worker_command_killed_in_the_middle_of_a_job_loses_nothing(tmp_path, r, redis_url):
    db_path = str(tmp_path / "shop.db")
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(db_path)
    relay_outbox(conn, r)
    conn.execute("BEGIN IMMEDIATE")  # hold the write lock: the job cannot commit its invoice
    worker = subprocess.Popen(
        [sys.executable, "-m", "bookstore.jobs", "worker", "--name", "worker-1"]
        + ["--database", db_path, "--redis-url", redis_url],
        cwd=EXAMPLES,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20  # a bound against a hang, not a speed test
        while not pending(r) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [(holder, n) for _, holder, n in pending(r)] == [("worker-1", 1)]
    finally:
        worker.send_signal(signal.SIGKILL)  # in the middle of the job
        worker.wait(timeout=10)
    conn.execute("ROLLBACK")
    assert invoices_in(conn) == []

    [(job_id, _, _)] = pending(r)
    age(r, job_id, retry_delay_ms(1, job_id))
    Worker(r, "worker-2", make_handlers(conn)).run_once(block_ms=0)
    assert invoices_in(conn) == [(1, order_id)] and status(r) == EMPTY
    conn.close()


def test_a_job_relayed_twice_still_makes_one_invoice(tmp_path, r):
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(str(tmp_path / "shop.db"))
    relay_outbox(conn, r)
    # The relay died before marking the row sent, and its 30-second claim has run out.
    conn.execute(
        "UPDATE outbox SET sent_at = NULL,"
        " claimed_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 seconds')"
    )
    assert relay_outbox(conn, r) == 1
    assert status(r) == {**EMPTY, "waiting": 2}  # the same job twice on the stream

    assert drain(Worker(r, "worker-1", make_handlers(conn))) == 2
    assert invoices_in(conn) == [(1, order_id)] and status(r) == EMPTY
    conn.close()


def test_two_relays_send_each_outbox_row_once(tmp_path, r):
    # Regression: every worker runs the relay, and two relays that read the outbox at the
    # same moment both sent the same rows (300 rows became 370 entries on the stream).
    path = tmp_path / "shop.db"
    placed_order(path)
    first, second = connect(str(path)), connect(str(path))
    with transaction(first):
        for order_id in range(2, 301):  # 300 jobs in all
            outbox.add(first, "invoice", {"order_id": order_id})

    class SecondRelayRunsMeanwhile:
        """Redis for the first relay: just before its XADDs, the second relay runs whole."""

        def __getattr__(self, name):
            return getattr(r, name)

        def pipeline(self, **kwargs):
            relayed.append(relay_outbox(second, r, limit=500))
            return r.pipeline(**kwargs)

    relayed = []
    relayed.append(relay_outbox(first, SecondRelayRunsMeanwhile(), limit=500))
    assert sorted(relayed) == [0, 300]  # the second found every row already claimed
    assert r.xlen(STREAM) == 300
    assert first.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0] == 0
    first.close()
    second.close()


def drain(worker: Worker) -> int:
    """Run rounds until the worker finds nothing to do; how many jobs it handled."""
    handled = 0
    while worker.run_once(block_ms=0):
        handled += 1
    return handled


# --- Retries, backoff and dead letters ------------------------------------------------------


def test_retry_delays_grow_and_spread_out():
    for attempts, base in enumerate(RETRY_DELAYS_MS, start=1):
        delays = {retry_delay_ms(attempts, f"1796658465654-{n}") for n in range(50)}
        assert base <= min(delays) and max(delays) <= base * 1.2  # at most 20 % jitter
        assert len(delays) > 10  # spread out, not one value for every job
    assert retry_delay_ms(9, "1-0") == retry_delay_ms(len(RETRY_DELAYS_MS), "1-0")  # capped


# --8<-- [start:retry_test]
def test_a_failing_job_is_retried_after_its_backoff_and_not_before(r):
    attempts = []

    def flaky(payload):  # a mail server that answers only on the third try
        attempts.append(payload)
        if len(attempts) < 3:
            raise ConnectionError("mail server did not answer")

    worker = Worker(r, "worker-1", {"invoice": flaky})
    job_id = enqueue(r, "invoice", {"order_id": 7})

    worker.run_once(block_ms=0)  # attempt 1 fails; the job stays pending
    assert r.hget(ERRORS, job_id) == "ConnectionError: mail server did not answer"
    first_wait = retry_delay_ms(1, job_id)  # 30 s plus jitter
    age(r, job_id, first_wait - 1_000)
    worker.run_once(block_ms=0)
    assert len(attempts) == 1  # a second too early: nothing happens

    age(r, job_id, first_wait)
    worker.run_once(block_ms=0)
    assert len(attempts) == 2  # attempt 2 fails too
    age(r, job_id, first_wait)
    worker.run_once(block_ms=0)
    assert len(attempts) == 2  # the second wait is longer (2 min)

    age(r, job_id, retry_delay_ms(2, job_id))
    worker.run_once(block_ms=0)
    assert len(attempts) == 3 and status(r) == EMPTY  # attempt 3 succeeds
    assert r.hget(ERRORS, job_id) is None


# --8<-- [end:retry_test]


# --8<-- [start:dead_letter_test]
def test_a_job_that_keeps_failing_ends_in_the_dead_letters(r):
    def broken(payload):
        raise KeyError("invoice template")  # a bug: no retry will fix it

    worker = Worker(r, "worker-1", {"invoice": broken})
    job_id = enqueue(r, "invoice", {"order_id": 7})
    worker.run_once(block_ms=0)  # attempt 1
    for attempts in (1, 2, 3):  # attempts 2, 3 and 4, each after its backoff
        age(r, job_id, retry_delay_ms(attempts, job_id))
        worker.run_once(block_ms=0)
    assert pending(r) == [(job_id, "worker-1", 4)]

    age(r, job_id, RETRY_DELAYS_MS[0])  # the 4th attempt's lease has run out too
    worker.run_once(block_ms=0)
    [(_, dead)] = r.xrange(DEAD)
    assert dead == {
        "topic": "invoice",
        "payload": '{"order_id": 7}',
        "job_id": job_id,
        "attempts": "4",
        "error": "KeyError: 'invoice template'",
    }
    assert status(r) == {"waiting": 0, "pending": 0, "dead": 1}


# --8<-- [end:dead_letter_test]


def test_poison_messages_go_to_the_dead_letters_at_once(r, empty_db):
    worker = Worker(r, "worker-1", make_handlers(empty_db))
    enqueue(r, "invoice", {"order_id": "7; DROP TABLE orders"})  # a wrong type
    enqueue(r, "invoice", {"order_id": True})  # bool is an int in Python, not an id
    enqueue(r, "invoice", {"order_id": 2**63})  # beyond SQLite's INTEGER
    enqueue(r, "invoice", ["order_id", 7])  # not an object
    enqueue(r, "invoice", {"order_id": 999})  # no such order: retrying will not create it
    enqueue(r, "refund", {"order_id": 1})  # no handler for this topic
    r.xadd(STREAM, {"topic": "invoice", "payload": "{not json"})
    r.xadd(STREAM, {"topic": "invoice", "payload": "[" * 100_000})  # RecursionError in json
    r.xadd(STREAM, {"something": "else"})

    assert drain(worker) == 9

    dead = [fields for _, fields in r.xrange(DEAD)]
    assert len(dead) == 9 and {d["attempts"] for d in dead} == {"1"}  # no retries wasted
    assert dead[4]["error"] == "PermanentJobError: Order 999 does not exist."
    assert all(len(d["error"]) <= 500 for d in dead)
    assert status(r) == {"waiting": 0, "pending": 0, "dead": 9}
    assert invoices_in(empty_db) == []


def test_requeued_dead_letters_run_again_after_the_fix(tmp_path, r):
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(str(tmp_path / "shop.db"))
    relay_outbox(conn, r)
    broken = Worker(r, "worker-1", {"invoice": lambda payload: 1 / 0}, delays_ms=(10,))
    broken.run_once(block_ms=0)
    [(job_id, _, _)] = pending(r)
    age(r, job_id, 100)
    broken.run_once(block_ms=0)  # attempt 2 of 2
    age(r, job_id, 100)
    broken.run_once(block_ms=0)
    assert status(r) == {"waiting": 0, "pending": 0, "dead": 1}
    assert r.xrange(DEAD)[0][1]["error"] == "ZeroDivisionError: division by zero"

    assert requeue_dead(r) == 1  # the bug is fixed: back on the queue
    Worker(r, "worker-2", make_handlers(conn)).run_once(block_ms=0)
    assert invoices_in(conn) == [(1, order_id)] and status(r) == EMPTY
    conn.close()


def test_two_workers_never_both_claim_a_due_job(r):
    runs = []
    job_id = enqueue(r, "invoice", {"order_id": 7})
    first = Worker(r, "worker-1", {"invoice": lambda payload: 1 / 0})
    first.run_once(block_ms=0)
    age(r, job_id, retry_delay_ms(1, job_id))
    second = Worker(r, "worker-2", {"invoice": runs.append})
    third = Worker(r, "worker-3", {"invoice": runs.append})
    assert second.run_once(block_ms=0) + third.run_once(block_ms=0) == 1
    assert runs == [{"order_id": 7}]


# --- The command -----------------------------------------------------------------------------


def test_worker_command_runs_jobs_and_stops_cleanly_on_sigterm(tmp_path, r, redis_url):
    order_id = placed_order(tmp_path / "shop.db")
    db_path = str(tmp_path / "shop.db")
    worker = subprocess.Popen(
        [sys.executable, "-m", "bookstore.jobs", "worker", "--name", "worker-1"],
        cwd=EXAMPLES,
        env={**os.environ, "BOOKSTORE_DATABASE": db_path, "BOOKSTORE_REDIS_URL": redis_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    conn = connect(db_path)
    deadline = time.monotonic() + 20  # a bound against a hang, not a speed test
    while not invoices_in(conn) and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGTERM)
    _, log = worker.communicate(timeout=20)
    assert worker.returncode == 0
    assert invoices_in(conn) == [(1, order_id)] and status(r) == EMPTY
    messages = [json.loads(line)["message"] for line in log.splitlines()]
    assert messages == ["worker started", "worker stopped"]
    conn.close()


def test_status_command_prints_the_counts(r, redis_url, capsys):
    enqueue(r, "invoice", {"order_id": 7})
    assert jobs_main(["status", "--redis-url", redis_url]) == 0
    assert json.loads(capsys.readouterr().out) == {"waiting": 1, "pending": 0, "dead": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["status", "--redis-url", "http://user:s3cret@example.com/"],
            "bookstore.jobs: BOOKSTORE_REDIS_URL 'http://example.com/' is not a Redis URL",
        ),
        (
            ["status", "--redis-url", "redis://user:s3cret@127.0.0.1:9/0"],
            "bookstore.jobs: cannot reach Redis at redis://127.0.0.1:9/0: ",
        ),
    ],
)
def test_bad_redis_settings_get_one_line_without_the_password(args, message, capsys):
    assert jobs_main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and "— fix: " in err
    assert "s3cret" not in err and "Traceback" not in err and err.count("\n") == 1


def test_a_missing_or_unmigrated_database_is_refused(tmp_path, redis_url, capsys):
    missing = str(tmp_path / "nope.db")
    assert jobs_main(["worker", "--database", missing, "--redis-url", redis_url]) == 1
    assert "not found — fix: set BOOKSTORE_DATABASE" in capsys.readouterr().err
    assert not Path(missing).exists()  # and it did not create an empty one

    connect(str(tmp_path / "empty.db")).close()
    args = ["worker", "--database", str(tmp_path / "empty.db"), "--redis-url", redis_url]
    assert jobs_main(args) == 1
    latest = len(load_migrations())
    assert f"is at schema version 0, this code needs {latest} — fix: start the service once" in (
        capsys.readouterr().err
    )

    older = connect(str(tmp_path / "older.db"))  # not yet migrated by the new release
    migrate(older, target=latest - 1)
    older.close()
    args = ["worker", "--database", str(tmp_path / "older.db"), "--redis-url", redis_url]
    assert jobs_main(args) == 1
    assert f"is at schema version {latest - 1}, this code needs {latest}" in (
        capsys.readouterr().err
    )


def test_two_workers_past_the_shortcut_at_once_still_make_one_invoice(empty_db, monkeypatch):
    user, book = new_user(empty_db), new_book(empty_db, stock=5)
    order_id = place_order(empty_db, TTLCache(60), user, [(book, 1)])["id"]
    assert make_invoice(empty_db, order_id) == "INV-000001"

    # The other worker checked before this one committed: its shortcut saw no invoice.
    real_number_of, calls = invoices.invoices_db.number_of, []

    def first_sees_nothing(conn, oid):
        calls.append(oid)
        return None if len(calls) == 1 else real_number_of(conn, oid)

    monkeypatch.setattr(invoices.invoices_db, "number_of", first_sees_nothing)
    assert make_invoice(empty_db, order_id) == "INV-000001"  # UNIQUE (order_id) held
    assert invoices_in(empty_db) == [(1, order_id)]


def test_the_worker_rides_out_a_redis_restart_that_lost_every_key(tmp_path, caplog):
    db_path = str(tmp_path / "shop.db")
    placed_order(tmp_path / "shop.db")  # order 1, its job relayed below
    conn, stop = connect(db_path), threading.Event()
    home = Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp"))  # the same socket both times
    try:
        with redis_server(home) as url:
            r = redis.Redis.from_url(url, decode_responses=True)
            worker = threading.Thread(target=work, args=(conn, r, "worker-1", stop))
            worker.start()
            wait_for(lambda: invoices_in(conn) == [(1, 1)])
        # Redis is down: an order placed now keeps its job in the outbox.
        with transaction(conn):
            conn.execute("INSERT INTO orders (user_id, total_cents) VALUES (1, 0)")
            conn.execute(
                """INSERT INTO outbox (topic, payload) VALUES ('invoice', '{"order_id": 2}')"""
            )
        wait_for(lambda: "cannot work right now, trying again" in caplog.text)
        with redis_server(home):  # back, empty: no stream, no group (no AOF in this test)
            wait_for(lambda: invoices_in(conn) == [(1, 1), (2, 2)])
            stop.set()
            worker.join(timeout=20)
        assert not worker.is_alive()
    finally:
        stop.set()
        shutil.rmtree(home, ignore_errors=True)
        conn.close()


def wait_for(condition, seconds: float = 20) -> None:
    """Poll until `condition()` holds; a bound against a hang, not a speed test."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.05)


def test_a_queue_key_of_another_type_is_refused_with_a_fix(r, redis_url, capsys):
    r.delete(STREAM)
    r.set(STREAM, "not a stream")  # someone used the name for something else
    assert jobs_main(["status", "--redis-url", redis_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bookstore.jobs: Redis refused a queue command: WRONGTYPE")
    assert "redis-cli TYPE bookstore:jobs" in err and "Traceback" not in err


# --- Review round 1: regressions ------------------------------------------------------------


def test_a_dead_letter_stream_of_another_type_loses_no_job(r, redis_url, capsys):
    # Regression: XADD to the dead letters ran in one MULTI with XACK and XDEL. MULTI does
    # not roll back: XADD failed with WRONGTYPE, XACK and XDEL still ran, the job was gone.
    r.set(DEAD, "not a stream")

    def refuse(payload):
        raise PermanentJobError("cannot ever work")

    job_id = enqueue(r, "invoice", {"order_id": 7})
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        Worker(r, "worker-1", {"invoice": refuse}).run_once(block_ms=0)
    assert pending(r) == [(job_id, "worker-1", 1)]  # still pending: it will be tried again
    assert r.xrange(STREAM) == [(job_id, {"topic": "invoice", "payload": '{"order_id": 7}'})]

    r.delete(DEAD)  # the operator fixes the key; the job is buried on its next attempt
    age(r, job_id, retry_delay_ms(1, job_id))
    Worker(r, "worker-1", {"invoice": refuse}).run_once(block_ms=0)
    assert [fields["job_id"] for _, fields in r.xrange(DEAD)] == [job_id]
    assert status(r) == {"waiting": 0, "pending": 0, "dead": 1}


def test_requeue_dead_keeps_the_dead_letter_when_the_queue_refuses_it(r):
    # Same mistake in requeue_dead: XADD to the queue and XDEL of the dead letter in one MULTI.
    r.xadd(DEAD, {"topic": "invoice", "payload": '{"order_id": 7}', "job_id": "1-0"})
    r.delete(STREAM)
    r.set(STREAM, "not a stream")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        requeue_dead(r)
    assert r.xlen(DEAD) == 1


def test_a_worker_holds_one_job_at_a_time_so_a_slow_job_delays_no_other(r):
    # Regression: the worker fetched 10 jobs at once, and each one's 30-second lease started
    # then. While job 1 ran slowly, jobs 2-10 waited in its hands; past 30 s another worker
    # claimed them as failed, and both workers ran them.
    job_ids = [enqueue(r, "invoice", {"order_id": n}) for n in (1, 2, 3)]
    runs, held = [], []
    second = Worker(r, "worker-2", {"invoice": runs.append})

    def slow(payload):
        runs.append(payload)
        if len(runs) == 1:  # job 1 takes longer than the lease: 30 s pass, for every job
            held.extend(job_id for job_id, _, _ in pending(r) if job_id != job_ids[0])
            for job_id in held:
                age(r, job_id, RETRY_DELAYS_MS[0] * 2)
            drain(second)  # meanwhile worker-2 looks for work

    drain(Worker(r, "worker-1", {"invoice": slow}))
    assert held == []  # worker-1 held no job but the one it was running
    assert sorted(payload["order_id"] for payload in runs) == [1, 2, 3]  # each ran once
    assert status(r) == EMPTY


def test_a_due_retry_is_found_behind_a_full_page_of_waiting_jobs(r):
    # Regression: each round looked at the oldest 100 pending jobs only. With 150 jobs
    # waiting for their 10-minute retry, a newer job whose 30-second retry was due never ran.
    failing = Worker(r, "worker-1", {"invoice": lambda payload: 1 / 0})
    waiting = [enqueue(r, "invoice", {"order_id": n}) for n in range(150)]
    due = enqueue(r, "invoice", {"order_id": 999})
    drain(failing)
    assert r.xpending(STREAM, GROUP)["pending"] == 151  # every job failed once
    for job_id in waiting:  # two more failed attempts: the next wait is 10 minutes
        r.xclaim(STREAM, GROUP, "worker-1", 0, [job_id])
        r.xclaim(STREAM, GROUP, "worker-1", 0, [job_id])
        age(r, job_id, 200_000)  # idle 200 s: past the 30-s lease, far from 10 min
    age(r, due, retry_delay_ms(1, due))  # one failure: its second attempt is due

    runs = []
    second = Worker(r, "worker-2", {"invoice": runs.append})
    for _ in range(3):
        second.run_once(block_ms=0)
    assert runs == [{"order_id": 999}]


@pytest.fixture
def full_redis(r):
    """Redis over its maxmemory under noeviction (the policy a queue needs): it refuses
    writes that need memory and still runs the rest."""
    r.config_set("maxmemory", 1)  # bytes: always exceeded
    try:
        yield r
    finally:
        r.config_set("maxmemory", 0)


def test_a_full_redis_does_not_stop_the_worker(tmp_path, r, full_redis, caplog):
    # Regression: OutOfMemoryError is a ResponseError, so the worker exited with "fix: make
    # sure bookstore:jobs ... are streams", and a job that had succeeded stayed pending
    # because a full Redis refuses a whole MULTI, XACK included.
    db_path = str(tmp_path / "shop.db")
    placed_order(tmp_path / "shop.db")
    conn, stop = connect(db_path), threading.Event()
    full_redis.config_set("maxmemory", 0)
    relay_outbox(conn, full_redis)  # order 1's job reached Redis before it filled up
    full_redis.config_set("maxmemory", 1)
    with transaction(conn):  # order 2 is placed while Redis is full
        conn.execute("INSERT INTO orders (user_id, total_cents) VALUES (1, 0)")
        outbox.add(conn, "invoice", {"order_id": 2})

    worker = threading.Thread(target=work, args=(conn, full_redis, "worker-1", stop))
    worker.start()
    try:
        wait_for(lambda: "Redis is full, new jobs wait in the outbox" in caplog.text)
        wait_for(lambda: invoices_in(conn) == [(1, 1)] and status(full_redis) == EMPTY)
        assert conn.execute("SELECT sent_at FROM outbox WHERE id = 2").fetchone()[0] is None
        full_redis.config_set("maxmemory", 0)  # the operator raises maxmemory
        wait_for(lambda: invoices_in(conn) == [(1, 1), (2, 2)])
    finally:
        stop.set()
        worker.join(timeout=20)
        conn.close()
    assert not worker.is_alive()
    fixes = {rec.fix for rec in caplog.records if rec.getMessage().startswith("Redis is full")}
    assert len(fixes) == 1 and fixes.pop().startswith("raise maxmemory in redis.conf")


def test_a_full_redis_gets_the_right_fix(full_redis, redis_url, capsys):
    full_redis.config_set("maxmemory", 0)
    full_redis.xadd(DEAD, {"topic": "invoice", "payload": '{"order_id": 7}'})
    full_redis.config_set("maxmemory", 1)
    assert jobs_main(["status", "--redis-url", redis_url]) == 0  # watching still works
    capsys.readouterr()
    assert jobs_main(["requeue-dead", "--redis-url", redis_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bookstore.jobs: Redis is full: ")
    assert "— fix: raise maxmemory" in err and "streams" not in err


def test_sigterm_finishes_the_job_in_hand_not_the_ten_after_it(tmp_path, r, monkeypatch):
    # Regression: the worker had fetched ten jobs and ran all of them after SIGTERM.
    placed_order(tmp_path / "shop.db")
    conn, stop, runs = connect(str(tmp_path / "shop.db")), threading.Event(), []

    def handler(payload):
        runs.append(payload)
        stop.set()  # SIGTERM arrives while the first job runs

    monkeypatch.setattr(jobs_cli, "make_handlers", lambda conn: {"invoice": handler})
    for order_id in range(10):
        enqueue(r, "invoice", {"order_id": order_id})
    work(conn, r, "worker-1", stop)
    assert len(runs) == 1
    assert status(r) == {"waiting": 10, "pending": 0, "dead": 0}  # 9 + order 1's job
    conn.close()


def test_the_sweep_queues_again_the_invoice_job_redis_lost(tmp_path, r):
    # Regression: a job lost after the relay (Redis restarted without its data) left its
    # order without an invoice for good; nothing counted it as waiting, pending or dead.
    db_path = str(tmp_path / "shop.db")
    order_id = placed_order(tmp_path / "shop.db")
    conn = connect(db_path)
    relay_outbox(conn, r)
    r.flushall()  # Redis lost its data
    an_hour_ago = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-61 minutes')"
    conn.execute(f"UPDATE orders SET created_at = {an_hour_ago}")
    conn.execute(f"UPDATE outbox SET created_at = {an_hour_ago}, sent_at = {an_hour_ago}")

    assert sweep(conn)["invoice_jobs_recorded_again"] == 1
    assert sweep(conn)["invoice_jobs_recorded_again"] == 0  # the new job is an hour younger
    relay_outbox(conn, r)
    assert drain(Worker(r, "worker-1", make_handlers(conn))) == 1
    assert invoices_in(conn) == [(1, order_id)]
    assert sweep(conn)["invoice_jobs_recorded_again"] == 0  # it has its invoice now
    conn.close()


def test_the_sweep_leaves_young_and_invoiced_orders_alone_and_cleans_up(tmp_path, capsys):
    db_path = str(tmp_path / "shop.db")
    placed_order(tmp_path / "shop.db")  # order 1, placed just now: its job may still run
    conn = connect(db_path)
    days_ago = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-8 days')"
    conn.execute(f"UPDATE outbox SET sent_at = {days_ago}")  # an old, sent row
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response,"
        f" created_at) VALUES (1, 'old', 'h', 201, '{{}}', {days_ago}),"
        " (1, 'new', 'h', 201, '{}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
    )
    assert sweep(conn) == {
        "invoice_jobs_recorded_again": 0,
        "expired_keys_deleted": 1,
        "sent_jobs_deleted": 1,
    }
    assert [row[0] for row in conn.execute("SELECT key FROM idempotency_keys")] == ["new"]
    conn.close()
    assert jobs_main(["sweep", "--database", db_path]) == 0  # no Redis needed
