"""Tests of examples/messaging: RabbitMQ routing, redelivery and dead letters on a real broker
(started once for the module: its startup takes several seconds), and the Kafka-style log model.

The RabbitMQ tests skip where rabbitmq-server is missing (CI=true makes them mandatory)."""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pika
import pytest
from messaging import pika_guard, rabbit, show_dead_letters
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
from pika.spec import Basic
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
    if channel.connection.is_open:  # a test may have cut it
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
    guard = time.monotonic() + 60  # a hang guard for a busy machine, never a measured budget
    while channel.queue_declare(queue, passive=True).method.message_count < count:
        if time.monotonic() > guard:
            raise AssertionError(f"{queue} never had {count} ready messages")
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
    # max_deliveries: should order 13 never leave the queue, the test fails instead of hanging
    outcomes = consume_invoices(consumer, make_invoice, idle_seconds=1.0, max_deliveries=50)
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


FAR_FUTURE = 2**62  # seconds: valid on the wire, past the year 9999 for datetime


def publish_forged_timestamp(channel, exchange: str, body: bytes, **properties) -> None:
    """Publish a message whose header timestamps all encode as FAR_FUTURE. pika encodes a
    datetime with calendar.timegm, so it is swapped for the time of this one publish."""
    real = pika.data.calendar.timegm
    pika.data.calendar.timegm = lambda _: FAR_FUTURE
    try:
        channel.basic_publish(exchange, "order.created", body,
                              pika.BasicProperties(**properties), mandatory=True)
    finally:
        pika.data.calendar.timegm = real


def cut_connection(channel) -> None:
    """Drop the TCP connection under pika, as a broker crash or a network fault does."""
    channel.connection._impl._transport._sock.shutdown(socket.SHUT_RDWR)


def test_pika_guard_decodes_an_out_of_range_timestamp():
    inner = b"\x04when" + b"T" + struct.pack(">Q", FAR_FUTURE)
    nested = b"\x05deathA" + struct.pack(">I", 5 + len(inner)) + b"F" + struct.pack(
        ">I", len(inner)) + inner  # x-death style: an array holding a table
    table, _ = pika.data.decode_table(struct.pack(">I", len(nested)) + nested, 0)
    assert table == {"death": [{"when": FAR_FUTURE}]}
    assert isinstance(table["death"][0]["when"], pika_guard.OutOfRangeTimestamp)


# --8<-- [start:forged_test]
def test_forged_timestamp_is_dead_lettered_and_the_rest_are_handled(channel, broker):
    """Regression: pika 1.4.4 alone lost the connection on every attempt and the quorum queue
    dead-lettered the whole prefetch window with the forged message (pika#1698)."""
    publish_forged_timestamp(channel, rabbit.EVENTS, b'{"order_id": 5}',
                             headers={"sent": datetime(2026, 12, 7)}, message_id="forged")
    for order_id in (6, 7, 8, 9):
        publish(channel, "order.created", {"order_id": order_id}, message_id=str(order_id))
    invoiced = []
    consumer = pika.BlockingConnection(broker).channel()
    outcomes = consume_invoices(consumer, invoiced.append, idle_seconds=1.0, max_deliveries=50)
    consumer.connection.close()
    assert outcomes == ["rejected", "acked", "acked", "acked", "acked"]
    assert invoiced == [6, 7, 8, 9]
    dead = drain(channel, INVOICES_DEAD)
    assert [body for _, body, _ in dead] == [b'{"order_id": 5}']  # only the forged one
# --8<-- [end:forged_test]


