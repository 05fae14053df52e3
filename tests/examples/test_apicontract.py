"""API contract checks and deprecation headers (examples/apicontract/)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from apicontract.compat import breaking_changes
from apicontract.deprecation import create_app as create_price_app
from fastapi.testclient import TestClient

SNAPSHOT = Path(__file__).resolve().parents[2] / "examples/apicontract/bookstore-v1.openapi.json"


@pytest.fixture
def published() -> dict:
    """The v1 contract as published to clients (committed next to the code)."""
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


# --8<-- [start:contract_test]
def test_the_running_api_keeps_the_published_v1_contract(client, published):
    current = client.get("/openapi.json").json()
    assert breaking_changes(published, current) == []  # additions are fine, breaks are not


def test_breaking_changes_are_caught(published):
    changed = copy.deepcopy(published)
    schemas = changed["components"]["schemas"]
    del schemas["BookOut"]["properties"]["price"]  # a response field dropped
    schemas["OrderLine"]["required"].append("gift_wrap")  # a new mandatory input
    del changed["paths"]["/api/v1/orders/{order_id}"]  # an endpoint removed

    assert breaking_changes(published, changed) == [
        "GET /api/v1/books 200: field items[].price removed",
        "GET /api/v1/books/{book_id} 200: field price removed",
        "GET /api/v1/orders/{order_id}: operation removed",
        "POST /api/v1/orders: request field items[].gift_wrap is now required",
    ]


# --8<-- [end:contract_test]


def test_additions_are_not_breaking(published):
    changed = copy.deepcopy(published)
    changed["components"]["schemas"]["BookOut"]["properties"]["isbn"] = {"type": "string"}
    changed["paths"]["/api/v1/authors"] = {"get": {"responses": {"200": {}}}}
    assert breaking_changes(published, changed) == []


def test_a_newly_required_parameter_is_breaking(published):
    changed = copy.deepcopy(published)
    for parameter in changed["paths"]["/api/v1/books"]["get"]["parameters"]:
        if parameter["name"] == "limit":
            parameter["required"] = True
    assert breaking_changes(published, changed) == [
        "GET /api/v1/books: parameter limit is now required"
    ]


# --8<-- [start:deprecation_test]
def test_deprecated_endpoint_announces_its_sunset():
    app = create_price_app()
    with TestClient(app) as client:
        old = client.get("/api/v1/books/1/price", headers={"User-Agent": "shop-app/2.3"})
        new = client.get("/api/v2/books/1/price")

    assert old.status_code == 200  # deprecated does not mean broken: it still works
    assert old.headers["Deprecation"] == "@1788220800"  # 2026-09-01T00:00:00Z
    sunset = parsedate_to_datetime(old.headers["Sunset"])
    assert sunset == datetime(2027, 3, 1, tzinfo=UTC)
    assert 'rel="deprecation"' in old.headers["Link"]
    assert "Deprecation" not in new.headers
    assert app.state.deprecated_calls == {"shop-app/2.3": 1}  # who still has to move
    assert app.openapi()["paths"]["/api/v1/books/{book_id}/price"]["get"]["deprecated"]


# --8<-- [end:deprecation_test]
