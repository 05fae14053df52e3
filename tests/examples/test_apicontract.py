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
    assert sunset == datetime(2027, 3, 1, tzinfo=UTC)  # six months after the deprecation,
    assert sunset >= datetime.fromtimestamp(1788220800, UTC)  # never before it (RFC 9745)
    assert 'rel="deprecation"' in old.headers["Link"]
    assert "Deprecation" not in new.headers
    assert app.state.deprecated_calls == {"shop-app/2.3": 1}  # who still has to move
    assert app.openapi()["paths"]["/api/v1/books/{book_id}/price"]["get"]["deprecated"]


# --8<-- [end:deprecation_test]


def _doc(schemas: dict, responses: dict | None = None, path_item: dict | None = None) -> dict:
    """A tiny OpenAPI document: GET /items answers 200 with an Item."""
    ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}
    return {
        "openapi": "3.1.0",
        "paths": {"/items": {"get": {"responses": {"200": ok}}, **(path_item or {})}},
        "components": {"schemas": schemas, "responses": responses or {}},
    }


def test_a_recursive_schema_is_compared_not_followed_forever():
    # Regression: a category whose children are categories made _fields recurse until
    # RecursionError, so the check crashed on a perfectly valid document.
    item = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        },
    }
    old = _doc({"Item": item})
    assert breaking_changes(old, copy.deepcopy(old)) == []
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Item"]["properties"]["name"]
    assert breaking_changes(old, new) == ["GET /items 200: field name removed"]


def test_a_ref_cycle_is_refused_with_a_message_not_a_hang():
    old = _doc(
        {
            "Item": {"$ref": "#/components/schemas/Loop"},
            "Loop": {"$ref": "#/components/schemas/Item"},
        }
    )
    with pytest.raises(ValueError, match="cannot resolve"):
        breaking_changes(old, old)


