"""Hostile input at the edge of the bookstore: every id, size, depth and string is bounded
and validated before any work, and the answer is a 4xx problem, never a 500 (issue 16)."""

from __future__ import annotations

import base64
import json
import logging
import re
import threading

import anyio
import pytest
from bookstore.api.books import decode_cursor
from bookstore.app import create_app
from bookstore.services.errors import InvalidSignature
from bookstore.services.payments import sign_webhook, verify_webhook
from conftest import PASSWORD
from fastapi import HTTPException
from fastapi.testclient import TestClient

BIG = 2**63  # one more than the largest SQLite INTEGER
PROBLEM = "application/problem+json"


@pytest.fixture
def errors_logged(caplog):
    """The ERROR records (tracebacks of unhandled exceptions) logged during the test."""
    with caplog.at_level(logging.ERROR, logger="bookstore"):
        yield lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]


def assert_problem(response, *statuses: int) -> None:
    assert response.status_code in statuses, response.text
    assert response.headers["Content-Type"] == PROBLEM


# --8<-- [start:big_id_tests]
@pytest.mark.parametrize("number", [BIG, 10**400])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/books/{}"),
        ("GET", "/books/{}"),
        ("GET", "/api/v1/orders/{}"),
        ("POST", "/api/v1/orders/{}/payment-check"),
    ],
)
def test_ids_beyond_64_bits_are_a_422_not_a_500(
    client, log_in, errors_logged, method, path, number
):
    headers = log_in("ida@example.com")
    response = client.request(method, path.format(number), headers=headers)
    assert_problem(response, 422)
    assert errors_logged() == []  # no OverflowError traceback in the log


def test_a_book_id_beyond_64_bits_in_an_order_is_a_422(client, log_in, errors_logged):
    payload = {"items": [{"book_id": BIG, "quantity": 1}]}
    response = client.post("/api/v1/orders", json=payload, headers=log_in("ina@example.com"))
    assert_problem(response, 422)
    assert response.json()["errors"][0]["location"] == ["body", "items", 0, "book_id"]
    assert errors_logged() == []


# --8<-- [end:big_id_tests]


@pytest.mark.parametrize("path_id", ["+1", " 1", "1_000", "1.0", "0x1", "\u0661", "0"])
def test_an_id_in_a_path_is_plain_digits(client, path_id):
    assert_problem(client.get(f"/api/v1/books/{path_id}"), 422)


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "document", ['{"after": 1e30}', '{"after": 1000000000000000000000000000000}', '{"after": 2.0}']
)
def test_a_cursor_with_a_huge_or_float_position_is_a_400(client, errors_logged, document):
    assert_problem(client.get("/api/v1/books", params={"cursor": cursor_of(document)}), 400)
    assert errors_logged() == []


def test_a_deeply_nested_cursor_is_refused(client, errors_logged):
    deep = cursor_of("[" * 9000)  # json.loads would recurse until RecursionError
    assert_problem(client.get("/api/v1/books", params={"cursor": deep}), 422)  # too long
    with pytest.raises(HTTPException) as refused:
        decode_cursor(deep)  # and the decoder itself survives it
    assert refused.value.status_code == 400
    assert errors_logged() == []


# --8<-- [start:webhook_bound_tests]
def test_a_400_digit_timestamp_is_refused_before_authentication(client, errors_logged):
    signature = "t=" + "9" * 400 + ",v1=" + "0" * 64
    response = client.post(
        "/api/v1/webhooks/payments", content=b"{}", headers={"Signature": signature}
    )
    assert_problem(response, 422)  # the header's form is checked before any work
    with pytest.raises(InvalidSignature):
        verify_webhook("secret", signature, b"{}", now=1.0)  # and never becomes a float
    assert errors_logged() == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "e1", "type": "payment.succeeded", "order_id": Infinity}',
        b'{"id": "e1", "type": "payment.succeeded", "order_id": 1e30}',
        b'{"id": "e1", "type": "payment.succeeded", "order_id": 9223372036854775808}',
        b'{"id": "e1", "type": "payment.succeeded", "order_id": "7"}',
        b'{"id": "e1", "type": "payment.succeeded", "order_id": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}",
    ],
)
def test_a_signed_event_with_an_unusable_order_id_is_a_400(
    client, settings, clock, errors_logged, body
):
    signature = sign_webhook(settings.webhook_secret, int(clock()), body)
    response = client.post(
        "/api/v1/webhooks/payments", content=body, headers={"Signature": signature}
    )
    assert_problem(response, 400)
    assert errors_logged() == []


