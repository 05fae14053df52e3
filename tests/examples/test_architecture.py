"""Architectural patterns samples (examples/architecture/catalog.py): one contract test run
against the catalog as a monolith's module and as a service, and the failures only the service
version has."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest
from architecture.catalog import (
    BookNotFound,
    CatalogUnavailable,
    HttpCatalog,
    InProcessCatalog,
    catalog_client,
    catalog_from_environment,
    create_catalog_service,
    order_total,
)
from fastapi.testclient import TestClient

PRICES = {1: 89_000_00, 2: 125_000_00}


def in_process():
    return InProcessCatalog(PRICES)


def over_http():
    return HttpCatalog(TestClient(create_catalog_service(InProcessCatalog(PRICES))))


# --8<-- [start:contract_test]
@pytest.mark.parametrize("make_catalog", [in_process, over_http], ids=["module", "service"])
def test_the_module_and_the_service_keep_the_same_contract(make_catalog):
    catalog = make_catalog()
    assert catalog.price_of(1) == 89_000_00
    assert order_total(catalog, [(1, 2), (2, 1)]) == 303_000_00
    with pytest.raises(BookNotFound):
        catalog.price_of(99)


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectTimeout("no answer", request=request)


@pytest.mark.parametrize("answer", [
    unreachable,
    lambda request: httpx.Response(503, text="overloaded"),
    lambda request: httpx.Response(502, html="<html>502 Bad Gateway</html>"),
    lambda request: httpx.Response(504, html="<html>504 Gateway Time-out</html>"),
    lambda request: httpx.Response(404, html="<html>404 Not Found</html>"),  # nginx, misrouted
    lambda request: httpx.Response(404, json={"message": "no Route matched with those values"}),
    lambda request: httpx.Response(200, html="<html>proxy error page</html>"),
    lambda request: httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000,
                                   headers={"content-type": "application/json"}),
    lambda request: httpx.Response(200, json={"price_sen": "89000"}),
    lambda request: httpx.Response(200, json={"price_sen": -1}),
], ids=["connect-timeout", "503", "proxy-502", "proxy-504", "proxy-404", "gateway-json-404", "html-200", "deep-json",
        "price-as-text", "negative-price"])
def test_only_the_service_can_fail_this_way_and_each_failure_is_one_error(answer):
    # The network, replaced by each way it can fail.
    client = catalog_client("http://catalog", transport=httpx.MockTransport(answer))
    with pytest.raises(CatalogUnavailable):
        HttpCatalog(client).price_of(1)
# --8<-- [end:contract_test]


class RawCatalog:
    """A TCP server on 127.0.0.1 that answers every connection with `reply(conn)`: the slow and
    oversized answers a mock transport cannot produce, because they happen on the socket."""

    def __init__(self, reply) -> None:
        self.reply, self.stop = reply, threading.Event()
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
                conn.recv(65536)  # the request: one small GET
                try:
                    self.reply(conn)
                except OSError:
                    pass  # the client gave up and closed the connection: expected here

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.listener.close()


def drip_price(conn) -> None:
    # Every byte arrives well inside the 1 s read timeout, but the body takes about 3 s.
    body = b'{"book_id": 1, "price_sen": 8900000}'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode())
    for byte in body:
        conn.sendall(bytes([byte]))
        threading.Event().wait(0.08)


def huge_price(conn) -> None:
    body = b'{"price_sen": 1, "pad": "' + b"x" * 1_000_000 + b'"}'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


@pytest.mark.parametrize("reply", [drip_price, huge_price], ids=["slow-drip", "huge-body"])
def test_a_slow_or_huge_answer_ends_as_catalog_unavailable(reply):
    # Regression: httpx's timeouts bound each read, so a dripping answer took as long as the
    # server liked, and nothing bounded the body's size.
    with (
        RawCatalog(reply) as server,
        catalog_client(server.url, deadline=0.5) as client,
        pytest.raises(CatalogUnavailable),
    ):
        HttpCatalog(client).price_of(1)


def test_the_real_client_gets_the_price_from_a_real_socket():
    def price(conn) -> None:
        body = b'{"book_id": 1, "price_sen": 8900000}'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)

    with RawCatalog(price) as server, catalog_client(server.url) as client:
        assert HttpCatalog(client).price_of(1) == 89_000_00


def test_the_service_answers_404_for_an_unknown_book_and_422_for_a_bad_id():
    client = TestClient(create_catalog_service(InProcessCatalog(PRICES)))
    assert client.get("/books/99/price").status_code == 404
    assert client.get("/books/abc/price").status_code == 422


def test_the_catalogs_address_comes_from_the_environment():
    catalog = catalog_from_environment({"BOOKSTORE_CATALOG_URL": "http://127.0.0.1:8002"})
    assert str(catalog._client.base_url) == "http://127.0.0.1:8002"
    for bad in ({}, {"BOOKSTORE_CATALOG_URL": "127.0.0.1:8002"}):
        with pytest.raises(RuntimeError, match="fix: set it"):
            catalog_from_environment(bad)