def test_fields_behind_a_shared_response_are_compared_too():
    # Regression: a response written as {"$ref": "#/components/responses/..."} was read as
    # having no body, so a field removed from it went unnoticed.
    body = {"type": "object", "properties": {"price": {"type": "string"}}}
    shared = {"Item": {"description": "An item", "content": {"application/json": {"schema": body}}}}
    old = _doc({}, responses=shared)
    old["paths"]["/items"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/Item"}
    new = copy.deepcopy(old)
    del new["components"]["responses"]["Item"]["content"]["application/json"]["schema"][
        "properties"
    ]["price"]
    assert breaking_changes(old, new) == ["GET /items 200: field price removed"]


def test_a_path_level_parameter_that_becomes_required_is_breaking():
    optional = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"}}
    old = _doc({"Item": {"type": "object"}}, path_item={"parameters": [optional]})
    new = copy.deepcopy(old)
    new["paths"]["/items"]["parameters"][0]["required"] = True
    assert breaking_changes(old, new) == ["GET /items: parameter lang is now required"]


def test_made_up_user_agents_cannot_grow_the_caller_count_without_end(monkeypatch):
    # Regression: every distinct User-Agent became a key of an unbounded Counter, so a
    # client sending random values grew the server's memory with each request.
    monkeypatch.setattr("apicontract.deprecation.MAX_CALLERS", 3)  # small, for a quick test
    app = create_price_app()
    with TestClient(app) as client:
        for n in range(5):
            client.get("/api/v1/books/1/price", headers={"User-Agent": f"bot-{n}-" + "x" * 500})
    calls = app.state.deprecated_calls
    assert len(calls) == 4  # the first 3 callers, then "other"
    assert calls["other"] == 2
    assert max(len(caller) for caller in calls) == 100  # a long User-Agent is cut short
    assert sum(calls.values()) == 5  # every call is still counted


def test_a_ref_to_a_missing_component_is_a_value_error_not_a_key_error():
    # Regression: _resolve followed the pointer with [] and crashed with a bare KeyError.
    old = _doc({"Item": {"type": "object", "properties": {"name": {"type": "string"}}}})
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Item"]  # the $ref now names nothing
    with pytest.raises(ValueError, match="cannot resolve \\$ref '#/components/schemas/Item'"):
        breaking_changes(old, new)


def test_an_operation_without_responses_is_compared_not_a_crash():
    # Regression: new_op["responses"] raised KeyError; OpenAPI 3.1 makes `responses` optional.
    old = _doc({"Item": {"type": "object", "properties": {"name": {"type": "string"}}}})
    new = copy.deepcopy(old)
    del new["paths"]["/items"]["get"]["responses"]
    assert breaking_changes(old, new) == ["GET /items: success status 200 removed (now -)"]


def test_a_changed_success_status_is_reported_not_as_missing_fields(published):
    # Regression: 200 that became 201 was reported only as "field ... removed", one per field.
    changed = copy.deepcopy(published)
    responses = changed["paths"]["/api/v1/books"]["get"]["responses"]
    responses["201"] = responses.pop("200")
    assert breaking_changes(published, changed) == [
        "GET /api/v1/books: success status 200 removed (now 201)"
    ]


def test_a_renamed_path_variable_breaks_no_client(published):
    # Regression: /books/{book_id} renamed to /books/{id} was reported as "operation removed",
    # yet clients fill the variable in and never send its name.
    changed = copy.deepcopy(published)
    item = changed["paths"].pop("/api/v1/books/{book_id}")
    for operation in item.values():
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "book_id":
                parameter["name"] = "id"
    changed["paths"]["/api/v1/books/{id}"] = item
    assert breaking_changes(published, changed) == []


def test_a_response_field_that_may_now_be_missing_and_a_required_body_are_breaking(published):
    changed = copy.deepcopy(published)
    book = changed["components"]["schemas"]["BookOut"]
    book["required"].remove("price")  # clients reading book["price"] may now fail
    old_body = published["paths"]["/api/v1/orders"]["post"]["requestBody"]
    body = changed["paths"]["/api/v1/orders"]["post"]["requestBody"]
    assert old_body.get("required") is True  # FastAPI marks a required body already...
    old_body_optional = copy.deepcopy(published)
    old_body_optional["paths"]["/api/v1/orders"]["post"]["requestBody"]["required"] = False
    assert "POST /api/v1/orders: request body is now required" in breaking_changes(
        old_body_optional, published
    )  # ...so the second case starts from a version where it was optional
    assert body["required"] is True
    assert breaking_changes(published, changed) == [
        "GET /api/v1/books 200: field items[].price is now optional",
        "GET /api/v1/books/{book_id} 200: field price is now optional",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"paths": {"/x": {"get": {"parameters": [{"$ref": 5}]}}}}, "is not a string"),
        ({"paths": {"/x": {"get": {"parameters": [{"name": "q"}]}}}}, "lacks 'in' or 'name'"),
        ({"paths": ["/x"]}, "paths is not an object"),
    ],
)
def test_an_invalid_document_is_a_valueerror_with_a_fix(document, message):
    with pytest.raises(ValueError, match=message):
        breaking_changes(document, document)


def test_removing_a_parameter_or_a_request_field_is_breaking(published):
    # A client still sending it gets a 422 where unknown inputs are refused (the bookstore's
    # extra="forbid"), or is silently ignored elsewhere: either way it no longer does its job.
    changed = copy.deepcopy(published)
    operation = changed["paths"]["/api/v1/books"]["get"]
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "cursor"]
    del changed["components"]["schemas"]["OrderLine"]["properties"]["quantity"]
    changed["components"]["schemas"]["OrderLine"]["required"].remove("quantity")
    assert breaking_changes(published, changed) == [
        "GET /api/v1/books: parameter cursor removed",
        "POST /api/v1/orders: request field items[].quantity removed",
    ]


def test_a_ref_may_point_into_an_array():
    # JSON Pointer (RFC 6901) counts array items by index: "#/.../parameters/0".
    lang = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"}}
    old = _doc({"Item": {"type": "object"}}, path_item={"parameters": [lang]})
    old["paths"]["/items"]["get"]["parameters"] = [{"$ref": "#/paths/~1items/parameters/0"}]
    assert breaking_changes(old, copy.deepcopy(old)) == []
    old["paths"]["/items"]["get"]["parameters"] = [{"$ref": "#/paths/~1items/parameters/7"}]
    with pytest.raises(ValueError, match="cannot resolve"):
        breaking_changes(old, old)
