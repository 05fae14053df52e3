"""Third-party integration: signed webhooks, idempotency keys under concurrency, and outgoing
calls with timeouts, retries and a deadline against a real HTTP server on 127.0.0.1 (no mocks)."""

import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from bookstore.db.connection import connect
from bookstore.integrations.http_retry import (
    CappedTransport,
    UpstreamError,
    get_json_with_retries,
    make_client,
)
from bookstore.integrations.payment_provider import fetch_payment_status
from bookstore.services.errors import InvalidSignature
from bookstore.services.orders import place_order_once
from bookstore.services.payments import sign_webhook, verify_webhook

SECRET = "whsec_" + "x" * 32


def post_event(client, settings, clock, event: dict, timestamp=None, secret=None):
    body = json.dumps(event).encode()
    signature = sign_webhook(secret or settings.webhook_secret, timestamp or int(clock()), body)
    return client.post(
        "/api/v1/webhooks/payments",
        content=body,
        headers={"Signature": signature, "Content-Type": "application/json"},
    )


def place_order(client, headers) -> int:
    order = client.post(
        "/api/v1/orders", json={"items": [{"book_id": 1, "quantity": 1}]}, headers=headers
    )
    return order.json()["id"]


# --8<-- [start:webhook_tests]
def test_signed_event_marks_the_order_paid_once(client, settings, clock, log_in):
    headers = log_in("sari@example.com")
    order_id = place_order(client, headers)
    event = {"id": "evt_1", "type": "payment.succeeded", "order_id": order_id}

    assert post_event(client, settings, clock, event).json() == {"processed": True}
    assert post_event(client, settings, clock, event).json() == {"processed": False}  # resent
    assert client.get(f"/api/v1/orders/{order_id}", headers=headers).json()["status"] == "paid"


def test_forged_old_or_tampered_events_are_refused(client, settings, clock):
    event = {"id": "evt_2", "type": "payment.succeeded", "order_id": 1}
    forged = post_event(client, settings, clock, event, secret="guessed-secret")
    replayed = post_event(client, settings, clock, event, timestamp=int(clock()) - 301)
    assert forged.status_code == replayed.status_code == 400

    body = json.dumps(event).encode()
    signature = sign_webhook(settings.webhook_secret, int(clock()), body)
    tampered = body.replace(b'"order_id": 1', b'"order_id": 2')  # same signature
    response = client.post(
        "/api/v1/webhooks/payments", content=tampered, headers={"Signature": signature}
    )
    assert response.status_code == 400


# --8<-- [end:webhook_tests]


@pytest.mark.parametrize("header", [None, "", "t=abc,v1=00", "v1=00", "t=1"])
def test_malformed_signature_headers_are_refused(header):
    with pytest.raises(InvalidSignature):
        verify_webhook(SECRET, header, b"{}", now=1.0)


def test_signature_within_the_window_is_accepted():
    body = b'{"id": "evt"}'
    verify_webhook(SECRET, sign_webhook(SECRET, 1000, body), body, now=1000 + 299)


@pytest.mark.parametrize(
    ("event", "status", "answer"),
    [
        ({"id": "e", "type": "payment.failed", "order_id": 1}, 200, {"processed": False}),
        ({"id": "e", "type": "payment.succeeded"}, 400, None),
        ({"id": "e", "type": "payment.succeeded", "order_id": 424242}, 404, None),
    ],
)
def test_event_contents_are_checked(client, settings, clock, event, status, answer):
    response = post_event(client, settings, clock, event)
    assert response.status_code == status
    if answer is not None:
        assert response.json() == answer


def test_signed_but_not_json_is_400(client, settings, clock):
    signature = sign_webhook(settings.webhook_secret, int(clock()), b"not json")
    response = client.post(
        "/api/v1/webhooks/payments", content=b"not json", headers={"Signature": signature}
    )
    assert response.status_code == 400


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client timed out and closed the connection: expected here


class Upstream:
    """A real HTTP server on 127.0.0.1 in a thread, answering from a script of replies.

    A reply is (status, body): a dict is sent as JSON, bytes as they are. With `drip`, the
    body goes out one byte at a time, `drip` seconds apart (a slow, not a silent, server)."""

    def __init__(
        self, replies: list[tuple[int, dict | bytes]], delay: float = 0.0, drip: float = 0.0
    ) -> None:
        self.replies, self.delay, self.drip, self.requests = list(replies), delay, drip, 0
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                upstream.requests += 1
                time.sleep(upstream.delay)
                status, body = upstream.replies.pop(0) if upstream.replies else (200, {})
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if not upstream.drip:
                        self.wfile.write(data)
                    for byte in data if upstream.drip else b"":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(upstream.drip)
                except OSError:
                    pass  # the client gave up and closed the connection: expected here

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        serve = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)
        serve.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# --8<-- [start:retry_tests]
