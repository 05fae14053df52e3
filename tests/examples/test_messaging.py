"""Tests of examples/messaging: RabbitMQ routing, redelivery and dead letters on a real broker
(started once for the module: its startup takes several seconds), and the Kafka-style log model.

The RabbitMQ tests skip where rabbitmq-server is missing (CI=true makes them mandatory)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pika
import pytest
from messaging import rabbit, show_dead_letters
from messaging.eventlog import OffsetOutOfRange, Topic, assign, commit_batch, poll
from messaging.rabbit import (
    DELIVERY_LIMIT,
    EMAILS,
    INVOICES,
    INVOICES_DEAD,
    PREFETCH,
    SEARCH,
    PoisonMessage,
    consume_invoices,
    declare_topology,
    handle_invoice,
    open_publisher,
    parse_order_created,
    publish,
)
from rabbitmq_support import free_port, rabbitmq_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def broker():
    with rabbitmq_server() as params:
        yield params


@pytest.fixture
def channel(broker):
    """A confirm-mode channel on a broker whose queues start empty."""
    channel = open_publisher(broker)
    declare_topology(channel)
    for queue in (INVOICES, EMAILS, SEARCH, INVOICES_DEAD):
        channel.queue_purge(queue)
    yield channel
    channel.connection.close()


def drain(channel, queue: str) -> list[tuple[str, bytes, dict]]:
    """Take every ready message of a queue: (routing key, body, headers)."""
    taken = []
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return taken
        taken.append((method.routing_key, body, properties.headers or {}))


def wait_until_ready(channel, queue: str, count: int) -> None:
    """Wait until `count` messages are ready in `queue`: the broker puts a dead consumer's
    messages back only after it has noticed the closed connection, a moment later."""
    deadline = time.monotonic() + 10  # a bound for a slow machine, not a speed claim
    while channel.queue_declare(queue, passive=True).method.message_count < count:
        assert time.monotonic() < deadline, f"{queue} never had {count} ready messages"
        time.sleep(0.02)


def invoice_store(path: Path):
    """An idempotent make_invoice: one row per order, whatever the number of calls."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS invoices (order_id INTEGER PRIMARY KEY)")

    def make_invoice(order_id: int) -> None:
        db.execute("INSERT INTO invoices VALUES (?) ON CONFLICT DO NOTHING", (order_id,))

    return db, make_invoice


# --8<-- [start:routing_test]
def test_topic_exchange_routes_by_pattern(channel):
    for key in ("order.created", "order.cancelled", "book.price.changed"):
        publish(channel, key, {"order_id": 7}, message_id=key)

    assert [m[0] for m in drain(channel, INVOICES)] == ["order.created"]
    assert [m[0] for m in drain(channel, EMAILS)] == ["order.created", "order.cancelled"]
    assert [m[0] for m in drain(channel, SEARCH)] == ["book.price.changed"]

    # No binding matches: "order.*" needs exactly one word after "order", and "orders" is
    # not "order". With mandatory=True and confirms, the publisher hears it instead of losing it.
    for key in ("order.payment.failed", "orders.created"):
        with pytest.raises(pika.exceptions.UnroutableError):
            publish(channel, key, {"order_id": 7}, message_id=key)
# --8<-- [end:routing_test]


# --8<-- [start:crash_test]
CRASHING_CONSUMER = """
import os, sqlite3, sys
import pika
from messaging.rabbit import INVOICES, handle_invoice
channel = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", int(sys.argv[1]))).channel()
db = sqlite3.connect(sys.argv[2], isolation_level=None)
def make_invoice_then_die(order_id):
    db.execute("CREATE TABLE invoices (order_id INTEGER PRIMARY KEY)")
    db.execute("INSERT INTO invoices VALUES (?)", (order_id,))
    os._exit(3)  # the process dies after the work, before basic_ack
method, properties, body = channel.basic_get(INVOICES)
handle_invoice(channel, method, properties, body, make_invoice_then_die)
"""


def test_consumer_that_dies_before_ack_gets_message_redelivered(channel, broker, tmp_path):
    publish(channel, "order.created", {"order_id": 42}, message_id="order-42")
    died = subprocess.run(
        [sys.executable, "-c", CRASHING_CONSUMER, str(broker.port), str(tmp_path / "inv.db")],
        check=False, cwd=EXAMPLES, timeout=60, capture_output=True)
    assert died.returncode == 3

    wait_until_ready(channel, INVOICES, 1)  # the broker gives the message back
    method, properties, body = channel.basic_get(INVOICES)
    assert method.redelivered is True
    assert properties.message_id == "order-42"
    db, make_invoice = invoice_store(tmp_path / "inv.db")
    assert handle_invoice(channel, method, properties, body, make_invoice) == "acked"
    assert db.execute("SELECT order_id FROM invoices").fetchall() == [(42,)]  # still one
    assert drain(channel, INVOICES) == []
# --8<-- [end:crash_test]


