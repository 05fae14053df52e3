"""Replacing a dependency in a test, from the lightest touch to the last resort: pass it in,
answer at the HTTP transport, override a FastAPI dependency, patch a module attribute where
the code looks it up. And what an autospecced mock still cannot do."""

from unittest.mock import create_autospec

import httpx
import pytest
from bookstore.api.deps import current_user
from bookstore.integrations.http_retry import UpstreamError
from bookstore.integrations.payment_provider import fetch_payment_status
from fastapi.testclient import TestClient


# --8<-- [start:mock_transport]
def provider_answers(seen: list[str]) -> httpx.MockTransport:
    """A stub at the transport: the real httpx.Client runs, a function answers each request."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/v1/payments/7":
            return httpx.Response(200, json={"order_id": 7, "status": "succeeded"})
        return httpx.Response(404, json={"error": "no such payment"})

    return httpx.MockTransport(answer)


def test_a_stubbed_transport_keeps_the_real_client():
    seen: list[str] = []
    transport = provider_answers(seen)
    with httpx.Client(base_url="https://pay.example", transport=transport) as client:
        assert fetch_payment_status(client, 7) == "succeeded"
        with pytest.raises(UpstreamError, match="HTTP 404"):
            fetch_payment_status(client, 8)  # the real raise_for_status() sees the 404
    assert seen == ["/v1/payments/7", "/v1/payments/8"]


# --8<-- [end:mock_transport]


# --8<-- [start:where_to_patch]
@pytest.mark.parametrize(
    ("target", "used"),
    [
        ("bookstore.integrations.http_retry.make_client", False),  # where it is defined
        ("bookstore.app.make_client", True),  # where the app looks it up
    ],
)
def test_patch_the_name_where_the_code_looks_it_up(app, monkeypatch, target, used):
    made: list[str] = []

    def make_stub_client(base_url: str) -> httpx.Client:
        made.append(base_url)
        return httpx.Client(base_url=base_url, transport=provider_answers([]))

    monkeypatch.setattr(target, make_stub_client)  # undone after the test
    with TestClient(app, base_url="https://testserver"):
        pass  # the lifespan makes the payment client at start-up
    # bookstore/app.py ran `from bookstore.integrations.http_retry import make_client`
    # once, at import: it holds its own name, and only patching that name reaches it.
    assert bool(made) is used


# --8<-- [end:where_to_patch]


# --8<-- [start:dependency_override]
def test_a_route_with_the_logged_in_user_overridden(app, client):
    app.dependency_overrides[current_user] = lambda: 1  # as if user 1 had logged in
    response = client.get("/api/v1/orders")  # no sign-up, no password hash, no token
    assert response.status_code == 200 and response.json() == []


def test_without_the_override_the_real_dependency_answers(client):
    assert client.get("/api/v1/orders").status_code == 401  # each test gets a new app


# --8<-- [end:dependency_override]


def test_autospec_checks_names_and_arguments_not_behavior():
    client = create_autospec(httpx.Client, instance=True)
    with pytest.raises(AttributeError):
        client.fetch("/v1/payments/7")  # httpx.Client has no fetch(): a spec catches it
    with pytest.raises(TypeError):
        client.get()  # the real get() needs a URL: autospec checks the signature
    # But what the mock returns is still a mock: raise_for_status() never raises and json()
    # is no document, so the adapter reports nonsense instead of the provider's answer.
    with pytest.raises(UpstreamError, match="unexpected payment status"):
        fetch_payment_status(client, 7)
    client.get.assert_called_once_with("/v1/payments/7")
