"""Design principles samples (examples/design/orders.py): each test proves what the Design and
Development Principles page says about the value object, the aggregate, the event store, the
read model and the shipping-fee strategy."""

from __future__ import annotations

import dataclasses

import pytest
from design.orders import (
    ConcurrencyError,
    DomainError,
    EventStore,
    LineAdded,
    Money,
    Order,
    OrderPaid,
    OrderPlaced,
    OrderSummaries,
    execute,
    flat_fee,
    per_started_kilogram,
    place_order,
    shipping_cost,
)

PRICE = Money(89_000_00)  # Rp89.000,00


# --8<-- [start:value_object_test]
def test_money_is_compared_by_value_and_never_changes():
    assert Money(100) + Money(50) == Money(150)
    assert Money(89_000_00).times(2) == Money(178_000_00)
    with pytest.raises(dataclasses.FrozenInstanceError):
        PRICE.sen = 1  # type: ignore[misc]
    for wrong in (1.5, True, "100"):
        with pytest.raises(TypeError):
            Money(wrong)  # type: ignore[arg-type]
# --8<-- [end:value_object_test]


# --8<-- [start:aggregate_test]
def test_the_aggregate_keeps_the_order_rules():
    store = EventStore()
    place_order(store, 1, customer_id=7)
    with pytest.raises(DomainError, match="empty order"):
        execute(store, 1, lambda order: order.pay(Money(0)))
    execute(store, 1, lambda order: order.add_line(3, PRICE, 2))
    with pytest.raises(DomainError, match="must equal"):
        execute(store, 1, lambda order: order.pay(PRICE))
    execute(store, 1, lambda order: order.pay(PRICE.times(2)))
    with pytest.raises(DomainError, match="paid order cannot change"):
        execute(store, 1, lambda order: order.add_line(4, PRICE, 1))
    assert len(store.load(1)) == 3  # refused commands leave no event behind
# --8<-- [end:aggregate_test]


@pytest.mark.parametrize("quantity", [0, -1, 101, 1.5, True, "2"])
def test_a_quantity_out_of_range_is_refused(quantity):
    store = EventStore()
    place_order(store, 1, customer_id=7)
    with pytest.raises(DomainError, match="quantity"):
        execute(store, 1, lambda order: order.add_line(3, PRICE, quantity))


@pytest.mark.parametrize("price", [Money(0), Money(-500_000)])
def test_a_price_that_is_not_positive_is_refused(price):
    # Regression: a line at -Rp5.000 made a negative total that pay() then accepted.
    store = EventStore()
    place_order(store, 1, customer_id=7)
    with pytest.raises(DomainError, match="price"):
        execute(store, 1, lambda order: order.add_line(3, price, 1))
    with pytest.raises(DomainError, match="empty order"):
        execute(store, 1, lambda order: order.pay(price))


def test_the_copies_of_one_book_are_capped_per_book_not_per_line():
    store = EventStore()
    place_order(store, 1, customer_id=7)
    execute(store, 1, lambda order: order.add_line(3, PRICE, 60))
    with pytest.raises(DomainError, match="at most 100 copies"):
        execute(store, 1, lambda order: order.add_line(3, PRICE, 41))
    execute(store, 1, lambda order: order.add_line(3, PRICE, 40))  # 100 in all: allowed
    execute(store, 1, lambda order: order.add_line(4, PRICE, 100))  # another book
    assert Order.from_events(1, store.load(1)).lines == {3: 100, 4: 100}


def test_money_plus_something_else_is_a_type_error():
    with pytest.raises(TypeError):
        Money(1) + 5  # type: ignore[operator]


def test_a_failing_read_model_does_not_fail_the_command(caplog):
    # Regression: a subscriber that raised made execute() raise although its event was stored,
    # so a caller who retried added the line twice.
    store = EventStore()
    store.subscribe(lambda event: 1 / 0)
    place_order(store, 1, customer_id=7)
    execute(store, 1, lambda order: order.add_line(3, PRICE, 1))
    assert len(store.load(1)) == 2
    assert caplog.text.count("ZeroDivisionError") == 2  # logged, to rebuild the read model later


def test_a_line_for_an_order_that_does_not_exist_is_refused():
    with pytest.raises(DomainError, match="no such order"):
        execute(EventStore(), 99, lambda order: order.add_line(3, PRICE, 1))


# --8<-- [start:event_sourcing_test]
def test_the_order_is_rebuilt_from_its_events_and_its_history_stays():
    store = EventStore()
    place_order(store, 1, customer_id=7)
    execute(store, 1, lambda order: order.add_line(3, PRICE, 1))
    execute(store, 1, lambda order: order.add_line(3, PRICE, 1))
    execute(store, 1, lambda order: order.pay(PRICE.times(2)))
    events = store.load(1)
    assert events == [OrderPlaced(1, 7), LineAdded(1, 3, PRICE, 1), LineAdded(1, 3, PRICE, 1),
                      OrderPaid(1, PRICE.times(2))]
    order = Order.from_events(1, events)
    assert (order.lines, order.total, order.paid, order.version) == ({3: 2}, PRICE.times(2), True, 4)
    # A question about the past is answered by replaying part of the history.
    assert Order.from_events(1, events[:2]).total == PRICE


def test_two_writers_who_read_the_same_version_cannot_both_append():
    store = EventStore()
    place_order(store, 1, customer_id=7)
    first = Order.from_events(1, store.load(1))
    second = Order.from_events(1, store.load(1))
    store.append(1, first.version, [first.add_line(3, PRICE, 1)])
    with pytest.raises(ConcurrencyError, match="at version 2, not 1"):
        store.append(1, second.version, [second.add_line(4, PRICE, 1)])
    with pytest.raises(ConcurrencyError):
        place_order(store, 1, customer_id=8)  # an order id is placed once
# --8<-- [end:event_sourcing_test]


# --8<-- [start:read_model_test]
def test_the_read_model_follows_the_events_and_can_be_rebuilt_from_them():
    store = EventStore()
    summaries = OrderSummaries()
    store.subscribe(summaries)
    place_order(store, 1, customer_id=7)
    place_order(store, 2, customer_id=8)
    execute(store, 1, lambda order: order.add_line(3, PRICE, 2))
    execute(store, 1, lambda order: order.pay(PRICE.times(2)))
    assert summaries.of_customer(7) == [{"order_id": 1, "customer_id": 7, "copies": 2,
                                         "total_sen": 178_000_00, "status": "paid"}]
    rebuilt = OrderSummaries()
    for event in store.all_events():
        rebuilt(event)
    assert rebuilt.rows == summaries.rows
# --8<-- [end:read_model_test]


# --8<-- [start:strategy_test]
def test_every_started_kilogram_is_charged_in_full():
    per_kilogram = per_started_kilogram(Money(10_000_00))
    assert [shipping_cost(grams, per_kilogram).sen for grams in (1, 1000, 1001, 2500)] == \
        [10_000_00, 10_000_00, 20_000_00, 30_000_00]
    assert shipping_cost(2500, flat_fee(Money(15_000_00))) == Money(15_000_00)
    for grams in (0, -5):
        with pytest.raises(ValueError, match="weighs something"):
            shipping_cost(grams, per_kilogram)
# --8<-- [end:strategy_test]