def test_show_dead_letters_survives_a_forged_timestamp(channel, broker, capsys):
    publish_forged_timestamp(channel, rabbit.DEAD, b"forged", headers={"x-death": [
        {"time": datetime(2026, 12, 7), "reason": "delivery_limit", "count": 1}]})
    publish(channel, "order.created", {"order_id": "7"}, message_id="bad-type")
    consumer = pika.BlockingConnection(broker).channel()
    consume_invoices(consumer, fail_on_13, idle_seconds=1.0, max_deliveries=50)
    consumer.connection.close()
    wait_until_ready(channel, INVOICES_DEAD, 2)

    assert show_dead_letters.main(["--port", str(broker.port)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("?  delivery_limit") and printed[0].endswith("b'forged'")
    assert "id=bad-type" in printed[1]  # the dead letter behind it is still shown
    wait_until_ready(channel, INVOICES_DEAD, 2)


class RawHeaders(pika.BasicProperties):
    """Properties whose header table is sent as the given bytes: valid AMQP 0-9-1 on the wire
    that pika itself would not encode."""

    def __init__(self, table: bytes) -> None:
        super().__init__(message_id="forged")
        self.raw_table = table

    def encode(self) -> list[bytes]:
        flags = pika.BasicProperties.FLAG_HEADERS | pika.BasicProperties.FLAG_MESSAGE_ID
        return [struct.pack(">H", flags), self.raw_table, b"\x06forged"]


def amqp_table(entries: bytes) -> bytes:
    return struct.pack(">I", len(entries)) + entries


def nested_tables(depth: int) -> bytes:
    """{"n": {"n": ... {"x": True}}}: 400 levels are about 2.8 KB."""
    table = amqp_table(b"\x01xt\x01")
    for _ in range(depth):
        table = amqp_table(b"\x01nF" + table)
    return table


def nested_arrays(depth: int) -> bytes:
    array = b"t\x01"
    for _ in range(depth):
        array = b"A" + struct.pack(">I", len(array)) + array
    return amqp_table(b"\x01a" + array)


@pytest.mark.parametrize("table", [nested_tables(400), nested_arrays(1000)])
def test_pika_guard_turns_an_undecodable_table_into_a_marker(table):
    decoded, offset = pika.data.decode_table(table + b"rest", 0)
    assert isinstance(decoded, pika_guard.UndecodableHeaders) and "nested deeper" in decoded
    assert offset == len(table)  # skipped by its length: what follows still decodes
    assert pika.data.decode_table(nested_tables(pika_guard.MAX_DEPTH - 1), 0)[0]["n"]


def test_deeply_nested_headers_are_dead_lettered_and_shown(channel, broker, capsys):
    """Regression: a table nested 400 deep killed every consumer connection with RecursionError,
    the quorum queue dead-lettered the healthy orders behind it, and show_dead_letters failed."""
    channel.basic_publish(rabbit.EVENTS, "order.created", b'{"order_id": 5}',
                          RawHeaders(nested_tables(400)), mandatory=True)
    for order_id in (6, 7, 8, 9, "10"):
        publish(channel, "order.created", {"order_id": order_id}, message_id=f"id-{order_id}")
    invoiced = []
    consumer = pika.BlockingConnection(broker).channel()
    outcomes = consume_invoices(consumer, invoiced.append, idle_seconds=1.0, max_deliveries=50)
    consumer.connection.close()
    assert outcomes == ["rejected", "acked", "acked", "acked", "acked", "rejected"]
    assert invoiced == [6, 7, 8, 9]
    wait_until_ready(channel, INVOICES_DEAD, 2)

    assert show_dead_letters.main(["--port", str(broker.port)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("?  headers could not be decoded (ValueError: headers nested")
    assert printed[0].endswith("id=forged  b'{\"order_id\": 5}'")
    assert "id=id-10" in printed[1]  # the dead letter behind it is still shown


def test_show_dead_letters_reports_a_lost_connection(channel, broker, capsys, monkeypatch):
    publish(channel, "order.created", {"order_id": "7"}, message_id="bad-type")
    consumer = pika.BlockingConnection(broker).channel()
    consume_invoices(consumer, fail_on_13, idle_seconds=1.0, max_deliveries=50)
    consumer.connection.close()
    real_show = show_dead_letters.show

    def show_after_a_crash(dead_channel, limit):
        cut_connection(dead_channel)
        return real_show(dead_channel, limit)

    monkeypatch.setattr(show_dead_letters, "show", show_after_a_crash)
    assert show_dead_letters.main(["--port", str(broker.port)]) == 1
    err = capsys.readouterr().err
    assert "connection lost while reading invoices.dead (StreamLostError)" in err
    assert "fix: check the broker's log" in err and "Traceback" not in err
    wait_until_ready(channel, INVOICES_DEAD, 1)  # nothing was taken away


def test_publish_on_a_lost_connection_raises_an_amqp_error(channel):
    cut_connection(channel)
    with pytest.raises(pika.exceptions.AMQPError):  # StreamLostError: keep it and retry
        publish(channel, "order.created", {"order_id": 1}, message_id="order-1")


def test_forged_message_id_cannot_forge_a_log_line(channel, broker, caplog):
    forged = "x\nCRITICAL payment 999 refunded"
    channel.basic_publish(rabbit.EVENTS, "order.created", b"{bad",
                          pika.BasicProperties(message_id=forged), mandatory=True)
    consumer = pika.BlockingConnection(broker).channel()
    with caplog.at_level(logging.WARNING, logger="messaging.rabbit"):
        outcomes = consume_invoices(consumer, fail_on_13, idle_seconds=1.0, max_deliveries=50)
    consumer.connection.close()
    assert outcomes == ["rejected"]
    logged = [record.getMessage() for record in caplog.records]
    assert logged and all("\n" not in line for line in logged)
    assert "'x\\nCRITICAL payment 999 refunded'" in logged[0]  # shown escaped, as repr does


@pytest.mark.parametrize("message_id, headers, reason", [
    ("ok\x1b[2J", None, "message_id is not printable text"),
    (b"\xff", None, "message_id is not printable text"),
    (None, {"a": [{"b": pika_guard.OutOfRangeTimestamp(FAR_FUTURE)}]}, "out of range"),
])
def test_check_properties_refuses_forged_properties(message_id, headers, reason):
    with pytest.raises(PoisonMessage, match=reason):
        rabbit.check_properties(pika.BasicProperties(message_id=message_id, headers=headers))


class RecordingChannel:
    """Stands in for a channel where only the call made matters."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def __getattr__(self, name):
        return lambda tag, **kwargs: self.calls.append((name, kwargs))


def test_a_temporary_failure_is_returned_with_basic_reject():
    """Regression: basic_nack(requeue=True) does not count toward x-delivery-limit on
    RabbitMQ 4.3 and later, so a failing message came back forever there."""
    channel = RecordingChannel()
    method = Basic.Deliver(delivery_tag=1)
    outcome = handle_invoice(channel, method, pika.BasicProperties(), b'{"order_id": 13}',
                             fail_on_13)
    assert outcome == "requeued"
    assert channel.calls == [("basic_reject", {"requeue": True})]


@pytest.mark.parametrize("headers", [
    {"x-death": [{"time": pika_guard.OutOfRangeTimestamp(FAR_FUTURE), "reason": "rejected"}]},
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

    billing = poll(topic, "billing", owned, auto_offset_reset="earliest")
    commit_batch(topic, "billing", billing)
    assert len(billing) == 6 and poll(topic, "billing", owned) == []  # billing is done
    # a new group starts at the end by default, as in Kafka: earliest is asked for
    assert len(poll(topic, "analytics", owned, auto_offset_reset="earliest")) == 6
# --8<-- [end:groups_test]


# --8<-- [start:latest_test]
def test_a_new_group_starts_at_the_end_unless_it_asks_for_earliest():
    topic = Topic(partitions=1)
    for n in range(3):
        topic.append(key="order-1", value=f"old-{n}")
    member: dict[int, int] = {}  # this member's fetch position, kept between its polls
    assert poll(topic, "emails", [0], position=member) == []  # "latest": the 3 old are skipped
    topic.append(key="order-1", value="new")
    assert [r.value for r in poll(topic, "emails", [0], position=member)] == ["new"]
    topic.append(key="order-1", value="lost")  # the member dies before its first commit,
    assert poll(topic, "emails", [0]) == []  # so its successor resets to the end again
    assert len(poll(topic, "rebuild", [0], auto_offset_reset="earliest")) == 5  # everything kept
    with pytest.raises(OffsetOutOfRange, match="group 'audit' has no valid offset"):
        poll(topic, "audit", [0], auto_offset_reset="none")
# --8<-- [end:latest_test]


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
        batch = poll(topic, "billing", plan[member], auto_offset_reset="earliest")
        for record in batch:
            invoiced.add(record.key)
            handled += 1
        if member == "worker-b":
            commit_batch(topic, "billing", batch)  # worker-a dies before it commits

    plan = assign(topic.partitions, ["worker-b"])  # the group rebalances without worker-a
    assert plan == {"worker-b": [0, 1, 2, 3]}
    batch = poll(topic, "billing", plan["worker-b"], auto_offset_reset="earliest")
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
    commit_batch(topic, "search", poll(topic, "search", [0], auto_offset_reset="earliest"))

    topic.commit("search", 0, 4)  # a bug fixed: rebuild the index from offset 4
    assert [r.value for r in poll(topic, "search", [0])] == [f"v{n}" for n in range(4, 10)]

    topic.commit("stats", 0, 4)  # a second group that had also stopped at offset 4
    topic.delete_before(0, 6)  # retention removed offsets 0 to 5, read or not
    with pytest.raises(OffsetOutOfRange, match=r"'search' has no valid offset for partition 0 \(committed: 4\)"):
        poll(topic, "search", [0], auto_offset_reset="none")  # told, not skipped
    assert poll(topic, "search", [0], auto_offset_reset="earliest")[0].offset == 6
    assert poll(topic, "stats", [0]) == []  # default "latest": 6 to 9 skipped without a word
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


def test_log_model_rejects_bad_read_sizes_and_resets():
    with pytest.raises(ValueError, match="max_records must be a positive integer, not -3"):
        Topic(1).read(0, 0, max_records=-3)
    with pytest.raises(ValueError, match="auto_offset_reset must be latest, earliest or none"):
        poll(Topic(1), "g", [0], auto_offset_reset="smallest")


@pytest.mark.parametrize("offset", [-1, 1, "0", 0.0])
def test_reading_outside_the_log_is_a_clear_error(offset):
    with pytest.raises(OffsetOutOfRange, match="partition 0 holds offsets 0 to -1"):
        Topic(1).read(0, offset)


def test_kafka_commands_are_valid_bash():
    """The Kafka commands are shown, not run (no Kafka here): at least their syntax holds."""
    script = EXAMPLES / "messaging" / "kafka-commands.sh"
    syntax = subprocess.run(["bash", "-n", str(script)], check=False, capture_output=True)
    assert syntax.returncode == 0, syntax.stderr
