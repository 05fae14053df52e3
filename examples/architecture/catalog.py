"""The catalog as a module of a modular monolith, and the same catalog extracted into a service.

The orders code depends only on the `Catalog` interface. In the monolith it gets InProcessCatalog,
a function call away; after the catalog becomes a service it gets HttpCatalog, and nothing in
`order_total` changes. What does change is what can go wrong: a call across the network can time
out, find the service down or get an answer it cannot read, and each of those must become an
error the caller can handle (CatalogUnavailable), never a crash.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from fastapi import FastAPI, HTTPException


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
            raise HTTPException(404, "no such book") from None

    return service
# --8<-- [end:service]


# --8<-- [start:http_client]
def catalog_client(base_url: str, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    # Every call across the network gets a deadline: 2 s to answer, 1 s to connect.
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(2.0, connect=1.0),
                        transport=transport)


class HttpCatalog:
    """The caller's side after the extraction: the same interface over HTTP."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def price_of(self, book_id: int) -> int:
        try:
            response = self._client.get(f"/books/{book_id}/price")
        except httpx.HTTPError as error:  # timeouts, refused connections, broken transfers
            raise CatalogUnavailable(f"catalog unreachable: {error!r}") from error
        if response.status_code == 404:
            raise BookNotFound(book_id)
        try:
            response.raise_for_status()
            price = response.json()["price_sen"]
        except (httpx.HTTPStatusError, ValueError, KeyError, TypeError) as error:
            raise CatalogUnavailable(f"catalog answered {response.status_code}") from error
        if type(price) is not int or price < 0:
            raise CatalogUnavailable(f"catalog sent an unusable price: {price!r}")
        return price
# --8<-- [end:http_client]
