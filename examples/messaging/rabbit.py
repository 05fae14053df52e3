"""The bookstore's events on RabbitMQ (AMQP 0-9-1, client pika): one topic exchange, three queues
bound to it by pattern, a dead-letter exchange, publisher confirms and manual acks.

Every queue and exchange is durable and every message persistent, so that what the broker has
confirmed survives its restart; the consumer acknowledges only after the work is done, so a
consumer that dies first gets its message redelivered (at-least-once: the work must be idempotent).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import Basic, BasicProperties

from messaging import pika_guard

logger = logging.getLogger(__name__)
pika_guard.install()  # a header pika cannot decode must not close the connection


# --8<-- [start:topology]
EVENTS = "bookstore.events"  # topic exchange: routing keys such as order.created
DEAD = "bookstore.dead"  # fanout exchange for messages the consumers give up on
INVOICES, EMAILS, SEARCH, INVOICES_DEAD = "invoices", "emails", "search", "invoices.dead"
DELIVERY_LIMIT = 3  # the quorum queue dead-letters a message returned more often than this
# 3 keeps the tests short; restarts and deploys count too, so in production stay near the default 20


def declare_topology(channel: BlockingChannel) -> None:
    """Declare exchanges, queues and bindings; declaring again with the same arguments is a no-op."""
    channel.exchange_declare(EVENTS, "topic", durable=True)
    channel.exchange_declare(DEAD, "fanout", durable=True)
    channel.queue_declare(INVOICES_DEAD, durable=True)
    channel.queue_bind(INVOICES_DEAD, DEAD)
    channel.queue_declare(INVOICES, durable=True, arguments={
        "x-queue-type": "quorum",  # replicated, counts deliveries (classic queues do not)
        "x-delivery-limit": DELIVERY_LIMIT,
        "x-dead-letter-exchange": DEAD,
    })
    channel.queue_bind(INVOICES, EVENTS, routing_key="order.created")
    channel.queue_declare(EMAILS, durable=True)
    channel.queue_bind(EMAILS, EVENTS, routing_key="order.*")  # * is exactly one word
    channel.queue_declare(SEARCH, durable=True)
    channel.queue_bind(SEARCH, EVENTS, routing_key="book.#")  # # is zero or more words
# --8<-- [end:topology]


# --8<-- [start:publish]
def open_publisher(params: pika.ConnectionParameters) -> BlockingChannel:
    """A channel in confirm mode: basic_publish returns only once the broker has taken the
    message, and raises if it refuses it or (mandatory=True) no queue is bound for its key."""
    channel = pika.BlockingConnection(params).channel()
    channel.confirm_delivery()
    return channel


def publish(channel: BlockingChannel, routing_key: str, event: dict, message_id: str) -> None:
    """Publish one event. Any pika.exceptions.AMQPError means the broker may not have it: an
    UnroutableError or NackError (refused), or a lost connection (StreamLostError and other
    AMQPConnectionError), after which the broker may or may not have it. The caller keeps the
    event (for example in its outbox) and tries again; a duplicate is possible, hence message_id."""
    channel.basic_publish(
        EVENTS, routing_key, json.dumps(event).encode(),
        properties=pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,  # written to disk in a durable queue
            message_id=message_id,  # lets a consumer recognize a duplicate
        ),
        mandatory=True,
    )
# --8<-- [end:publish]


# --8<-- [start:parse]
class PoisonMessage(ValueError):
    """A message no retry can fix: not JSON, not the event the queue promises, or forged."""


def parse_order_created(body: bytes) -> int:
    """The order id of an order.created event, checked like a request body."""
    try:
        event = json.loads(body)
    except (ValueError, RecursionError) as error:  # bad UTF-8, bad JSON, nesting too deep
        raise PoisonMessage(f"not JSON: {error}") from None
    order_id = event.get("order_id") if isinstance(event, dict) else None
    if type(order_id) is not int or not 0 < order_id < 2**63:  # bool is an int subclass
        raise PoisonMessage("order_id must be a positive integer")
    return order_id


def check_properties(properties: BasicProperties) -> None:
    """Properties come from whoever published: refuse what no publisher of ours sends."""
    message_id = properties.message_id  # pika gives bytes where it is not UTF-8
    if message_id is not None and not (isinstance(message_id, str) and message_id.isprintable()):
        raise PoisonMessage("message_id is not printable text")
    if isinstance(properties.headers, pika_guard.UndecodableHeaders):
        raise PoisonMessage(f"headers could not be decoded: {properties.headers}")
    pending = [properties.headers]
    while pending:  # nested tables and arrays, such as x-death, without recursion
        value = pending.pop()
        if isinstance(value, pika_guard.OutOfRangeTimestamp):
            raise PoisonMessage(f"a header timestamp is out of range: {int(value)}")
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
# --8<-- [end:parse]


# --8<-- [start:consume]
PREFETCH = 10  # at most 10 unacknowledged messages in this consumer's hands


def handle_invoice(channel: BlockingChannel, method: Basic.Deliver, properties: BasicProperties,
                   body: bytes, make_invoice: Callable[[int], None]) -> str:
    """Ack after the work; reject poison to the dead letters; requeue other failures."""
    try:
        check_properties(properties)
        order_id = parse_order_created(body)
    except PoisonMessage as error:  # %r: a forged message_id cannot forge a log line
        logger.warning("dead-lettering message %r: %s", properties.message_id, error)
        channel.basic_reject(method.delivery_tag, requeue=False)  # goes to DEAD
        return "rejected"
    try:
        make_invoice(order_id)  # idempotent: a redelivery must not make a second invoice
    except Exception:
        logger.exception("invoice for order %s failed; returned to the queue", order_id)
        # reject, not nack: since RabbitMQ 4.3 only a reject counts toward x-delivery-limit
        channel.basic_reject(method.delivery_tag, requeue=True)
        return "requeued"
    channel.basic_ack(method.delivery_tag)
    return "acked"


def consume_invoices(channel: BlockingChannel, make_invoice: Callable[[int], None],
                     idle_seconds: float, max_deliveries: int | None = None) -> list[str]:
    """Handle invoice events until the queue has been idle for idle_seconds (or, if given,
    after max_deliveries: a bound for tests, so a message that never leaves cannot hang them)."""
    channel.basic_qos(prefetch_count=PREFETCH)
    outcomes = []
    for method, properties, body in channel.consume(INVOICES, inactivity_timeout=idle_seconds):
        if method is None or len(outcomes) == max_deliveries:  # idle, or the bound reached
            break
        outcomes.append(handle_invoice(channel, method, properties, body, make_invoice))
    channel.cancel()
    return outcomes
# --8<-- [end:consume]
