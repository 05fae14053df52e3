"""REST resources, pagination, problem details, OpenAPI, versioning and ETags."""

import pytest
from bookstore.api.problems import status_phrase
from bookstore.db.connection import connect
from conftest import PASSWORD


# --8<-- [start:pagination_test]
def test_pages_follow_the_next_cursor_to_the_end(client):
    seen, url, pages = [], "/api/v1/books?limit=4", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.json()
        seen += [book["id"] for book in page["items"]]
        pages += 1
        if page["next_cursor"]:
            # The same link is in the Link header (RFC 8288) for generic clients.
            assert 'rel="next"' in response.headers["Link"]
            url = f"/api/v1/books?limit=4&cursor={page['next_cursor']}"
        else:
            assert "Link" not in response.headers
            url = None
    assert seen == [1, 2, 3, 4, 5, 6] and pages == 2  # every book once, in order


# --8<-- [end:pagination_test]


@pytest.mark.parametrize("cursor", ["eyJ4IjogMX0=", "eyJhZnRlciI6IC0xfQ==", "bm90IGpzb24="])
def test_a_broken_cursor_is_a_400_problem(client, cursor):
    response = client.get("/api/v1/books", params={"cursor": cursor})  # {"x": 1}, -1, not JSON
    assert response.status_code == 400
    assert response.json()["title"] == "Bad Request"


def test_a_cursor_that_is_not_base64url_is_refused_by_its_pattern(client):
    response = client.get("/api/v1/books", params={"cursor": "not-base64!"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "cursor"]


def test_limit_is_bounded(client):
    assert client.get("/api/v1/books?limit=0").status_code == 422
    assert client.get("/api/v1/books?limit=101").status_code == 422


# --8<-- [start:problem_details_test]
def test_errors_are_problem_details(client):
    response = client.get("/api/v1/books/999")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Book 999 does not exist.",
        "instance": "/api/v1/books/999",
    }


# --8<-- [end:problem_details_test]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nothing-here", 404),
        ("DELETE", "/api/v1/books", 405),
        ("GET", "/api/v1/books/abc", 422),
        ("GET", "/api/v1/orders", 401),
    ],
)
def test_every_error_has_the_same_shape(client, method, path, status):
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "instance"} <= response.json().keys()