# --8<-- [start:dead_letter_test]
def test_poison_messages_end_in_the_dead_letter_queue(channel, broker):
    calls = []

    def make_invoice(order_id: int) -> None:
        calls.append(order_id)
        if order_id == 13:
            raise RuntimeError("PDF renderer crashes on this order")

    channel.basic_publish(rabbit.EVENTS, "order.created", b"{not json")
    publish(channel, "order.created", {"order_id": "7"}, message_id="bad-type")
    publish(channel, "order.created", {"order_id": 13}, message_id="order-13")
    publish(channel, "order.created", {"order_id": 14}, message_id="order-14")

    consumer = pika.BlockingConnection(broker).channel()
    outcomes = consume_invoices(consumer, make_invoice, idle_seconds=1.0)
    consumer.connection.close()

    assert outcomes.count("rejected") == 2  # at once, never retried
    assert calls.count(13) == 1 + DELIVERY_LIMIT  # the first delivery and 3 redeliveries
    assert calls.count(14) == 1 and outcomes.count("acked") == 1
    dead = drain(channel, INVOICES_DEAD)
    reasons = {body: headers["x-death"][0]["reason"] for _, body, headers in dead}
    assert reasons == {
        b"{not json": "rejected",
        b'{"order_id": "7"}': "rejected",
        b'{"order_id": 13}': "delivery_limit",
    }
# --8<-- [end:dead_letter_test]


RECORDED = EXAMPLES / "messaging" / "output" / "show-dead-letters.txt"


def fail_on_13(order_id: int) -> None:
    if order_id == 13:
        raise RuntimeError("PDF renderer crashes on this order")


# --8<-- [start:show_test]
def test_show_dead_letters_prints_them_and_takes_nothing(channel, broker, capsys):
    channel.basic_publish(rabbit.EVENTS, "order.created", b"\x1b[2J{not json")  # clears a screen
    publish(channel, "order.created", {"order_id": "7"}, message_id="bad-type")
    publish(channel, "order.created", {"order_id": 13}, message_id="order-13")
    consumer = pika.BlockingConnection(broker).channel()
    consume_invoices(consumer, fail_on_13, idle_seconds=1.0)
    consumer.connection.close()
    wait_until_ready(channel, INVOICES_DEAD, 3)

    assert show_dead_letters.main(["--port", str(broker.port)]) == 0
    printed = capsys.readouterr().out.splitlines()
    # the recorded output on the page, its times aside (they are the run's own)
    assert [line.split("  ", 1)[1] for line in printed] == [
        line.split("  ", 1)[1] for line in RECORDED.read_text(encoding="utf-8").splitlines()]
    assert "\x1b" not in "".join(printed)  # the escape byte is shown as text, not sent
    wait_until_ready(channel, INVOICES_DEAD, 3)  # all three are still there
# --8<-- [end:show_test]


@pytest.mark.parametrize("headers", [
    None, {"x-death": "forged"}, {"x-death": []}, {"x-death": ["x"]},
    {"x-death": [{"time": "yesterday", "routing-keys": "order.created", "reason": "\x1b[31m"}]},
])
def test_describe_survives_forged_headers(headers):
    line = show_dead_letters.describe(pika.BasicProperties(headers=headers), b"\x00" * 500)
    assert line.isprintable() and len(line) < 400


def test_show_dead_letters_answers_bad_arguments_clearly(capsys):
    for argv in (["--port", "abc"], ["--port", "0"], ["--limit", "0"]):
        with pytest.raises(SystemExit) as exit_info:
            show_dead_letters.main(argv)
        assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert show_dead_letters.main(["--port", str(free_port())]) == 1  # nothing listens there
    assert "no RabbitMQ answers — fix: start it or pass --port" in capsys.readouterr().err


def test_prefetch_bounds_unacknowledged_messages(channel, broker):
    for order_id in range(1, PREFETCH + 3):
        publish(channel, "order.created", {"order_id": order_id}, message_id=str(order_id))
    consumer = pika.BlockingConnection(broker).channel()
    consumer.basic_qos(prefetch_count=PREFETCH)
    deliveries = consumer.consume(INVOICES, inactivity_timeout=5)
    first, _, _ = next(deliveries)
    assert first is not None
    # the broker has handed out PREFETCH messages and holds the other 2 back until acks
    ready = channel.queue_declare(INVOICES, passive=True).method.message_count
    assert ready == 2
    consumer.cancel()
    consumer.connection.close()  # unacked messages go back to the queue
    wait_until_ready(channel, INVOICES, PREFETCH + 2)
    assert len(drain(channel, INVOICES)) == PREFETCH + 2


@pytest.mark.parametrize("body", [
    b"", b"\xff\xfe", b"[1]", b"null", b'{"order_id": true}', b'{"order_id": 0}',
    b'{"order_id": 1.5}', b'{"order_id": 9223372036854775808}', b"[" * 100_000,
    json.dumps({"order_id": None}).encode(),
])
def test_parse_rejects_hostile_bodies(body):
    with pytest.raises(PoisonMessage):
        parse_order_created(body)


def test_parse_accepts_an_order_created_event():
    assert parse_order_created(b'{"order_id": 42, "total": 150000}') == 42