# --8<-- [end:webhook_bound_tests]


def test_a_body_above_the_limit_is_a_413(client, log_in):
    headers = log_in("ola@example.com")
    huge = b'{"items": [' + b" " * 70_000 + b"]}"  # the default limit is 64 KiB
    response = client.post("/api/v1/orders", content=huge, headers=headers)
    assert_problem(response, 413)

    def chunks():  # no Content-Length: the limit counts what arrives
        for _ in range(100):
            yield b" " * 1000

    response = client.post("/api/v1/orders", content=chunks(), headers=headers)
    assert_problem(response, 413)


def test_the_body_limit_passes_small_bodies_on_and_survives_a_disconnect():
    from bookstore.security.body_limit import BodySizeLimit

    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.extend([await receive(), await receive()])  # the body, then what follows it

    async def run(messages: list[dict]) -> None:
        incoming = iter(messages)

        async def receive():
            return next(incoming)

        scope = {"type": "http", "headers": [], "method": "POST", "path": "/"}
        await BodySizeLimit(app, limit=10)(scope, receive, None)

    parts = [{"type": "http.request", "body": b"ab", "more_body": True}]
    parts += [{"type": "http.request", "body": b"cd"}, {"type": "http.disconnect"}]
    anyio.run(run, parts)
    assert seen == [{"type": "http.request", "body": b"abcd", "more_body": False}, parts[2]]
    seen.clear()
    anyio.run(run, [{"type": "http.disconnect"}])  # the client left before sending a body
    assert seen == []


@pytest.mark.parametrize("declared", ["x", "9" * 5000, "-1", "1e9"])
def test_a_lying_content_length_is_refused(client, errors_logged, declared):
    response = client.post("/api/v1/users", content=b"{}", headers={"Content-Length": declared})
    assert_problem(response, 413)  # 5,000 digits: int() would raise ValueError, a 500
    assert errors_logged() == []


def test_leading_zeros_in_content_length_are_still_a_small_number(client):
    body = b'{"email": "zed@example.com", "password": "correct horse battery staple"}'
    headers = {"Content-Length": "0" * 30 + str(len(body)), "Content-Type": "application/json"}
    assert client.post("/api/v1/users", content=body, headers=headers).status_code == 201


# --8<-- [start:strict_type_tests]
@pytest.mark.parametrize("loose", ["1", True, 1.0, None])
@pytest.mark.parametrize("field", ["book_id", "quantity"])
def test_loose_types_are_refused(client, log_in, field, loose):
    line = {"book_id": 1, "quantity": 1, field: loose}
    response = client.post(
        "/api/v1/orders", json={"items": [line]}, headers=log_in("tia@example.com")
    )
    assert_problem(response, 422)  # without strict mode "1", true and 1.0 would mean 1


# --8<-- [end:strict_type_tests]


# --8<-- [start:email_tests]
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("\u00c9@x.io", "\u00e9@x.io"),  # É and é: only ASCII letters fold in SQLite's NOCASE
        ("caf\u00e9@x.io", "cafe\u0301@x.io"),  # é as one code point or two  # codespell:ignore
        ("Ana@Example.COM", "ana@example.com"),
        ("ana@stra\u00dfe.de", "ANA@STRA\u00dfE.DE"),  # capitals fold, and ß stays ß
        ("ana@stra\u00dfe.de", "ana@xn--strae-oqa.de"),  # one domain, in Unicode and in ASCII
    ],
)
def test_one_address_is_one_account(client, first, second):
    sign_up = client.post("/api/v1/users", json={"email": first, "password": PASSWORD})
    assert sign_up.status_code == 201
    again = client.post("/api/v1/users", json={"email": second, "password": PASSWORD})
    assert again.status_code == 409
    login = client.post("/api/v1/sessions", json={"email": second, "password": PASSWORD})
    assert login.status_code == 201


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ana@stra\u00dfe.de", "ana@strasse.de"),  # IDNA2008 keeps ß: another domain
        ("stra\u00dfe@example.com", "strasse@example.com"),  # maybe two mailboxes
    ],
)
def test_addresses_that_only_fold_alike_are_two_accounts(client, first, second):
    # casefold() turns ß into ss: folding the whole address stored "ana@strasse.de" for
    # "ana@straße.de", and the owner of strasse.de logged in to that account.
    created = client.post("/api/v1/users", json={"email": first, "password": PASSWORD})
    assert created.json()["email"] == first  # stored and answered as typed
    other = {"email": second, "password": "another long password"}
    assert client.post("/api/v1/users", json=other).status_code == 201
    stolen = client.post("/api/v1/sessions", json={"email": second, "password": PASSWORD})
    assert stolen.status_code == 401


