"""Server-side logic through the API: validation, stock, Decimal totals, idempotency."""

from decimal import Decimal

import pytest
from bookstore.services.pricing import apply_discount, order_total


# --8<-- [start:order_total_tests]
def test_three_copies_get_ten_percent_off():
    lines = [(Decimal("89000.00"), 2), (Decimal("132500.00"), 1)]
    assert order_total(lines) == Decimal("279450.00")  # 310,500.00 - 10 %


def test_two_copies_pay_full_price():
    assert order_total([(Decimal("19.99"), 2)]) == Decimal("39.98")


@pytest.mark.parametrize("percent", [-1, 101])
def test_discount_percent_must_be_sensible(percent):
    with pytest.raises(ValueError):
        apply_discount(Decimal("10.00"), percent)


# --8<-- [end:order_total_tests]


def test_order_is_created_with_location_and_exact_money(client, log_in):
    headers = log_in("ana@example.com")
    payload = {"items": [{"book_id": 1, "quantity": 2}, {"book_id": 2, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=headers)
    assert response.status_code == 201
    order = response.json()
    assert response.headers["Location"] == f"/api/v1/orders/{order['id']}"
    assert order["total"] == "279450.00"  # a string: no float ever touches money
    assert order["status"] == "pending"
    assert client.get("/api/v1/books/1").json()["stock"] == 10  # 12 - 2


# --8<-- [start:validation_tests]
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"items": []}, ["body", "items"]),  # an order needs a line
        ({"items": [{"book_id": 1, "quantity": 0}]}, ["body", "items", 0, "quantity"]),
        ({"items": [{"book_id": 1, "quantity": 11}]}, ["body", "items", 0, "quantity"]),
        (
            {"items": [{"book_id": 1, "quantity": 1, "price": "0.01"}]},  # no client prices
            ["body", "items", 0, "price"],
        ),
        (
            {"items": [{"book_id": 1, "quantity": 1}, {"book_id": 1, "quantity": 2}]},
            ["body", "items"],
        ),
    ],
)
def test_invalid_orders_are_refused_before_any_work(client, db, log_in, payload, field):
    response = client.post("/api/v1/orders", json=payload, headers=log_in("bo@example.com"))
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert field in [error["location"] for error in response.json()["errors"]]
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0  # nothing was done


# --8<-- [end:validation_tests]


def test_out_of_stock_is_a_409_problem_and_changes_nothing(client, log_in):
    headers = log_in("cita@example.com")
    # Book 6 (Perahu Kertas) has no copies left in the demo catalog.
    payload = {"items": [{"book_id": 1, "quantity": 1}, {"book_id": 6, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=headers)
    assert response.status_code == 409
    assert response.json()["type"] == "https://bookstore.example/problems/out-of-stock"
    assert client.get("/api/v1/books/1").json()["stock"] == 12  # rolled back


def test_unknown_book_is_404(client, log_in):
    payload = {"items": [{"book_id": 999, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=log_in("dedi@example.com"))
    assert response.status_code == 404


# --8<-- [start:idempotency_test]
def test_same_idempotency_key_same_answer_one_order(client, log_in, db):
    headers = {**log_in("eka@example.com"), "Idempotency-Key": "3f1c9a52-order-1"}
    payload = {"items": [{"book_id": 3, "quantity": 1}]}

    first = client.post("/api/v1/orders", json=payload, headers=headers)
    retry = client.post("/api/v1/orders", json=payload, headers=headers)  # e.g. after a timeout

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 1
    assert db.execute("SELECT stock FROM books WHERE id = 3").fetchone()[0] == 2  # taken once

    other = {"items": [{"book_id": 3, "quantity": 2}]}  # same key, different order
    reused = client.post("/api/v1/orders", json=other, headers=headers)
    assert reused.status_code == 422


# --8<-- [end:idempotency_test]


def test_idempotency_keys_belong_to_one_user(client, log_in):
    payload = {"items": [{"book_id": 1, "quantity": 1}]}
    for email in ("fajar@example.com", "gita@example.com"):
        headers = {**log_in(email), "Idempotency-Key": "same-key"}
        response = client.post("/api/v1/orders", json=payload, headers=headers)
        assert "Idempotent-Replayed" not in response.headers


def test_my_orders_lists_only_mine_newest_first(client, log_in):
    mine, theirs = log_in("hana@example.com"), log_in("iwan@example.com")
    for book_id in (1, 2):
        payload = {"items": [{"book_id": book_id, "quantity": 1}]}
        client.post("/api/v1/orders", json=payload, headers=mine)
    client.post("/api/v1/orders", json={"items": [{"book_id": 3, "quantity": 1}]}, headers=theirs)
    orders = client.get("/api/v1/orders", headers=mine).json()
    assert [order["items"][0]["book_id"] for order in orders] == [2, 1]