def test_two_503s_then_success(monkeypatch):
    waits: list[float] = []
    replies = [(503, {}), (503, {}), (200, {"status": "succeeded"})]
    with Upstream(replies) as upstream, make_client(upstream.url) as client:
        result = get_json_with_retries(client, "/v1/payments/1", attempts=3, sleep=waits.append)
    assert result == {"status": "succeeded"}
    assert upstream.requests == 3
    assert len(waits) == 2 and 0 <= waits[0] <= 0.2 and 0 <= waits[1] <= 0.4  # backoff


def test_a_slow_upstream_times_out_instead_of_hanging():
    # The upstream answers after 0.5 s; each attempt gives up at 0.1 s (a wait for the
    # answer would have returned it instead of raising ReadTimeout).
    with (
        Upstream([], delay=0.5) as upstream,
        make_client(upstream.url, timeout=0.1) as client,
        pytest.raises(UpstreamError, match="after 2 attempts: ReadTimeout"),
    ):
        get_json_with_retries(client, "/v1/payments/1", attempts=2, base_delay=0.01)


# --8<-- [end:retry_tests]


def test_client_errors_are_not_retried():
    with (
        Upstream([(404, {})]) as upstream,
        make_client(upstream.url) as client,
        pytest.raises(httpx.HTTPStatusError),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)
    assert upstream.requests == 1


def test_nobody_listening_is_retried_then_reported(free_port):
    with (
        make_client(f"http://127.0.0.1:{free_port}") as client,
        pytest.raises(UpstreamError, match="ConnectError"),
    ):
        get_json_with_retries(client, "/x", attempts=2, sleep=lambda _: None)


def test_payment_check_asks_the_provider(client, app, log_in):
    headers = log_in("tari@example.com")
    order_id = place_order(client, headers)
    replies = [(503, {}), (200, {"status": "succeeded"})]
    with Upstream(replies) as upstream:
        app.state.payment_client.close()
        app.state.payment_client = make_client(upstream.url)
        response = client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "paid"


# The answer the page shows, recorded in examples/third_party/output/payment-check-502.txt.
RECORDED_502 = (
    Path(__file__).resolve().parents[2] / "examples/third_party/output/payment-check-502.txt"
)


def test_payment_provider_down_is_a_502_problem(client, log_in):
    headers = log_in("umar@example.com")
    order_id = place_order(client, headers)  # the test settings point at a closed port
    response = client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)
    assert response.status_code == 502
    assert response.json()["title"] == "Payment provider unavailable"
    status_line, content_type, blank, body = RECORDED_502.read_text().splitlines()
    assert status_line == f"HTTP/1.1 {response.status_code} {response.reason_phrase}"
    assert content_type == f"content-type: {response.headers['content-type']}" and blank == ""
    assert json.loads(body) == response.json() and body == response.text


def test_unexpected_provider_answer_is_a_502(app, client, log_in):
    headers = log_in("vina@example.com")
    order_id = place_order(client, headers)
    with Upstream([(200, {"status": "maybe"})]) as upstream:
        app.state.payment_client = make_client(upstream.url)
        response = client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)
    assert response.status_code == 502


# --8<-- [start:deadline_tests]
def test_a_slow_drip_answer_is_cut_off_at_its_time_limit():
    # Each byte arrives well within the 1 s read timeout, so that timeout never fires:
    # 54 bytes at 0.05 s would take 2.7 s. The transport's time limit cuts it off.
    body = json.dumps({"status": "succeeded", "pad": "x" * 20}).encode()
    transport = CappedTransport(max_seconds=0.3)
    with (
        Upstream([(200, body)], drip=0.05) as upstream,
        httpx.Client(base_url=upstream.url, timeout=1.0, transport=transport) as client,
        pytest.raises(UpstreamError, match="time limit"),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)


def test_an_answer_larger_than_the_cap_is_refused():
    big = {"status": "succeeded", "pad": "x" * 2_000_000}  # about 2 MB of valid JSON
    with (
        Upstream([(200, big)]) as upstream,
        make_client(upstream.url) as client,  # CappedTransport: 1,000,000 bytes at most
        pytest.raises(UpstreamError, match="larger than 1000000 bytes"),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)


# --8<-- [end:deadline_tests]