# --8<-- [end:email_tests]


def test_the_address_is_stored_as_email_validator_returns_it(client, db):
    # The local part as typed (NFC), the domain in lower case: that is where mail goes.
    new = {"email": "Ana@Stra\u00dfe.DE", "password": PASSWORD}
    assert client.post("/api/v1/users", json=new).json()["email"] == "Ana@stra\u00dfe.de"
    stored = db.execute("SELECT email, email_key FROM users").fetchone()
    assert tuple(stored) == ("Ana@stra\u00dfe.de", "ana@stra\u00dfe.de")


def test_a_password_is_the_same_in_either_unicode_form(client):
    composed, decomposed = "caf\u00e9 au lait!", "cafe\u0301 au lait!"  # NFC and NFD  # codespell:ignore
    new = {"email": "uma@example.com", "password": composed}
    assert client.post("/api/v1/users", json=new).status_code == 201
    again = {"email": "uma@example.com", "password": decomposed}
    assert client.post("/api/v1/sessions", json=again).status_code == 201


@pytest.mark.parametrize("sneaky", ["a\x00b@x.io", "a\x1bb@x.io", "ana\u202emoc.x@x.io"])
def test_control_and_bidi_characters_in_an_address_are_refused(client, sneaky):
    response = client.post("/api/v1/users", json={"email": sneaky, "password": "x" * 12})
    assert_problem(response, 422)
    assert response.json()["errors"][0]["location"] == ["body", "email"]


def test_password_length_is_counted_after_normalization(client):
    # "e" + U+0301 six times is 12 code points as typed and 6 letters once normalized.
    # Counted before NFC, that sign-up got a 201, and every later login typed with
    # composed letters got a 422 ("at least 12 characters"): the account was locked out.
    short = {"email": "vera@example.com", "password": "e\u0301" * 6}
    refused = client.post("/api/v1/users", json=short)
    assert_problem(refused, 422)
    # Characters, not "items": the length is checked as a string's, on the normalized text.
    assert refused.json()["errors"][0]["message"] == "String should have at least 12 characters"
    decomposed = {"email": "vera@example.com", "password": "cafe\u0301 au lait!"}
    assert client.post("/api/v1/users", json=decomposed).status_code == 201
    composed = {"email": "vera@example.com", "password": "caf\u00e9 au lait!"}  # codespell:ignore
    assert client.post("/api/v1/sessions", json=composed).status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/sessions"])
def test_a_lone_surrogate_in_a_password_is_a_422_not_a_500(client, errors_logged, path):
    # Valid JSON (\ud800 is half of a UTF-16 surrogate pair), and Python keeps it in a str,
    # but it has no UTF-8 form: argon2 raised UnicodeEncodeError at sign-up and at login.
    body = b'{"email": "sam@example.com", "password": "\\ud800 long enough pass"}'
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 422)
    error = response.json()["errors"][0]
    assert error["location"] == ["body", "password"]
    assert "valid Unicode text" in error["message"]
    assert errors_logged() == []


