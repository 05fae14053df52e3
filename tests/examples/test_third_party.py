"""Third-party integration samples: the circuit breaker's state machine (with a fake
clock, no sleeping) and the payment gateways' documented notification checks."""

import hashlib
import threading

import pytest
from third_party.circuit_breaker import CircuitBreaker, CircuitOpen
from third_party.gateway_notifications import midtrans_signature_is_valid, xendit_token_is_valid


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def failing():
    raise ConnectionError("upstream down")


# --8<-- [start:circuit_breaker_test]
def test_the_circuit_opens_fails_fast_and_recovers():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, reset_after=30, clock=clock)
    calls = []

    def flaky():
        calls.append(clock.now)
        raise ConnectionError("upstream down")

    for _ in range(3):
        with pytest.raises(ConnectionError):
            breaker.call(flaky)
    assert breaker.state == "open"

    with pytest.raises(CircuitOpen):  # fails fast: the upstream is not called at all
        breaker.call(flaky)
    assert len(calls) == 3

    clock.now += 30  # after reset_after, one trial call may go through
    assert breaker.state == "half-open"
    assert breaker.call(lambda: "ok") == "ok"
    assert breaker.state == "closed"


# --8<-- [end:circuit_breaker_test]


def test_a_failed_trial_opens_the_circuit_again():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=10, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(failing)
    clock.now += 10
    with pytest.raises(ConnectionError):
        breaker.call(failing)  # the trial call fails
    assert breaker.state == "open"
    clock.now += 9
    assert breaker.state == "open"  # the wait starts again from the failed trial


def test_successes_reset_the_failure_count():
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    with pytest.raises(ConnectionError):
        breaker.call(failing)
    breaker.call(lambda: None)
    with pytest.raises(ConnectionError):
        breaker.call(failing)
    assert breaker.state == "closed"  # never two failures in a row


def test_a_slow_trial_keeps_every_other_call_out():
    # Half-open lets exactly one trial through, even if the trial outlasts reset_after.
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=10, clock=clock)
    with pytest.raises(ConnectionError):
        breaker.call(failing)
    clock.now += 10
    trial_started, finish_trial, calls = threading.Event(), threading.Event(), []

    def slow_trial():
        trial_started.set()
        finish_trial.wait(5)
        return "ok"

    trial = threading.Thread(target=lambda: calls.append(breaker.call(slow_trial)))
    trial.start()
    trial_started.wait(5)
    clock.now += 10  # the trial is still running when the pause has passed again
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: calls.append("second trial"))
    finish_trial.set()
    trial.join(5)
    assert calls == ["ok"] and breaker.state == "closed"


def test_a_late_success_of_an_older_call_does_not_close_an_open_circuit():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=30, clock=clock)
    started, finish = threading.Event(), threading.Event()

    def slow_success():
        started.set()
        finish.wait(5)

    older = threading.Thread(target=breaker.call, args=(slow_success,))
    older.start()  # begun while the circuit was closed
    started.wait(5)
    with pytest.raises(ConnectionError):
        breaker.call(failing)  # meanwhile the upstream fails: the circuit opens
    finish.set()
    older.join(5)
    assert breaker.state == "open"  # only a trial call may close it


def test_only_upstream_failures_count():
    # A 404 or our own bug says nothing about the upstream's health.
    breaker = CircuitBreaker(
        failure_threshold=1, clock=FakeClock(), failure_types=(ConnectionError,)
    )
    with pytest.raises(KeyError):
        breaker.call(lambda: {}["missing"])
    assert breaker.state == "closed"
    with pytest.raises(ConnectionError):
        breaker.call(failing)
    assert breaker.state == "open"


# --8<-- [start:gateway_tests]
SERVER_KEY = "askvnoibnosifnboseofinbofinfgbiufglnbfg"  # the sample key in Midtrans' docs


def midtrans_notification(**changes) -> dict:
    fields = {"order_id": "1111", "status_code": "200", "gross_amount": "100000.00"}
    signed = fields["order_id"] + fields["status_code"] + fields["gross_amount"] + SERVER_KEY
    fields["signature_key"] = hashlib.sha512(signed.encode()).hexdigest()
    fields["transaction_status"] = "settlement"
    return fields | changes


def test_midtrans_signature_covers_order_status_and_amount():
    assert midtrans_signature_is_valid(midtrans_notification(), SERVER_KEY)
    assert not midtrans_signature_is_valid(midtrans_notification(), "a-guessed-key")
    tampered = midtrans_notification(gross_amount="1000.00")  # same signature, new amount
    assert not midtrans_signature_is_valid(tampered, SERVER_KEY)
    unsigned = midtrans_notification()
    del unsigned["signature_key"]
    assert not midtrans_signature_is_valid(unsigned, SERVER_KEY)


def test_xendit_callback_token_must_match_exactly():
    token = "xnd-callback-token-from-the-dashboard"
    assert xendit_token_is_valid(token, token)
    assert not xendit_token_is_valid(token[:-1], token)
    assert not xendit_token_is_valid(None, token)
    assert not xendit_token_is_valid("", "")  # an unset token never matches


# --8<-- [end:gateway_tests]


@pytest.mark.parametrize(
    "changes",
    [
        {"signature_key": "é" * 128},  # non-ASCII: compare_digest on str would raise TypeError
        {"signature_key": None},
        {"gross_amount": 100000.0},  # a number re-formatted by a parser, not the field as sent
        {"order_id": ["1111"]},
    ],
)
def test_a_malformed_midtrans_notification_is_invalid_not_an_error(changes):
    assert not midtrans_signature_is_valid(midtrans_notification(**changes), SERVER_KEY)


@pytest.mark.parametrize("notification", [[], "order", None])
def test_a_midtrans_notification_that_is_not_an_object_is_invalid(notification):
    assert not midtrans_signature_is_valid(notification, SERVER_KEY)


def test_a_non_ascii_xendit_token_is_compared_not_an_error():
    assert not xendit_token_is_valid("tökén", "token")
    assert xendit_token_is_valid("tökén", "tökén")
