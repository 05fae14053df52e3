"""Server-side logic through the API: validation, stock, Decimal totals, idempotency."""

from decimal import Decimal
from functools import partial

import pytest
from bookstore.api import deps
from bookstore.db.connection import connect
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


def test_two_idempotency_keys_in_one_request_are_a_400(client, log_in, db):
    # Which key would count? Neither: the draft forbids clients to send more than one.
    headers = [
        *log_in("dewi@example.com").items(),
        ("Idempotency-Key", "k1"),
        ("Idempotency-Key", "k2"),
    ]
    payload = {"items": [{"book_id": 3, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=headers)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "once" in response.json()["detail"]
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


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


def _orders_at(db, email: str, *created_at: str) -> list[int]:
    """Orders of one user written straight into the database (no stock needed), oldest first."""
    user_id = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()[0]
    ids = []
    for text in created_at:
        row = "INSERT INTO orders (user_id, total_cents, created_at) VALUES (?, 0, ?)"
        ids.append(db.execute(row, (user_id, text)).lastrowid)
    db.commit()
    return ids


# --8<-- [start:orders_pages_test]
def _follow(client, url: str, headers: dict) -> list[list[int]]:
    """Every page, by following Link rel="next" until there is none: the ids of each page."""
    pages = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        pages.append([order["id"] for order in response.json()])
        url = response.links.get("next", {}).get("url")
    return pages


@pytest.mark.parametrize("query", ["", "?placed_from=2026-12-01T00:00:00%2B07:00"])
def test_a_long_list_of_orders_comes_in_pages_linked_by_next(client, db, log_in, query):
    # Regression: the route answered the newest 50 orders and said nothing about the rest.
    headers = log_in("joko@example.com")
    ids = _orders_at(db, "joko@example.com", *[f"2026-12-07T03:{m:02d}:00.000Z" for m in range(60)])
    pages = _follow(client, "/api/v1/orders" + query, headers)
    assert [len(page) for page in pages] == [50, 10]
    assert [order_id for page in pages for order_id in page] == ids[::-1]  # newest first, once


# --8<-- [end:orders_pages_test]


def test_the_next_link_keeps_the_filter(client, db, log_in):
    headers = log_in("kiki@example.com")
    minutes = [f"2026-12-07T03:{m:02d}:00.000Z" for m in range(55)]
    ids = _orders_at(db, "kiki@example.com", "2026-11-30T00:00:00.000Z", *minutes)
    params = {"placed_from": "2026-12-07T10:00:00+07:00"}  # leaves out the November order
    first = client.get("/api/v1/orders", params=params, headers=headers)
    link = first.links["next"]["url"]
    assert link.startswith("https://testserver/api/v1/orders?placed_from=2026-12-07T03")
    assert [order["id"] for order in client.get(link, headers=headers).json()] == ids[5:0:-1]


def test_one_bound_alone_is_a_question_not_an_error(client, log_in):
    # Regression: placed_before alone, at or before year 1, was a 422 naming placed_from,
    # which the client never sent. Nothing was placed that early: the answer is no orders.
    params = {"placed_before": "0001-01-01T00:00:00Z"}
    response = client.get("/api/v1/orders", params=params, headers=log_in("lala@example.com"))
    assert response.status_code == 200
    assert response.json() == []


def test_a_filter_sent_twice_is_refused_not_silently_the_last(client, log_in):
    # Regression: ?placed_from=a&placed_from=b quietly used b.
    url = "/api/v1/orders?placed_from=2026-12-01T00:00:00Z&placed_from=2026-12-07T00:00:00Z"
    response = client.get(url, headers=log_in("mira@example.com"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "placed_from"]


def test_a_bound_one_nanosecond_after_an_order_includes_it(client, db, log_in):
    headers = log_in("nina@example.com")
    [order_id] = _orders_at(db, "nina@example.com", "2026-12-07T03:00:00.000Z")
    just_after = "2026-12-07T03:00:00.000000001Z"  # 1 ns after the order: it is before this
    before = client.get("/api/v1/orders", params={"placed_before": just_after}, headers=headers)
    after = client.get("/api/v1/orders", params={"placed_from": just_after}, headers=headers)
    assert [order["id"] for order in before.json()] == [order_id]
    assert after.json() == []


def test_a_broken_page_cursor_is_a_400(client, log_in):
    response = client.get("/api/v1/orders?cursor=bm90LWpzb24", headers=log_in("oki@example.com"))
    assert response.status_code == 400


@pytest.mark.parametrize("key", ["", "two words", "tab\tinside", "kunci-ñ".encode()])
def test_an_idempotency_key_outside_the_published_format_is_a_422(client, db, log_in, key):
    # Regression: an empty key was accepted, and every retry that "forgot" its key shared it.
    # The draft asks servers to publish the key's format and check it: 1-255 visible ASCII.
    headers = {**log_in("pandu@example.com"), "Idempotency-Key": key}
    payload = {"items": [{"book_id": 1, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["header", "idempotency-key"]
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


def test_a_uuid_key_quoted_as_the_draft_writes_it_is_accepted(client, log_in):
    headers = {**log_in("putri@example.com"), "Idempotency-Key": '"8e03978e-40d5-43e8-bc93"'}
    payload = {"items": [{"book_id": 1, "quantity": 1}]}
    assert client.post("/api/v1/orders", json=payload, headers=headers).status_code == 201


def test_a_keyed_order_that_waits_too_long_for_the_lock_is_a_503_and_can_be_retried(
    client, settings, log_in, monkeypatch
):
    # What the apis page says: past busy_timeout, a request with an Idempotency-Key gets a
    # 503 with Retry-After: 1, stores nothing, and the same key then places the order once.
    headers = {**log_in("rama@example.com"), "Idempotency-Key": "slow-order-1"}
    monkeypatch.setattr(deps, "connect", partial(connect, busy_timeout_ms=100))
    other = connect(settings.database)
    other.execute("BEGIN IMMEDIATE")  # another write holds the only write lock
    order = {"items": [{"book_id": 1, "quantity": 1}]}
    try:
        busy = client.post("/api/v1/orders", json=order, headers=headers)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    first = client.post("/api/v1/orders", json=order, headers=headers)
    again = client.post("/api/v1/orders", json=order, headers=headers)
    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers  # the 503 stored nothing
    assert again.headers["Idempotent-Replayed"] == "true"