def test_control_characters_in_a_review_are_refused(client):
    token = re.search(r'name="csrf_token" value="([^"]*)"', client.get("/books/1").text)[1]
    form = {"author_name": "Ana\u202e", "body": "ok", "csrf_token": token}
    response = client.post("/books/1/reviews", data=form, headers={"Origin": "https://testserver"})
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("session", "field"),
    [("x", "\u00e9"), ("\u00e9", "\u00e9"), ("\u00e9" * 43, "\u00e9" * 43 + "." + "0" * 64)],
    ids=["in-the-form", "in-both", "token-shaped"],
)
def test_a_non_ascii_csrf_token_is_a_403_not_a_500(client, errors_logged, session, field):
    # hmac.compare_digest raises TypeError for a str with non-ASCII characters.
    client.get("/books/1")
    response = client.post(
        "/books/1/reviews",
        data={"author_name": "x", "body": "y", "csrf_token": field},
        headers={
            "Origin": "https://testserver",
            "Cookie": f"__Host-session={session}".encode("latin-1"),  # the TestClient sends it as UTF-8
        },
    )
    assert_problem(response, 403)
    assert errors_logged() == []


# --8<-- [start:header_tests]
def test_the_link_header_comes_from_settings_not_from_host(client):
    response = client.get("/api/v1/books?limit=2", headers={"Host": "evil.example"})
    assert response.headers["Link"].startswith("<https://testserver/api/v1/books?limit=2&cursor=")
    assert "evil.example" not in response.text + response.headers["Link"]


def test_x_forwarded_for_from_a_client_is_ignored(client, log_in):
    log_in("ugo@example.com")  # one successful login counts
    wrong = {"email": "ugo@example.com", "password": "not the password"}
    for n in range(4):
        spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}  # a new "address" each time
        assert client.post("/api/v1/sessions", json=wrong, headers=spoofed).status_code == 401
    blocked = client.post(
        "/api/v1/sessions", json=wrong, headers={"X-Forwarded-For": "198.51.100.9"}
    )
    assert blocked.status_code == 429  # counted per real client address


def test_x_forwarded_for_from_the_configured_proxy_is_used(settings, clock, fast_hasher):
    proxied = settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    app = create_app(proxied, clock=clock, monotonic=clock, password_hasher=fast_hasher)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 40000)) as proxy:
        wrong = {"email": "vic@example.com", "password": "not the password"}
        for _ in range(5):
            proxy.post("/api/v1/sessions", json=wrong, headers={"X-Forwarded-For": "203.0.113.7"})
        limited = proxy.post(
            "/api/v1/sessions", json=wrong, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        other = proxy.post(
            "/api/v1/sessions", json=wrong, headers={"X-Forwarded-For": "203.0.113.8"}
        )
    assert limited.status_code == 429 and other.status_code == 401  # two clients, two counts


# --8<-- [end:header_tests]


def test_a_state_changing_request_from_another_origin_is_403(client, log_in):
    headers = {**log_in("wira@example.com"), "Origin": "https://evil.example"}
    response = client.post(
        "/api/v1/orders", json={"items": [{"book_id": 1, "quantity": 1}]}, headers=headers
    )
    assert_problem(response, 403)
    assert (
        client.get("/api/v1/books/1", headers={"Origin": "https://evil.example"}).status_code == 200
    )


# --8<-- [start:metrics_label_tests]
def test_made_up_methods_share_one_metrics_label(client):
    for n in range(50):
        client.request(f"MADEUP{n}", "/api/v1/books")
    text = client.get("/metrics").text
    assert "MADEUP" not in text
    assert 'http_requests_total{method="other",route="/api/v1/books",status="405"} 50.0' in text


# --8<-- [end:metrics_label_tests]


# --8<-- [start:signup_limit_tests]
def test_sign_ups_are_limited_per_client_address(client, clock):
    password = "correct horse battery staple"
    for n in range(5):
        new = {"email": f"reader{n}@example.com", "password": password}
        assert client.post("/api/v1/users", json=new).status_code == 201
    refused = client.post("/api/v1/users", json={"email": "r5@example.com", "password": password})
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) == 600
    clock.advance(601)  # ten minutes later
    assert (
        client.post(
            "/api/v1/users", json={"email": "r5@example.com", "password": password}
        ).status_code
        == 201
    )


