"""The catalog as a module of a modular monolith, and the same catalog extracted into a service.

The orders code depends only on the `Catalog` interface. In the monolith it gets InProcessCatalog,
a function call away; after the catalog becomes a service it gets HttpCatalog, and nothing in
`order_total` changes. What does change is what can go wrong: a call across the network can time
out, find the service down or get an answer it cannot read, and each of those must become an
error the caller can handle (CatalogUnavailable), never a crash.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

import httpx

# The third-party integration page's transport: a deadline for the whole call and a size cap.
from bookstore.integrations.http_retry import CappedTransport, UpstreamError
from fastapi import FastAPI, HTTPException

DEADLINE = 2.0  # seconds for the whole call: connecting, headers and body together
MAX_BODY = 64_000  # bytes; a price answer is about 40
NO_SUCH_BOOK = {"detail": "no such book"}  # the catalog's own 404 body, and only that
JSON_TYPES = {"application/json", "application/problem+json"}


class BookNotFound(LookupError):
    pass


class CatalogUnavailable(RuntimeError):
    """The catalog service could not answer; the caller may retry later or degrade."""


# --8<-- [start:interface]
class Catalog(Protocol):
    def price_of(self, book_id: int) -> int:
        """The book's price in sen; BookNotFound if there is no such book."""
        ...


def order_total(catalog: Catalog, lines: list[tuple[int, int]]) -> int:
    """Orders know the catalog only through its interface, never its tables."""
    return sum(catalog.price_of(book_id) * quantity for book_id, quantity in lines)


class InProcessCatalog:
    """The module inside the monolith: a function call, no network, one deployment."""

    def __init__(self, prices: dict[int, int]) -> None:
        self._prices = dict(prices)

    def price_of(self, book_id: int) -> int:
        try:
            return self._prices[book_id]
        except KeyError:
            raise BookNotFound(book_id) from None
# --8<-- [end:interface]


# --8<-- [start:service]
def create_catalog_service(catalog: InProcessCatalog) -> FastAPI:
    """The same module as its own service, deployed and scaled on its own."""
    service = FastAPI()

    @service.get("/books/{book_id}/price")
    def price(book_id: int) -> dict:
        try:
            return {"book_id": book_id, "price_sen": catalog.price_of(book_id)}
        except BookNotFound:
            raise HTTPException(404, NO_SUCH_BOOK["detail"]) from None

    return service


def demo_service() -> FastAPI:
    """`uvicorn --factory architecture.catalog:demo_service`: the catalog with two books."""
    return create_catalog_service(InProcessCatalog({1: 89_000_00, 2: 125_000_00}))
# --8<-- [end:service]


# --8<-- [start:http_client]
def catalog_client(base_url: str, transport: httpx.BaseTransport | None = None,
                   deadline: float = DEADLINE) -> httpx.Client:
    # httpx's timeout bounds each network step (connecting, every read), not the whole call: a
    # server sending a byte every half second never trips it. CappedTransport adds the deadline.
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(1.0),
                        transport=transport or CappedTransport(MAX_BODY, deadline))


class HttpCatalog:
    """The caller's side after the extraction: the same interface over HTTP."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def price_of(self, book_id: int) -> int:
        try:
            response = self._client.get(f"/books/{book_id}/price")
        # UpstreamError: past the deadline or over MAX_BODY
        except (httpx.HTTPError, UpstreamError) as error:  # timeouts, refusals, broken transfers
            raise CatalogUnavailable(f"catalog unreachable: {error!r}") from error
        if is_no_such_book(response):  # any other 404 (nginx's HTML, a gateway's JSON) is not ours
            raise BookNotFound(book_id)
        try:
            response.raise_for_status()
            if not is_json(response):  # a proxy's error page, even one sent with 200
                raise ValueError(response.headers.get("content-type"))
            price = response.json()["price_sen"]
        # RecursionError: [[[[...]]]] nested deeper than Python's recursion limit
        except (httpx.HTTPStatusError, ValueError, KeyError, TypeError, RecursionError) as error:
            raise CatalogUnavailable(f"catalog answered {response.status_code}") from error
        if type(price) is not int or price < 0:
            raise CatalogUnavailable(f"catalog sent an unusable price: {price!r}")
        return price
# --8<-- [end:http_client]


# --8<-- [start:not_found]
def is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() in JSON_TYPES


def is_no_such_book(response: httpx.Response) -> bool:
    """The catalog's own 404. A gateway's 404 is not, even in JSON (Kong: {"message": "no Route
    matched with those values"}): that request never reached the catalog."""
    try:
        return response.status_code == 404 and is_json(response) and response.json() == NO_SUCH_BOOK
    except (ValueError, RecursionError):  # not even JSON: certainly not the catalog's answer
        return False
# --8<-- [end:not_found]


# --8<-- [start:config]
def catalog_from_environment(environ: Mapping[str, str] = os.environ) -> HttpCatalog:
    """Factor III: where the catalog runs is configuration, not code."""
    url = environ.get("BOOKSTORE_CATALOG_URL", "")
    if not url.startswith(("http://", "https://")):
        raise RuntimeError(f"BOOKSTORE_CATALOG_URL is {url!r} — fix: set it to the catalog's "
                           "base URL, e.g. http://127.0.0.1:8002")
    return HttpCatalog(catalog_client(url))
# --8<-- [end:config]