def test_unexpected_errors_reveal_nothing(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "hunter2" not in response.text
    assert response.json()["detail"] == "Something went wrong on our side."
    assert "X-Request-ID" in response.headers  # quote it when reporting the problem


# --8<-- [start:openapi_test]
def test_openapi_document_describes_the_v1_api(client):
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {
        "/api/v1/books",
        "/api/v1/books/{book_id}",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/sessions",
    } <= document["paths"].keys()
    # Every JSON route is versioned; only operations endpoints are not.
    unversioned = {p for p in document["paths"] if not p.startswith("/api/v1/")}
    assert unversioned == {"/healthz", "/readyz", "/metrics"}
    order = document["components"]["schemas"]["OrderLine"]["properties"]["quantity"]
    assert (order["minimum"], order["maximum"]) == (1, 10)  # validation rules are documented


# --8<-- [end:openapi_test]


def test_swagger_ui_is_off_because_it_needs_a_cdn(client):
    assert client.get("/docs").status_code == 404


# --8<-- [start:etag_test]
def test_etag_lets_clients_skip_unchanged_bodies(client, log_in):
    first = client.get("/api/v1/books/1")
    etag = first.headers["ETag"]

    again = client.get("/api/v1/books/1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""  # nothing re-sent

    order = {"items": [{"book_id": 1, "quantity": 1}]}  # the stock changes ...
    client.post("/api/v1/orders", json=order, headers=log_in("joko@example.com"))
    changed = client.get("/api/v1/books/1", headers={"If-None-Match": etag})
    assert changed.status_code == 200  # ... so the old ETag no longer matches
    assert changed.headers["ETag"] != etag


# --8<-- [end:etag_test]


@pytest.mark.parametrize("header", ["*", 'W/"{etag}"', '"nope", "{etag}"'])
def test_if_none_match_forms(client, header):
    etag = client.get("/api/v1/books/2").headers["ETag"].strip('"')
    response = client.get("/api/v1/books/2", headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == 304


def test_405_lists_every_method_the_path_has(client):
    response = client.request("OPTIONS", "/api/v1/orders")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST"  # two routes share the path


@pytest.mark.parametrize("path", ["/api/v1/books", "/api/v1/books/1", "/books/1", "/healthz"])
def test_every_get_route_answers_head(client, path):
    # RFC 9110, 9.1: a general-purpose server MUST support GET and HEAD. FastAPI answers
    # only the methods a route declares, so HEAD got a 405 on every route.
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    for name in ("Content-Type", "Content-Length", "Cache-Control"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_a_head_request_is_logged_and_counted_as_head_on_its_route(client):
    client.head("/api/v1/books/1")
    text = client.get("/metrics").text
    assert 'http_requests_total{method="HEAD",route="/api/v1/books/{book_id}",status="200"}' in text


def test_head_on_a_path_without_get_is_still_405(client):
    response = client.head("/api/v1/users")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_a_failed_login_names_the_scheme_like_every_401(client):
    response = client.post(
        "/api/v1/sessions", json={"email": "no@example.com", "password": "x" * 12}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"  # RFC 9110, 15.5.2


def test_a_session_token_is_never_stored_by_a_cache(client, log_in):
    log_in("tari@example.com")  # signs up and logs in once
    credentials = {"email": "tari@example.com", "password": PASSWORD}
    response = client.post("/api/v1/sessions", json=credentials)
    assert response.status_code == 201, response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_every_error_in_the_openapi_document_is_problem_json(client):
    document = client.get("/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (
                        f"{method.upper()} {path} {status}"
                    )


def test_about_blank_problems_carry_the_rfc_9110_phrase_as_title(client, settings):
    # Regression: 429 ("Too many login attempts") and 503 ("Not ready") used type
    # about:blank with a title of their own, which RFC 9457 (4.2.1) rules out: with
    # about:blank the title is the status code's phrase; the details go into "detail".
    answers = [client.get("/api/v1/books/999"), client.request("DELETE", "/api/v1/books")]
    wrong = {"email": "nobody@example.com", "password": "not the password"}
    for _ in range(6):  # the sixth attempt within a minute is refused
        too_many = client.post("/api/v1/sessions", json=wrong)
    answers.append(too_many)
    big = b"x" * (settings.max_body_bytes + 1)
    answers.append(
        client.post("/api/v1/sessions", content=big, headers={"Content-Type": "application/json"})
    )
    conn = connect(settings.database)
    # The newest migration unapplied, as if the code were newer than the database.
    conn.execute("DELETE FROM schema_migrations"
                 " WHERE version = (SELECT MAX(version) FROM schema_migrations)")
    conn.close()
    answers.append(client.get("/readyz"))

    assert [answer.status_code for answer in answers] == [404, 405, 429, 413, 503]
    for answer in answers:
        body = answer.json()
        assert (body["type"], body["title"]) == ("about:blank", status_phrase(answer.status_code))
    assert answers[2].json()["detail"].startswith("Too many login attempts")


def test_status_phrases_are_rfc_9110_s_on_every_python_version():
    # Python 3.11 says "Unprocessable Entity" and "Request Entity Too Large"; RFC 9110
    # (and Python 3.13) say otherwise. The API answers the same on every version.
    assert status_phrase(413) == "Content Too Large"
    assert status_phrase(422) == "Unprocessable Content"
    assert status_phrase(404) == "Not Found"
    assert status_phrase(599) == "Error"  # a code Python does not know


def test_a_validation_problem_has_a_type_of_its_own(client):
    body = client.get("/api/v1/books/abc").json()
    assert body["type"] == "https://bookstore.example/problems/invalid-request"
    assert body["errors"][0]["location"] == ["path", "book_id"]  # an extension member
