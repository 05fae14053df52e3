"""One order in four API styles (the Other API Styles page): hypermedia links (HATEOAS), a
JSON:API document, a GraphQL schema and a SOAP envelope.

The bookstore's API is plain JSON over HTTP (skills/apis.md); these are what a back-end developer
meets in other teams' APIs and in older enterprise systems.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    graphql_sync,
)
from lxml import etree


@dataclass(frozen=True)
class Order:
    id: int
    status: str  # "open", "paid" or "cancelled"
    total_sen: int
    customer_id: int
    book_ids: tuple[int, ...]


BOOKS = {1: "Laskar Pelangi", 2: "Bumi Manusia"}


# --8<-- [start:hateoas]
def order_with_links(order: Order) -> dict:
    """The representation says what the client may do next, so the client need not know the
    rules: an open order can be paid or cancelled, a paid or cancelled one cannot."""
    links = {"self": {"href": f"/api/v1/orders/{order.id}"},
             "customer": {"href": f"/api/v1/customers/{order.customer_id}"}}
    if order.status == "open":
        links["pay"] = {"href": f"/api/v1/orders/{order.id}/payment", "method": "POST"}
        links["cancel"] = {"href": f"/api/v1/orders/{order.id}", "method": "DELETE"}
    return {"id": order.id, "status": order.status, "total_sen": order.total_sen,
            "_links": links}
# --8<-- [end:hateoas]


# --8<-- [start:json_api]
JSON_API_MEDIA_TYPE = "application/vnd.api+json"


def order_document(order: Order) -> dict:
    """The same order as a JSON:API 1.1 document: resource objects with type and id, attributes
    apart from relationships, and the related books included once."""
    return {
        "data": {
            "type": "orders", "id": str(order.id),
            "attributes": {"status": order.status, "totalSen": order.total_sen},
            "relationships": {"books": {"data": [{"type": "books", "id": str(book_id)}
                                                 for book_id in order.book_ids]}},
            "links": {"self": f"/api/v1/orders/{order.id}"},
        },
        "included": [{"type": "books", "id": str(book_id), "attributes": {"title": BOOKS[book_id]}}
                     for book_id in dict.fromkeys(order.book_ids)],
    }
# --8<-- [end:json_api]


# --8<-- [start:graphql]
BookType = GraphQLObjectType("Book", {
    "id": GraphQLField(GraphQLNonNull(GraphQLInt)),
    "title": GraphQLField(GraphQLNonNull(GraphQLString)),
})
OrderType = GraphQLObjectType("Order", {
    "id": GraphQLField(GraphQLNonNull(GraphQLInt)),
    "status": GraphQLField(GraphQLNonNull(GraphQLString)),
    "totalSen": GraphQLField(GraphQLNonNull(GraphQLInt),
                             resolve=lambda order, _info: order.total_sen),
    "books": GraphQLField(GraphQLList(BookType), resolve=lambda order, _info: [
        {"id": book_id, "title": BOOKS[book_id]} for book_id in order.book_ids]),
})


def make_schema(orders: dict[int, Order]) -> GraphQLSchema:
    return GraphQLSchema(GraphQLObjectType("Query", {
        "order": GraphQLField(OrderType, args={"id": GraphQLArgument(GraphQLNonNull(GraphQLInt))},
                              resolve=lambda _root, _info, **args: orders.get(args["id"])),
    }))


def run_query(schema: GraphQLSchema, query: str, variables: dict | None = None) -> dict:
    """What a GraphQL endpoint answers: `data` with exactly the fields asked for, and `errors`
    beside it (usually with HTTP 200) when part of the query failed."""
    result = graphql_sync(schema, query, variable_values=variables)
    answer: dict = {"data": result.data}
    if result.errors:
        answer["errors"] = [error.formatted for error in result.errors]
    return answer
# --8<-- [end:graphql]


# --8<-- [start:soap]
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"  # SOAP 1.1
SHOP = "urn:toko-buku:orders"


class SoapFault(RuntimeError):
    pass


def order_status_request(order_id: int) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "t": SHOP})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    request = etree.SubElement(body, f"{{{SHOP}}}GetOrderStatus")
    etree.SubElement(request, f"{{{SHOP}}}OrderId").text = str(order_id)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


# No DTDs, no entities, no network: a hostile answer cannot expand or fetch anything.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False)


def order_status_from(response: bytes) -> str:
    try:
        envelope = etree.fromstring(response, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapFault(f"not XML: {error}") from None
    if envelope.getroottree().docinfo.doctype:
        raise SoapFault("a DTD in a SOAP message is refused")
    fault = envelope.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    if fault is not None:
        raise SoapFault(fault.findtext("faultstring") or "unknown fault")
    status = envelope.findtext(f"{{{SOAP_ENV}}}Body/{{{SHOP}}}GetOrderStatusResponse/"
                               f"{{{SHOP}}}Status")
    if not status:
        raise SoapFault("no Status in the answer")
    return status
# --8<-- [end:soap]
