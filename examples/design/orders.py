"""Design principles on the bookstore's orders (the Design and Development Principles page).

A value object and an aggregate (domain-driven design), events as the record of truth (event
sourcing), a read model kept apart from the write side (CQRS), and the shipping fee as a strategy
(a GoF pattern, written the Python way: a function), grown test first.

Everything lives in memory so that each idea fits on screen; the bookstore service itself stores
orders as rows (bookstore/services/orders.py), which is the right default for most services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MAX_QUANTITY = 100  # copies of one book in one order, over all its lines
log = logging.getLogger(__name__)


class DomainError(ValueError):
    """A business rule refused the command; the API answers it with 409 or 422."""


class ConcurrencyError(RuntimeError):
    """Someone else changed the order since it was read; read it again and retry."""


# --8<-- [start:value_object]
@dataclass(frozen=True)
class Money:
    """An amount of rupiah in sen (1/100), compared by value and never changed in place."""

    sen: int

    def __post_init__(self) -> None:
        if type(self.sen) is not int:  # bool is an int subclass; 1.5 sen does not exist
            raise TypeError(f"Money needs whole sen, not {self.sen!r}")

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented  # Python then raises TypeError: Money + 5 has no meaning
        return Money(self.sen + other.sen)

    def times(self, quantity: int) -> Money:
        return Money(self.sen * quantity)
# --8<-- [end:value_object]


# --8<-- [start:events]
@dataclass(frozen=True)
class OrderPlaced:
    order_id: int
    customer_id: int


@dataclass(frozen=True)
class LineAdded:
    order_id: int
    book_id: int
    unit_price: Money
    quantity: int


@dataclass(frozen=True)
class OrderPaid:
    order_id: int
    amount: Money


Event = OrderPlaced | LineAdded | OrderPaid
# --8<-- [end:events]


# --8<-- [start:aggregate]
@dataclass
class Order:
    """The aggregate: the only way to change an order, and the keeper of its rules."""

    order_id: int
    customer_id: int = 0
    lines: dict[int, int] = field(default_factory=dict)  # book_id -> copies
    total: Money = Money(0)
    paid: bool = False
    version: int = 0  # how many events the order is made of

    @classmethod
    def from_events(cls, order_id: int, events: Iterable[Event]) -> Order:
        order = cls(order_id)
        for event in events:
            order._apply(event)
        return order

    def add_line(self, book_id: int, unit_price: Money, quantity: int) -> LineAdded:
        if self.version == 0:
            raise DomainError("no such order")
        if self.paid:
            raise DomainError("a paid order cannot change")
        if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
            raise DomainError(f"quantity must be a whole number from 1 to {MAX_QUANTITY}")
        if self.lines.get(book_id, 0) + quantity > MAX_QUANTITY:
            raise DomainError(f"at most {MAX_QUANTITY} copies of one book per order")
        if unit_price.sen <= 0:
            raise DomainError("a book's price must be above zero")
        return self._record(LineAdded(self.order_id, book_id, unit_price, quantity))

    def pay(self, amount: Money) -> OrderPaid:
        if self.paid:
            raise DomainError("the order is already paid")
        if not self.lines:
            raise DomainError("an empty order cannot be paid")
        if amount != self.total:
            raise DomainError("the amount must equal the order's total")
        return self._record(OrderPaid(self.order_id, amount))
    # --8<-- [end:aggregate]

    # --8<-- [start:apply_events]
    def _record(self, event: Event) -> Event:
        self._apply(event)
        return event

    def _apply(self, event: Event) -> None:  # state follows from events, never the other way
        match event:
            case OrderPlaced(customer_id=customer_id):
                self.customer_id = customer_id
            case LineAdded(book_id=book_id, unit_price=price, quantity=quantity):
                self.lines[book_id] = self.lines.get(book_id, 0) + quantity
                self.total = self.total + price.times(quantity)
            case OrderPaid():
                self.paid = True
        self.version += 1
    # --8<-- [end:apply_events]


# --8<-- [start:event_store]
class EventStore:
    """Append-only streams of events, one per order: nothing is updated or deleted."""

    def __init__(self) -> None:
        self._streams: dict[int, list[Event]] = {}
        self._subscribers: list[Callable[[Event], None]] = []

    def load(self, order_id: int) -> list[Event]:
        return list(self._streams.get(order_id, []))

    def append(self, order_id: int, expected_version: int, events: list[Event]) -> None:
        stream = self._streams.setdefault(order_id, [])
        if len(stream) != expected_version:  # optimistic concurrency, as a row version does
            raise ConcurrencyError(f"order {order_id} is at version {len(stream)}, "
                                   f"not {expected_version}")
        stream.extend(events)  # stored: from here on, the command has happened
        for event in events:
            for subscriber in self._subscribers:
                try:
                    subscriber(event)
                except Exception:  # a read model's bug must not undo or repeat a command
                    log.exception("subscriber %r failed on %r; rebuild it from the events",
                                  subscriber, event)

    def subscribe(self, subscriber: Callable[[Event], None]) -> None:
        self._subscribers.append(subscriber)

    def all_events(self) -> list[Event]:
        return [event for stream in self._streams.values() for event in stream]
# --8<-- [end:event_store]


# --8<-- [start:write_side]
def execute(store: EventStore, order_id: int, command: Callable[[Order], Event]) -> Event:
    """The write side: load, let the aggregate decide, append what it decided."""
    order = Order.from_events(order_id, store.load(order_id))
    expected = order.version
    event = command(order)  # raises DomainError when a rule says no
    store.append(order_id, expected, [event])
    return event


def place_order(store: EventStore, order_id: int, customer_id: int) -> None:
    store.append(order_id, 0, [OrderPlaced(order_id, customer_id)])  # 0: must be new
# --8<-- [end:write_side]


# --8<-- [start:read_model]
class OrderSummaries:
    """The read side: one row per order, shaped for the "my orders" screen and fed by events.

    It decides nothing, so it can be thrown away and rebuilt from the events at any time."""

    def __init__(self) -> None:
        self.rows: dict[int, dict] = {}

    def __call__(self, event: Event) -> None:
        match event:
            case OrderPlaced(order_id=order_id, customer_id=customer_id):
                self.rows[order_id] = {"order_id": order_id, "customer_id": customer_id,
                                       "copies": 0, "total_sen": 0, "status": "open"}
            case LineAdded(order_id=order_id, unit_price=price, quantity=quantity):
                self.rows[order_id]["copies"] += quantity
                self.rows[order_id]["total_sen"] += price.sen * quantity
            case OrderPaid(order_id=order_id):
                self.rows[order_id]["status"] = "paid"

    def of_customer(self, customer_id: int) -> list[dict]:
        return [row for row in self.rows.values() if row["customer_id"] == customer_id]
# --8<-- [end:read_model]


# --8<-- [start:strategy]
ShippingFee = Callable[[int], Money]  # a parcel's weight in grams -> the fee


def flat_fee(fee: Money) -> ShippingFee:
    return lambda _weight_grams: fee


def per_started_kilogram(rate: Money) -> ShippingFee:
    """What couriers commonly charge: every kilogram begun is paid in full."""
    def fee(weight_grams: int) -> Money:
        if weight_grams <= 0:
            raise ValueError("a parcel weighs something")
        return rate.times(-(-weight_grams // 1000))  # ceiling division
    return fee


def shipping_cost(weight_grams: int, strategy: ShippingFee) -> Money:
    return strategy(weight_grams)  # the caller picks the rule; this code never changes
# --8<-- [end:strategy]