def test_no_retry_starts_once_the_deadline_has_passed():
    waits: list[float] = []
    with (
        Upstream([(503, {})] * 3) as upstream,
        make_client(upstream.url) as client,
        pytest.raises(UpstreamError, match="after 1 attempt: HTTP 503"),
    ):
        get_json_with_retries(client, "/v1/payments/1", deadline=0.0, sleep=waits.append)
    assert upstream.requests == 1 and waits == []


def test_a_deeply_nested_provider_answer_is_a_502_not_a_500(app, client, log_in):
    headers = log_in("wulan@example.com")
    order_id = place_order(client, headers)
    nested = b"[" * 100_000 + b"]" * 100_000  # json.loads recurses until RecursionError
    with Upstream([(200, nested)]) as upstream:
        app.state.payment_client = make_client(upstream.url)
        response = client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)
    assert response.status_code == 502
    assert response.json()["title"] == "Payment provider unavailable"


class RawUpstream:
    """A TCP server on 127.0.0.1 that runs `reply(conn)` for each connection, for the
    misbehaviour http.server cannot produce (dripped headers, gzip we did not ask for)."""

    def __init__(self, reply) -> None:
        self.reply, self.requests, self.stop = reply, [], threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)  # so the loop sees `stop` between connections
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(None)
                head = b""
                while b"\r\n\r\n" not in head and (chunk := conn.recv(4096)):
                    head += chunk
                self.requests.append(head.decode("latin-1"))
                try:
                    self.reply(conn)
                except OSError:
                    pass  # the client gave up and closed the connection: expected here

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()  # the reply in progress finishes first, so its record is complete
        self.listener.close()


def gzip_reply(body: bytes):
    def reply(conn):
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return reply


# --8<-- [start:hostile_encoding_tests]
def test_a_gzip_bomb_is_refused_before_it_is_decoded():
    # 50 MB of JSON that gzip packs into about 50 KB: the 1 MB cap counts bytes on the wire.
    bomb = gzip.compress(b'{"status": "succeeded", "pad": "' + b"x" * 50_000_000 + b'"}')
    with (
        RawUpstream(gzip_reply(bomb)) as upstream,
        make_client(upstream.url) as client,
        pytest.raises(UpstreamError, match="gzip-encoded; we asked for identity"),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)
    assert "accept-encoding: identity" in upstream.requests[0].lower()


def test_a_corrupt_gzip_response_is_a_502_not_a_500(app, client, log_in):
    headers = log_in("yudi@example.com")
    order_id = place_order(client, headers)
    with RawUpstream(gzip_reply(b"\x1f\x8b\x08\x00 not gzip at all")) as upstream:
        app.state.payment_client = make_client(upstream.url)
        response = client.post(f"/api/v1/orders/{order_id}/payment-check", headers=headers)
    assert response.status_code == 502
    assert response.json()["title"] == "Payment provider unavailable"


# --8<-- [end:hostile_encoding_tests]


