"""The contract of POST /api/v1/orders, as the communication-and-collaboration page shows it:
every answer the endpoint gives is one the OpenAPI document promises, with the body it
promises. The front-end team reads only the document; this test keeps the two together."""

from __future__ import annotations

from bookstore.api.problems import Problem

ORDERS = "/api/v1/orders"


# --8<-- [start:documented_statuses_test]
def test_every_answer_of_post_orders_is_in_the_openapi_document(client, log_in):
    documented = client.get("/openapi.json").json()["paths"][ORDERS]["post"]["responses"]
    me = log_in("kontrak@example.com")
    key = {**me, "Idempotency-Key": "3c9e7f0a-1d2b-4c5e-8f9a-0b1c2d3e4f5a"}

    def order(book_id: int, quantity: int = 1, headers: dict | None = None):
        items = {"items": [{"book_id": book_id, "quantity": quantity}]}
        return client.post(ORDERS, json=items, headers=me if headers is None else headers)

    answers = {  # what we send: (the status we expect, the answer we get)
        "placed": (201, order(1, headers=key)),
        "key reused for another order": (422, order(2, headers=key)),
        "not logged in": (401, order(1, headers={})),
        "another site's page": (403, order(1, headers={**me, "Origin": "https://evil.example"})),
        "unknown book": (404, order(999)),
        "sold out": (409, order(6)),  # the demo data has no copies of book 6
        "eleven copies": (422, order(1, quantity=11)),
        "body over 64 KiB": (
            413,
            client.post(
                ORDERS, content=b" " * 70_000, headers={**me, "Content-Type": "application/json"}
            ),
        ),
    }
    for name, (expected, response) in answers.items():
        assert response.status_code == expected, name
        promised = documented.get(str(expected))
        assert promised, f"{name}: {expected} is not in the OpenAPI document"
        if expected >= 400:  # an error: the documented problem details body
            schema = promised["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, name
            assert response.headers["Content-Type"] == "application/problem+json", name
            Problem.model_validate(response.json(), strict=True)  # the shape it promises


# --8<-- [end:documented_statuses_test]