def test_hashing_beyond_its_bound_is_a_503_with_retry_after(client, app):
    slots = app.state.hashing_slots
    credentials = {"email": "xena@example.com", "password": "correct horse battery staple"}
    with slots.take(), slots.take():  # both slots busy (password_hash_concurrency = 2)
        for path in ("/api/v1/users", "/api/v1/sessions"):
            busy = client.post(path, json=credentials)
            assert_problem(busy, 503)
            assert busy.headers["Retry-After"] == "1"
    assert client.post("/api/v1/users", json=credentials).status_code == 201  # free again


# --8<-- [end:signup_limit_tests]


class SlowHasher:
    """A hasher that holds every hash until released, and counts how many run at once."""

    def __init__(self, real) -> None:
        self.real, self.release = real, threading.Event()
        self.running = self.most = 0
        self.lock = threading.Lock()
        self.time_cost, self.memory_cost, self.parallelism = 1, 8, 1

    def hash(self, password: str) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        self.release.wait(timeout=30)
        with self.lock:
            self.running -= 1
        return self.real.hash(password)


@pytest.mark.timeout(60)
def test_at_most_the_configured_number_of_hashes_run_at_once(settings, clock, fast_hasher):
    hasher = SlowHasher(fast_hasher)
    app = create_app(settings, clock=clock, monotonic=clock, password_hasher=hasher)
    app.state.signup_limiter.limit = 100
    statuses: list[int] = []
    with TestClient(app, base_url="https://testserver") as test_client:

        def sign_up(n: int) -> None:
            new = {"email": f"crowd{n}@example.com", "password": "correct horse battery staple"}
            statuses.append(test_client.post("/api/v1/users", json=new).status_code)

        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        while statuses.count(503) < 6:  # six are refused at once ...
            threading.Event().wait(0.01)
        hasher.release.set()  # ... and the two that got a slot finish
        for thread in threads:
            thread.join()
    assert sorted(statuses) == [201, 201] + [503] * 6
    assert hasher.most == 2


# --8<-- [start:health_pool_test]
@pytest.mark.timeout(60)  # before the fix /healthz waited for a free thread forever
def test_health_checks_answer_while_every_worker_thread_is_busy(client):
    async def take_every_thread() -> list[object]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        holders = [object() for _ in range(int(limiter.total_tokens))]
        for holder in holders:
            limiter.acquire_on_behalf_of_nowait(holder)
        return holders

    async def give_back(holders: list[object]) -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        for holder in holders:
            limiter.release_on_behalf_of(holder)

    holders = client.portal.call(take_every_thread)  # as if 40 sign-ups were hashing
    try:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/metrics").status_code == 200
    finally:
        client.portal.call(give_back, holders)


# --8<-- [end:health_pool_test]


def test_the_login_limiter_keeps_a_bounded_number_of_keys(clock):
    from bookstore.security.rate_limit import RateLimiter

    limiter = RateLimiter(limit=5, window=60, clock=clock, max_keys=100)
    for n in range(1000):  # a flood of made-up e-mail addresses
        limiter.hit(f"user{n}@example.com|203.0.113.1")
    assert len(limiter._attempts) <= 100
    clock.advance(61)
    limiter.hit("late@example.com|203.0.113.1")
    assert len(limiter._attempts) == 1  # idle keys are forgotten first


def test_a_flood_of_new_keys_does_not_reset_the_key_under_attack(clock):
    from bookstore.security.rate_limit import RateLimiter

    limiter = RateLimiter(limit=2, window=60, clock=clock, max_keys=3)
    assert limiter.hit("victim") == limiter.hit("victim") == 0  # two guesses, then blocked
    for n in range(10):  # the attacker floods made-up keys to push "victim" out ...
        limiter.hit(f"made-up-{n}")
        assert limiter.hit("victim") > 0  # ... but keeps trying it, so it stays counted
    assert len(limiter._attempts) == 3  # the least recently used keys were dropped


def test_problem_bodies_never_echo_hostile_values(client):
    bidi = "x\u202e@x.io"
    response = client.post("/api/v1/users", json={"email": bidi, "password": "y" * 12})
    assert "\u202e" not in response.text
    assert json.loads(response.text)["status"] == 422