# --8<-- [start:header_drip_test]
def test_headers_dripped_past_the_time_limit_are_cut_off():
    # One header byte every 0.05 s: every read is far inside the 1 s read timeout. The
    # client must hang up while the headers are still dripping, not once the body comes.
    hung_up = []

    def drip_headers(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        conn.settimeout(0.05)
        for byte in b"X-Slow: " + b"z" * 60 + b"\r\n":  # 3.5 s of headers
            conn.sendall(bytes([byte]))
            try:
                if conn.recv(1) == b"":  # b"" once the client closes
                    hung_up.append(True)
                    return
            except TimeoutError:
                pass  # still connected: 0.05 s passed, send the next byte
        hung_up.append(False)
        conn.sendall(b"Content-Length: 2\r\n\r\n{}")

    transport = CappedTransport(max_seconds=0.5)
    with (
        RawUpstream(drip_headers) as upstream,
        httpx.Client(base_url=upstream.url, timeout=1.0, transport=transport) as client,
        pytest.raises(UpstreamError, match="time limit"),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)
    assert hung_up == [True]


# --8<-- [end:header_drip_test]


def test_a_read_that_would_end_after_the_time_limit_is_not_waited_for():
    # A gap shorter than the 5 s read timeout but ending after the 0.5 s limit: the client
    # must hang up during the gap instead of waiting for the next byte.
    hung_up = []

    def late_gap(conn):
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\n{"status": ')
        conn.settimeout(3.0)
        try:
            hung_up.append(conn.recv(1) == b"")  # b"" once the client closes
        except TimeoutError:
            hung_up.append(False)
        conn.sendall(b'"pending"}')

    transport = CappedTransport(max_seconds=0.5)
    with (
        RawUpstream(late_gap) as upstream,
        httpx.Client(base_url=upstream.url, timeout=5.0, transport=transport) as client,
        pytest.raises(UpstreamError, match="time limit"),
    ):
        get_json_with_retries(client, "/v1/payments/1", sleep=lambda _: None)
    assert hung_up == [True]


def test_a_client_that_decodes_a_corrupt_gzip_response_still_gets_an_upstream_error():
    # A client without CappedTransport (a test double, say) decodes gzip itself.
    def corrupt(request):
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip")

    with (
        httpx.Client(base_url="http://provider", transport=httpx.MockTransport(corrupt)) as c,
        pytest.raises(UpstreamError, match="could not be decoded"),
    ):
        fetch_payment_status(c, 1)


# --8<-- [start:idempotency_race_test]
def test_the_same_idempotency_key_sent_twice_at_once_places_one_order(app, client, db, log_in):
    # Two requests with one key race each other: the second waits at BEGIN IMMEDIATE and
    # then finds the stored answer, instead of placing a second order.
    log_in("yosef@example.com")
    user_id = db.execute("SELECT id FROM users WHERE email = 'yosef@example.com'").fetchone()[0]
    start, results = threading.Barrier(2), []

    def order_once():
        conn = connect(app.state.settings.database)
        try:
            start.wait()
            results.append(place_order_once(conn, app.state.cache, user_id, [(2, 1)], "race-key-1"))
        finally:
            conn.close()

    threads = [threading.Thread(target=order_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    (first, first_replayed), (second, second_replayed) = results
    assert first == second and {first_replayed, second_replayed} == {False, True}
    assert (
        db.execute("SELECT COUNT(*) FROM orders WHERE user_id = ?", (user_id,)).fetchone()[0] == 1
    )


# --8<-- [end:idempotency_race_test]


def test_a_signature_from_too_far_in_the_future_is_refused():
    body = b'{"id": "evt"}'
    with pytest.raises(InvalidSignature, match="window"):
        verify_webhook(SECRET, sign_webhook(SECRET, 1000 + 301, body), body, now=1000)


def test_a_paid_order_never_moves_back(client, settings, clock, db, log_in):
    order_id = place_order(client, log_in("xena@example.com"))
    paid = {"id": "evt_paid", "type": "payment.succeeded", "order_id": order_id}
    assert post_event(client, settings, clock, paid).json() == {"processed": True}
    failed = {"id": "evt_late", "type": "payment.failed", "order_id": order_id}
    assert post_event(client, settings, clock, failed).json() == {"processed": False}
    status = db.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
    assert status == "paid"


def test_a_success_event_for_an_order_no_longer_pending_changes_nothing(
    client, settings, clock, db, log_in
):
    # A new event id passes the resend check; only mark_paid's WHERE status = 'pending'
    # stops it, and the route must then say it processed nothing.
    headers = log_in("xavi@example.com")
    paid_id, cancelled_id = place_order(client, headers), place_order(client, headers)
    first = {"id": "evt_first", "type": "payment.succeeded", "order_id": paid_id}
    assert post_event(client, settings, clock, first).json() == {"processed": True}
    second = {"id": "evt_second", "type": "payment.succeeded", "order_id": paid_id}
    assert post_event(client, settings, clock, second).json() == {"processed": False}

    db.execute("UPDATE orders SET status = 'cancelled' WHERE id = ?", (cancelled_id,))
    db.commit()
    late = {"id": "evt_after_cancel", "type": "payment.succeeded", "order_id": cancelled_id}
    assert post_event(client, settings, clock, late).json() == {"processed": False}
    status = db.execute("SELECT status FROM orders WHERE id = ?", (cancelled_id,)).fetchone()[0]
    assert status == "cancelled"


def test_a_failed_keyed_order_stores_nothing_so_the_key_can_be_retried(client, db, log_in):
    headers = {**log_in("yanti@example.com"), "Idempotency-Key": "retry-after-409"}
    too_many = {"items": [{"book_id": 3, "quantity": 4}]}  # 3 in stock
    assert client.post("/api/v1/orders", json=too_many, headers=headers).status_code == 409
    assert db.execute("SELECT COUNT(*) FROM idempotency_keys").fetchone()[0] == 0
    one = {"items": [{"book_id": 3, "quantity": 1}]}
    retried = client.post("/api/v1/orders", json=one, headers=headers)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers


def test_an_idempotency_key_longer_than_255_characters_is_a_422(client, log_in):
    headers = {**log_in("zaki@example.com"), "Idempotency-Key": "k" * 256}
    order = {"items": [{"book_id": 1, "quantity": 1}]}
    assert client.post("/api/v1/orders", json=order, headers=headers).status_code == 422
