"""Other API styles (examples/api_styles/orders.py): each test proves what the Other API Styles
page says about HATEOAS links, JSON:API documents, GraphQL answers and SOAP messages."""

from __future__ import annotations

import pytest
from api_styles.orders import (
    Order,
    SoapFault,
    make_schema,
    order_document,
    order_status_from,
    order_status_request,
    order_with_links,
    run_query,
)

OPEN = Order(id=5, status="open", total_sen=214_000_00, customer_id=7, book_ids=(1, 2, 1))
PAID = Order(id=6, status="paid", total_sen=89_000_00, customer_id=7, book_ids=(1,))


# --8<-- [start:hateoas_test]
def test_links_offer_only_what_the_order_allows():
    assert set(order_with_links(OPEN)["_links"]) == {"self", "customer", "pay", "cancel"}
    assert set(order_with_links(PAID)["_links"]) == {"self", "customer"}
    assert order_with_links(OPEN)["_links"]["pay"] == {"href": "/api/v1/orders/5/payment",
                                                     "method": "POST"}
# --8<-- [end:hateoas_test]


def test_a_json_api_document_includes_each_related_book_once():
    document = order_document(OPEN)
    assert document["data"]["type"] == "orders" and document["data"]["id"] == "5"
    assert [b["id"] for b in document["data"]["relationships"]["books"]["data"]] == ["1", "2", "1"]
    assert [b["id"] for b in document["included"]] == ["1", "2"]


# --8<-- [start:graphql_test]
def test_graphql_answers_exactly_the_fields_asked_for():
    schema = make_schema({5: OPEN})
    answer = run_query(schema, "query ($id: Int!) { order(id: $id) { status books { title } } }",
                       {"id": 5})
    assert answer == {"data": {"order": {"status": "open", "books": [
        {"title": "Laskar Pelangi"}, {"title": "Bumi Manusia"}, {"title": "Laskar Pelangi"}]}}}
    assert run_query(schema, "{ order(id: 99) { status } }") == {"data": {"order": None}}


def test_a_wrong_query_is_answered_with_errors_not_an_exception():
    answer = run_query(make_schema({5: OPEN}), "{ order(id: 5) { price } }")
    assert answer["data"] is None
    assert "Cannot query field 'price' on type 'Order'." in answer["errors"][0]["message"]
# --8<-- [end:graphql_test]


# --8<-- [start:soap_test]
def test_a_soap_request_and_its_answer_or_fault():
    request = order_status_request(5)
    assert b"<t:GetOrderStatus><t:OrderId>5</t:OrderId></t:GetOrderStatus>" in request
    answer = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
              b'xmlns:t="urn:toko-buku:orders"><soap:Body><t:GetOrderStatusResponse>'
              b"<t:Status>paid</t:Status></t:GetOrderStatusResponse></soap:Body></soap:Envelope>")
    assert order_status_from(answer) == "paid"
    fault = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
             b"<soap:Fault><faultcode>soap:Client</faultcode><faultstring>no such order"
             b"</faultstring></soap:Fault></soap:Body></soap:Envelope>")
    with pytest.raises(SoapFault, match="no such order"):
        order_status_from(fault)


def test_a_hostile_soap_answer_expands_and_fetches_nothing():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
              b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
              b"<soap:Body>&b;</soap:Body></soap:Envelope>")
    external = (b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                b"<soap:Body>&x;</soap:Body></soap:Envelope>")
    for hostile in (laughs, external, b"not xml at all"):
        with pytest.raises(SoapFault):
            order_status_from(hostile)
# --8<-- [end:soap_test]
