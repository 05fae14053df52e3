"""Architectural patterns samples (examples/architecture/catalog.py): one contract test run
against the catalog as a monolith's module and as a service, and the failures only the service
version has."""

from __future__ import annotations

import httpx
import pytest
from architecture.catalog import (
    BookNotFound,
    CatalogUnavailable,
    HttpCatalog,
    InProcessCatalog,
    catalog_client,
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
    lambda request: httpx.Response(200, text="<html>proxy error page</html>"),
    lambda request: httpx.Response(200, json={"price_sen": "89000"}),
    lambda request: httpx.Response(200, json={"price_sen": -1}),
], ids=["timeout", "503", "not-json", "price-as-text", "negative-price"])
def test_only_the_service_can_fail_this_way_and_each_failure_is_one_error(answer):
    # The network, replaced by each way it can fail.
    client = catalog_client("http://catalog", transport=httpx.MockTransport(answer))
    with pytest.raises(CatalogUnavailable):
        HttpCatalog(client).price_of(1)
# --8<-- [end:contract_test]


def test_the_client_has_a_deadline_for_every_call():
    timeout = catalog_client("http://catalog").timeout
    assert (timeout.read, timeout.connect) == (2.0, 1.0)


def test_the_service_answers_404_for_an_unknown_book_and_422_for_a_bad_id():
    client = TestClient(create_catalog_service(InProcessCatalog(PRICES)))
    assert client.get("/books/99/price").status_code == 404
    assert client.get("/books/abc/price").status_code == 422
