"""Functional tests: one user story's acceptance criteria, checked from the customer's side.

Black box: the tests talk to the bookstore only through its HTTP API (the `client` fixture of
conftest.py builds the app with create_app, its one entry point). They import nothing from the
bookstore, read no table and call no service function, so they keep passing through any
refactoring that keeps the behaviour, and fail when the behaviour the story promises breaks.

Story: as a customer, I order copies of a book so that they are kept for me.
  AC1  An order for fewer than 3 copies in stock is created (201) with price x quantity as its
       total (from 3 copies the bulk discount applies; the pricing tests cover it).
  AC2  The book's stock drops by the number of copies ordered.
  AC3  An order for more copies than in stock is refused with 409 and a problem details body,
       and the stock does not change.
"""

from decimal import Decimal

import pytest

BOOK = "/api/v1/books/2"  # Bumi Manusia: 5 copies in the demo catalog


# --8<-- [start:functional_helpers]
@pytest.fixture
def customer(log_in) -> dict[str, str]:
    """A signed-up, logged-in customer: POST /users, then POST /sessions (conftest.py)."""
    return log_in("dewi@example.com")


def book(client) -> dict:
    response = client.get(BOOK)
    assert response.status_code == 200
    return response.json()


def order(client, headers: dict[str, str], copies: int):
    payload = {"items": [{"book_id": 2, "quantity": copies}]}
    return client.post("/api/v1/orders", json=payload, headers=headers)


# --8<-- [end:functional_helpers]


# --8<-- [start:functional_tests]
def test_ac1_an_order_in_stock_is_created_with_price_times_quantity(client, customer):
    price = Decimal(book(client)["price"])
    response = order(client, customer, copies=2)
    assert response.status_code == 201
    assert Decimal(response.json()["total"]) == price * 2  # AC1 is for fewer than 3 copies
    # The order is there for its owner, at the address the API gave.
    assert client.get(response.headers["Location"], headers=customer).status_code == 200


def test_ac2_the_stock_drops_by_the_copies_ordered(client, customer):
    before = book(client)["stock"]
    assert order(client, customer, copies=2).status_code == 201
    assert book(client)["stock"] == before - 2


def test_ac3_more_copies_than_in_stock_is_refused_and_changes_nothing(client, customer):
    before = book(client)["stock"]
    response = order(client, customer, copies=before + 1)
    assert response.status_code == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "https://bookstore.example/problems/out-of-stock"
    assert book(client)["stock"] == before
    assert client.get("/api/v1/orders", headers=customer).json() == []  # no order made


# --8<-- [end:functional_tests]
