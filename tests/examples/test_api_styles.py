"""Other API styles (examples/api_styles/orders.py): each test proves what the Other API Styles
page says about HATEOAS links, JSON:API documents, GraphQL answers and SOAP messages."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from api_styles.orders import (
    MAX_FIELDS,
    FieldLimitRule,
    Order,
    SoapFault,
    get_order_status,
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


# --8<-- [start:json_api_test]
def test_a_json_api_document_names_each_book_once_with_its_quantity():
    document = order_document(OPEN)  # books 1, 2, 1
    assert document["data"]["type"] == "orders" and document["data"]["id"] == "5"
    assert document["data"]["relationships"]["books"]["data"] == [
        {"type": "books", "id": "1", "meta": {"quantity": 2}},
        {"type": "books", "id": "2", "meta": {"quantity": 1}}]
    assert [book["id"] for book in document["included"]] == ["1", "2"]
# --8<-- [end:json_api_test]


# --8<-- [start:graphql_test]
def test_graphql_answers_exactly_the_fields_asked_for():
    schema = make_schema({5: OPEN})
    status, answer = run_query(
        schema, "query ($id: Int!) { order(id: $id) { status books { title } } }", {"id": 5})
    assert status == 200
    assert answer == {"data": {"order": {"status": "open", "books": [
        {"title": "Laskar Pelangi"}, {"title": "Bumi Manusia"}, {"title": "Laskar Pelangi"}]}}}
    assert run_query(schema, "{ order(id: 99) { status } }") == (200, {"data": {"order": None}})


def test_a_query_that_cannot_run_is_a_400_with_errors_only():
    status, answer = run_query(make_schema({5: OPEN}), "{ order(id: 5) { price } }")
    assert status == 400 and "data" not in answer
    assert "Cannot query field 'price' on type 'Order'." in answer["errors"][0]["message"]


def test_too_many_aliases_are_refused_before_any_resolver_runs():
    schema = make_schema({5: OPEN})
    huge = "{" + " ".join(f"a{i}: order(id: 5) {{ status }}" for i in range(20_000)) + "}"
    status, answer = run_query(schema, huge)  # 628,891 characters
    assert status == 400 and "data" not in answer
    few = "{" + " ".join(f"a{i}: order(id: 5) {{ status }}" for i in range(60)) + "}"
    status, answer = run_query(schema, few)  # within the token limit: 120 fields
    assert status == 400
    assert f"at most {MAX_FIELDS} are allowed" in answer["errors"][0]["message"]
    fragments = ("{ ...F ...F a: order(id: 5) { ...G } } fragment F on Query { b: order(id: 5)"
                 " { ...G } } fragment G on Order { status books { title } }")
    assert run_query(schema, fragments)[0] == 200
# --8<-- [end:graphql_test]


def test_a_query_that_is_not_text_is_a_400_not_an_exception():
    for query in (None, 42, ["{ order(id: 5) { status } }"]):
        assert run_query(make_schema({5: OPEN}), query)[0] == 400
    query = "query ($id: Int!) { order(id: $id) { status } }"
    for variables in (["x"], "x", 5):
        status, answer = run_query(make_schema({5: OPEN}), query, variables)
        assert status == 400 and "data" not in answer
    assert run_query(make_schema({5: OPEN}), query, {"id": 5}, ["A"])[0] == 400


@pytest.mark.parametrize("query, variables, operation_name", [
    ("query ($id: Int!) { order(id: $id) { status } }", {"id": "abc"}, None),  # wrong type
    ("query ($id: Int!) { order(id: $id) { status } }", {}, None),  # missing
    ("query A { order(id: 5) { status } } query B { order(id: 5) { status } }", None, None),
    ("query A { order(id: 5) { status } }", None, "B"),  # no such operation
])
def test_a_request_error_is_a_400_without_data(query, variables, operation_name):
    status, answer = run_query(make_schema({5: OPEN}), query, variables, operation_name)
    assert status == 400 and "data" not in answer and answer["errors"]


def test_a_named_operation_runs_when_the_request_names_it():
    query = "query A { order(id: 5) { status } } query B { order(id: 5) { books { id } } }"
    assert run_query(make_schema({5: OPEN}), query, None, "A") == (
        200, {"data": {"order": {"status": OPEN.status}}})


@pytest.mark.timeout(60)  # a generous guard against a hang, not a time budget
def test_fragments_that_fan_out_are_counted_once_each(monkeypatch):
    # 22 fragments, each spreading the next one twice: 2^22 fields if each use is walked again.
    walks = []
    count = FieldLimitRule.count
    monkeypatch.setattr(FieldLimitRule, "count",
                        lambda self, *args: walks.append(1) or count(self, *args))
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(22))
    query = "{ ...F0 } " + chain + " fragment F22 on Query { order(id: 5) { status } }"
    status, answer = run_query(make_schema({5: OPEN}), query)
    assert status == 400 and "data" not in answer
    assert f"at most {MAX_FIELDS} are allowed" in answer["errors"][0]["message"]
    assert len(walks) < 100  # each selection set walked once (about 25), not 2^22 times


def test_a_resolver_error_reaches_the_client_without_its_details(caplog):
    broken = Order(id=8, status="open", total_sen=1, customer_id=7, book_ids=(42,))
    with caplog.at_level(logging.ERROR):
        status, answer = run_query(make_schema({8: broken}), "{ order(id: 8) { books { title } } }")
    assert status == 200 and answer["data"] == {"order": {"books": None}}
    assert answer["errors"][0]["message"] == "internal error"
    assert answer["errors"][0]["path"] == ["order", "books"]
    assert "KeyError" in caplog.text  # the detail stays in the server's log


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


def test_a_hostile_soap_answer_expands_and_fetches_nothing(tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))  # any fetch would connect here
    port = listener.getsockname()[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("canary-7f3a")
    envelope = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                b"<soap:Body>%s</soap:Body></soap:Envelope>")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
              + envelope % b"&b;")
    external = (b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file://%s">]>'
                % str(secret).encode() + envelope % b"&x;")
    remote = (b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY %% p SYSTEM "http://127.0.0.1:%d/p">'
              b" %%p;]>" % port + envelope % b"")
    for hostile in (laughs, external, remote, b"not xml at all"):
        with pytest.raises(SoapFault) as refused:
            order_status_from(hostile)
        assert "canary" not in str(refused.value)
    listener.setblocking(False)
    with pytest.raises(BlockingIOError):  # nobody connected
        listener.accept()
    listener.close()
# --8<-- [end:soap_test]


def test_a_comment_or_a_wrong_root_cannot_change_the_status():
    commented = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
                 b'xmlns:t="urn:toko-buku:orders"><soap:Body><t:GetOrderStatusResponse>'
                 b"<t:Status>pa<!-- c -->id</t:Status></t:GetOrderStatusResponse></soap:Body>"
                 b"</soap:Envelope>")
    assert order_status_from(commented) == "paid"
    wrong_root = commented.replace(b"soap:Envelope", b"soap:Other")
    with pytest.raises(SoapFault, match="root element"):
        order_status_from(wrong_root)


# --8<-- [start:soap_call_test]
PAID_ANSWER = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
               b'xmlns:t="urn:toko-buku:orders"><soap:Body><t:GetOrderStatusResponse>'
               b"<t:Status>paid</t:Status></t:GetOrderStatusResponse></soap:Body></soap:Envelope>")


def partner(status: int, body: bytes, seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body)
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_a_soap_call_posts_the_envelope_and_reads_the_status():
    seen: list[httpx.Request] = []
    assert get_order_status(partner(200, PAID_ANSWER, seen), "http://erp/soap", 5) == "paid"
    request = seen[0]
    assert request.method == "POST" and request.headers["content-type"] == "text/xml; charset=utf-8"
    assert request.headers["soapaction"] == '"urn:toko-buku:orders#GetOrderStatus"'
    assert b"<t:OrderId>5</t:OrderId>" in request.content


FAULT = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
         b"<soap:Fault><faultcode>soap:Client</faultcode><faultstring>no such order"
         b"</faultstring></soap:Fault></soap:Body></soap:Envelope>")


@pytest.mark.parametrize("status, body, reason", [
    (500, FAULT, "no such order"),
    (503, b"<html>maintenance</html>", "HTTP 503"),
    (200, PAID_ANSWER + b" " * 1_000_000, "larger than"),
])
def test_a_fault_an_http_error_or_a_huge_answer_is_a_soap_fault(status, body, reason):
    with pytest.raises(SoapFault, match=reason):
        get_order_status(partner(status, body, []), "http://erp/soap", 5)
# --8<-- [end:soap_call_test]


def test_a_compressed_answer_is_refused_before_it_is_unpacked():
    """Regression: httpx asked for gzip and unpacked each chunk whole before the 1 MB check, so
    a 200 KB gzip answer grew to 200 MB in memory. Now the call asks for identity and refuses
    any other Content-Encoding without unpacking it."""
    import gzip
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=gzip.compress(PAID_ANSWER),
                              headers={"Content-Encoding": "gzip"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(SoapFault, match=r"compressed answer \(gzip\) is refused"):
        get_order_status(client, "http://erp/soap", 5)
    assert seen[0].headers["accept-encoding"] == "identity"


@pytest.mark.parametrize("status", [b"pa<x/>id", b"  ", b"<x>paid</x>"])
def test_a_status_that_is_not_plain_text_is_refused(status):
    answer = PAID_ANSWER.replace(b">paid<", b">" + status + b"<")
    with pytest.raises(SoapFault, match="no Status as plain text"):
        order_status_from(answer)
    padded = PAID_ANSWER.replace(b">paid<", b">  paid \n<")
    assert order_status_from(padded) == "paid"


def test_the_unlimited_run_answers_every_alias(capsys):
    from api_styles.unlimited import main
    assert main(["--aliases", "50"]) == 0
    out = capsys.readouterr().out
    assert "50 aliases, 1,441 characters" in out and "fields answered: 50" in out
