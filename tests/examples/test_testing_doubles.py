"""Test doubles for the payment provider: a fake (preferred) next to a mock, and what each
can and cannot notice. The fake is examples/testing/fake_payment_provider.py."""

from unittest.mock import Mock

import httpx
import pytest
from bookstore.integrations.http_retry import UpstreamError, make_client
from bookstore.integrations.payment_provider import fetch_payment_status
from testing.fake_payment_provider import FakePaymentProvider, serve


# --8<-- [start:fake_provider_fixtures]
@pytest.fixture
def provider():
    with serve(FakePaymentProvider()) as fake:
        yield fake


@pytest.fixture
def settings(settings, provider):
    # Overrides the conftest fixture of the same name, which it receives as `settings`:
    # the app reaches the fake through its configuration, as it reaches the real provider.
    return settings.model_copy(update={"payment_api_url": provider.url})


def check_payment(client, headers, order_id):
    return client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)


# --8<-- [end:fake_provider_fixtures]


@pytest.fixture
def order(client, log_in):
    """A pending order of one book; returns (auth headers, order id)."""
    headers = log_in("rina@example.com")
    payload = {"items": [{"book_id": 1, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=headers)
    assert response.status_code == 201
    return headers, response.json()["id"]


# --8<-- [start:fake_provider_tests]
def test_paid_at_the_provider_means_paid_here(client, provider, order):
    headers, order_id = order
    provider.pay(order_id)
    response = check_payment(client, headers, order_id)
    assert response.status_code == 200 and response.json()["status"] == "paid"
    assert provider.requests == [f"/v1/payments/{order_id}"]


def test_still_pending_at_the_provider_stays_pending(client, provider, order):
    headers, order_id = order
    provider.pay(order_id, status="pending")
    assert check_payment(client, headers, order_id).json()["status"] == "pending"


def test_a_short_outage_is_retried(client, provider, order):
    headers, order_id = order
    provider.pay(order_id)
    provider.outage = 2  # 503, 503, then the real answer
    assert check_payment(client, headers, order_id).json()["status"] == "paid"
    assert len(provider.requests) == 3


def test_a_long_outage_is_a_502_and_changes_nothing(client, provider, order):
    headers, order_id = order
    provider.pay(order_id)
    provider.outage = 3  # every attempt fails
    assert check_payment(client, headers, order_id).status_code == 502
    order_now = client.get(f"/api/v1/orders/{order_id}", headers=headers).json()
    assert order_now["status"] == "pending"


# --8<-- [end:fake_provider_tests]


def test_the_app_waits_between_retries_on_its_own_clock(client, provider, order, clock):
    # Regression: check_payment retried with time.sleep and time.monotonic, so the outage
    # tests above waited for real (up to 0.2 + 0.4 s) and the fake clock never moved. The
    # app now sleeps with the function create_app() receives: here the fake clock's.
    headers, order_id = order
    provider.pay(order_id)
    provider.outage = 2  # two pauses: 0-0.2 s, then 0-0.4 s (full jitter)
    start = clock()
    assert check_payment(client, headers, order_id).json()["status"] == "paid"
    assert start < clock() <= start + 0.2 + 0.4


# --8<-- [start:unusable_answer_regression]
@pytest.mark.parametrize("answer", ["no_such_payment", "html_page"])
def test_an_unusable_answer_is_a_502_not_a_500(client, provider, order, answer):
    # Regression: a 404 (no payment for this order yet) and a 200 with an HTML body
    # used to escape fetch_payment_status as httpx/JSON errors, and the API answered 500.
    headers, order_id = order
    if answer == "html_page":
        provider.pay(order_id)
        provider.html_page = True
    response = check_payment(client, headers, order_id)
    assert response.status_code == 502
    assert response.json()["title"] == "Payment provider unavailable"
    assert len(provider.requests) == 1  # neither answer is worth a retry


# --8<-- [end:unusable_answer_regression]


# --8<-- [start:mock_test]
def mocked_client(status_code: int, body: dict) -> Mock:
    """A stand-in for httpx.Client: each test spells out how the provider answers."""
    answer = Mock(status_code=status_code, **{"json.return_value": body})
    return Mock(spec=httpx.Client, **{"get.return_value": answer})


def test_payment_status_with_a_mock():
    client = mocked_client(200, {"status": "succeeded"})
    assert fetch_payment_status(client, 7) == "succeeded"
    client.get.assert_called_once_with("/v1/payments/7")  # pins how, not only what


# --8<-- [end:mock_test]


# --8<-- [start:mock_blind_spot]
def test_the_mock_turns_a_404_into_a_success():
    # A Mock's raise_for_status() does nothing unless a test tells it to raise, so the
    # code under test reads the body of a 404 as if the payment existed.
    client = mocked_client(404, {"status": "succeeded"})
    assert fetch_payment_status(client, 7) == "succeeded"  # wrong, and the test is green


def test_the_fake_answers_a_404_like_http_does():
    with (
        serve(FakePaymentProvider()) as fake,
        make_client(fake.url) as client,
        pytest.raises(UpstreamError, match="HTTP 404"),
    ):
        fetch_payment_status(client, 7)  # no payment 7: the real client raises


# --8<-- [end:mock_blind_spot]


def test_the_fake_refuses_paths_the_provider_does_not_have():
    fake = FakePaymentProvider()
    assert fake.answer("/v1/refunds/1") == (404, {"error": "no such payment"})
    fake.pay(1, "failed")
    assert fake.answer("/v1/payments/1") == (200, {"order_id": 1, "status": "failed"})


@pytest.mark.parametrize(
    "path",
    [
        "/v1/payments/\u0667",  # 7 in Arabic-Indic digits: int() takes it, an ASCII route does not
        "/v1/payments/" + "9" * 5000,  # int() refuses more than 4,300 digits with ValueError
        "/v1/payments/7/",
        "/v1/payments/7?expand=all",
    ],
)
def test_the_fake_answers_paths_the_provider_does_not_know_with_404(path):
    # Regression: the first matched order 7 and the second raised inside the fake's
    # server thread, so the client saw a dropped connection instead of an answer.
    fake = FakePaymentProvider()
    fake.pay(7)
    assert fake.answer(path) == (404, {"error": "no such payment"})


def test_the_unusable_answers_are_translated_in_the_adapter():
    # Unit level, no app: what the regression test above relies on.
    fake = FakePaymentProvider()
    with serve(fake), make_client(fake.url) as client:
        with pytest.raises(UpstreamError, match="HTTP 404") as raised:
            fetch_payment_status(client, 7)
        assert isinstance(raised.value.__cause__, httpx.HTTPStatusError)
        fake.pay(7)
        fake.html_page = True
        with pytest.raises(UpstreamError, match="not JSON"):
            fetch_payment_status(client, 7)
    with pytest.raises(UpstreamError, match="unexpected payment status"):
        fetch_payment_status(mocked_client(200, ["not", "an", "object"]), 7)


@pytest.mark.parametrize("status", [[], {}, ["succeeded"], 1, None])
def test_a_status_that_is_not_a_string_is_an_upstream_error(status):
    # Regression (review r2 of third-party-integration): a list or an object as "status"
    # raised TypeError (unhashable) in the set lookup, and payment-check answered 500.
    with pytest.raises(UpstreamError, match="unexpected payment status"):
        fetch_payment_status(mocked_client(200, {"status": status}), 7)