# --8<-- [start:partition_test]
def test_one_key_keeps_its_order_in_one_partition():
    topic = Topic(partitions=3)
    for step in ("created", "paid", "shipped"):
        for order in ("order-1", "order-2", "order-3", "order-4"):
            topic.append(key=order, value=step)

    for order in ("order-1", "order-2", "order-3", "order-4"):
        partition = topic.partition_for(order)
        steps = [r.value for r in topic.read(partition, 0) if r.key == order]
        assert steps == ["created", "paid", "shipped"]  # in order, within its partition
    # offsets count per partition, from 0: there is no order across partitions
    assert sum(topic.end_offset(p) for p in range(3)) == 12
    assert all(
        [r.offset for r in topic.read(p, 0)] == list(range(topic.end_offset(p)))
        for p in range(3)
    )
# --8<-- [end:partition_test]


# --8<-- [start:groups_test]
def test_groups_read_independently_and_reading_deletes_nothing():
    topic = Topic(partitions=2)
    for n in range(6):
        topic.append(key=f"order-{n}", value="created")
    owned = [0, 1]  # one member per group owns both partitions

    billing = poll(topic, "billing", owned)
    commit_batch(topic, "billing", billing)
    assert len(billing) == 6 and poll(topic, "billing", owned) == []  # billing is done
    assert len(poll(topic, "analytics", owned)) == 6  # analytics still sees every record
# --8<-- [end:groups_test]


# --8<-- [start:rebalance_test]
def test_rebalance_replays_uncommitted_records_to_the_new_owner():
    topic = Topic(partitions=4)
    for n in range(40):
        topic.append(key=f"order-{n}", value="paid")
    invoiced: set[str] = set()  # the idempotent effect: one invoice per order
    handled = 0

    plan = assign(topic.partitions, ["worker-a", "worker-b"])
    assert plan == {"worker-a": [0, 1], "worker-b": [2, 3]}
    for member in ("worker-a", "worker-b"):
        batch = poll(topic, "billing", plan[member])
        for record in batch:
            invoiced.add(record.key)
            handled += 1
        if member == "worker-b":
            commit_batch(topic, "billing", batch)  # worker-a dies before it commits

    plan = assign(topic.partitions, ["worker-b"])  # the group rebalances without worker-a
    assert plan == {"worker-b": [0, 1, 2, 3]}
    batch = poll(topic, "billing", plan["worker-b"])
    for record in batch:
        invoiced.add(record.key)
        handled += 1
    commit_batch(topic, "billing", batch)

    assert handled > 40  # worker-a's records were handled twice: at least once
    assert len(invoiced) == 40  # and still one invoice per order
# --8<-- [end:rebalance_test]


# --8<-- [start:replay_test]
def test_replay_from_an_offset_until_retention_deleted_it():
    topic = Topic(partitions=1)
    for n in range(10):
        topic.append(key="prices", value=f"v{n}")
    commit_batch(topic, "search", poll(topic, "search", [0]))

    topic.commit("search", 0, 4)  # a bug fixed: rebuild the index from offset 4
    assert [r.value for r in poll(topic, "search", [0])] == [f"v{n}" for n in range(4, 10)]

    topic.delete_before(0, 6)  # retention removed offsets 0 to 5, read or not
    with pytest.raises(OffsetOutOfRange, match="holds offsets 6 to 9, not 4"):
        poll(topic, "search", [0])
    assert poll(topic, "new-group", [0])[0].offset == 6  # a new group starts at the oldest kept
# --8<-- [end:replay_test]


def test_assign_gives_each_partition_to_one_member():
    plan = assign(3, ["c", "a", "b", "d", "a"])
    assert plan == {"a": [0], "b": [1], "c": [2], "d": []}  # d idle: more members than partitions
    assert assign(3, []) == {}


@pytest.mark.parametrize("call, message", [
    (lambda: Topic(0), "partitions must be an integer from 1 to 1000"),
    (lambda: Topic("3"), "partitions must be an integer"),
    (lambda: Topic(2).append("", "x"), "key must be a non-empty string"),
    (lambda: Topic(2).append(None, "x"), "key must be a non-empty string"),
    (lambda: Topic(2).read(2, 0), "partition must be 0 to 1, not 2"),
    (lambda: Topic(2).read(-1, 0), "partition must be 0 to 1, not -1"),
    (lambda: Topic(2).commit("g", "0", 0), "partition must be 0 to 1"),
    (lambda: Topic(2).delete_before(0, "5"), "offset must be an integer"),
])
def test_log_model_rejects_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("offset", [-1, 1, "0", 0.0])
def test_reading_outside_the_log_is_a_clear_error(offset):
    with pytest.raises(OffsetOutOfRange, match="partition 0 holds offsets 0 to -1"):
        Topic(1).read(0, offset)


def test_kafka_commands_are_valid_bash():
    """The Kafka commands are shown, not run (no Kafka here): at least their syntax holds."""
    script = EXAMPLES / "messaging" / "kafka-commands.sh"
    syntax = subprocess.run(["bash", "-n", str(script)], check=False, capture_output=True)
    assert syntax.returncode == 0, syntax.stderr
