"""One order in four API styles (the Other API Styles page): hypermedia links (HATEOAS), a
JSON:API document, a GraphQL schema and a SOAP envelope.

The bookstore's API is plain JSON over HTTP (skills/apis.md); these are what a back-end developer
meets in other teams' APIs and in older enterprise systems.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

import httpx
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    MaxIntrospectionDepthRule,
    ValidationRule,
    execute_sync,
    parse,
    specified_rules,
    validate,
)
from lxml import etree

logger = logging.getLogger(__name__)


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
    apart from relationships, and the related books included once. Linkage must not repeat a
    resource (the JSON:API schema makes it unique), so two copies of a book are one identifier
    with a quantity in its `meta`."""
    quantities = Counter(order.book_ids)
    return {
        "data": {
            "type": "orders", "id": str(order.id),
            "attributes": {"status": order.status, "totalSen": order.total_sen},
            "relationships": {"books": {"data": [
                {"type": "books", "id": str(book_id), "meta": {"quantity": quantity}}
                for book_id, quantity in quantities.items()]}},
            "links": {"self": f"/api/v1/orders/{order.id}"},
        },
        "included": [{"type": "books", "id": str(book_id), "attributes": {"title": BOOKS[book_id]}}
                     for book_id in quantities],
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


# --8<-- [end:graphql]


# --8<-- [start:graphql_limits]
MAX_QUERY_CHARS = 10_000  # the whole query text
MAX_TOKENS = 2_000        # graphql-core stops parsing here, before it builds a huge tree
MAX_FIELDS = 100          # fields in the operation, each alias and fragment use counted


class FieldLimitRule(ValidationRule):
    """Counts every field the operation would resolve, following fragments, so that 500
    aliases of one expensive field are refused before a single resolver runs. graphql-core has
    no such rule of its own; the token limit alone still lets 181 aliases of `order` through."""

    def enter_operation_definition(self, node, *_args):
        self.fragment_fields: dict[str, int] = {}  # each fragment is counted once, then reused
        if self.count(node.selection_set, frozenset()) > MAX_FIELDS:
            self.report_error(GraphQLError(
                f"The query asks for more than {MAX_FIELDS} fields; at most {MAX_FIELDS} are "
                "allowed.", node))

    def count(self, selection_set, seen: frozenset[str]) -> int:
        """Stops as soon as the count passes MAX_FIELDS: 22 fragments that each spread the next
        one twice name 4 million fields, and walking them all is the attack itself."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if total > MAX_FIELDS:
                break
            if isinstance(selection, FieldNode):
                total += 1 + self.count(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:  # unknown or cyclic: other rules report it
                    continue
                if name not in self.fragment_fields:
                    self.fragment_fields[name] = self.count(fragment.selection_set, seen | {name})
                total += self.fragment_fields[name]
            else:  # an inline fragment
                total += self.count(selection.selection_set, seen)
        return total


RULES = (*specified_rules, MaxIntrospectionDepthRule, FieldLimitRule)
# --8<-- [end:graphql_limits]


# --8<-- [start:graphql_run]

def run_query(schema: GraphQLSchema, query: object, variables: object = None,
              operation_name: object = None) -> tuple[int, dict]:
    """What a GraphQL-over-HTTP endpoint answers with `application/graphql-response+json`:
    400 and `errors` alone when the request cannot run (not text, too long, not valid, bad
    variables, no operation chosen), and 200 with `data` (and any field `errors` beside it) once
    execution has started."""
    if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
        return 400, {"errors": [{"message": f"query must be text of at most "
                                            f"{MAX_QUERY_CHARS} characters"}]}
    if variables is not None and not isinstance(variables, dict):
        return 400, {"errors": [{"message": "variables must be a JSON object"}]}
    if operation_name is not None and not isinstance(operation_name, str):
        return 400, {"errors": [{"message": "operationName must be text"}]}
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return 400, {"errors": [error.formatted]}
    if problems := validate(schema, document, RULES):
        return 400, {"errors": [error.formatted for error in problems]}
    result = execute_sync(schema, document, variable_values=variables,
                          operation_name=operation_name)
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        # A request error (a variable of the wrong type or missing, no operation chosen): no
        # field ran, so there is no path and, per the spec, no `data`.
        return 400, {"errors": [error.formatted for error in result.errors]}
    answer: dict = {"data": result.data}
    if result.errors:
        answer["errors"] = [public(error) for error in result.errors]
    return 200, answer


def public(error: GraphQLError) -> dict:
    """A resolver's own exception (a KeyError, a database error) is logged, not sent: the
    client gets the field's path and a fixed message."""
    if error.original_error is None or isinstance(error.original_error, GraphQLError):
        return error.formatted
    logger.error("resolver failed at %s", error.path, exc_info=error.original_error)
    return {**error.formatted, "message": "internal error"}
# --8<-- [end:graphql_run]


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


# No DTDs, no entities, no network: a hostile answer cannot expand or fetch anything. Comments
# and processing instructions are dropped so that `pa<!-- -->id` reads as "paid". (defusedxml is
# not used: its lxml module is deprecated, and these flags are lxml's own.)
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False, remove_comments=True, remove_pis=True)


# --8<-- [end:soap]


# --8<-- [start:soap_read]
def order_status_from(response: bytes) -> str:
    try:
        envelope = etree.fromstring(response, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapFault(f"not XML: {error}") from None
    if envelope.getroottree().docinfo.doctype:
        raise SoapFault("a DTD in a SOAP message is refused")
    if envelope.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapFault(f"the root element is {envelope.tag}, not a SOAP 1.1 Envelope")
    fault = envelope.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    if fault is not None:
        raise SoapFault(fault.findtext("faultstring") or "unknown fault")
    status = envelope.find(f"{{{SOAP_ENV}}}Body/{{{SHOP}}}GetOrderStatusResponse/"
                           f"{{{SHOP}}}Status")
    if status is None or len(status) or not (status.text or "").strip():
        raise SoapFault("no Status as plain text in the answer")  # `pa<x/>id` is not "pa"
    return status.text.strip()
# --8<-- [end:soap_read]


# --8<-- [start:soap_call]
SOAP_TIMEOUT = httpx.Timeout(5.0)  # connect, read, write and pool: 5 s each
MAX_ANSWER_BYTES = 1_000_000


def get_order_status(client: httpx.Client, url: str, order_id: int) -> str:
    """One SOAP 1.1 call: POST with text/xml and SOAPAction, a timeout, an answer cut at 1 MB.
    A network failure stays an httpx error, for the caller's retry; a Fault is a SoapFault."""
    headers = {"Content-Type": "text/xml; charset=utf-8",
               "SOAPAction": f'"{SHOP}#GetOrderStatus"',  # SOAP 1.1 wants it quoted
               "Accept-Encoding": "identity"}  # no gzip: 200 KB of gzip can unpack to 200 MB
    with client.stream("POST", url, content=order_status_request(order_id), headers=headers,
                       timeout=SOAP_TIMEOUT) as response:
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding != "identity":
            raise SoapFault(f"a compressed answer ({encoding}) is refused")
        body = bytearray()
        for chunk in response.iter_bytes():  # identity only, so httpx unpacks nothing
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise SoapFault(f"answer larger than {MAX_ANSWER_BYTES} bytes")
    if response.status_code not in (200, 500):  # SOAP 1.1 sends a Fault with status 500
        raise SoapFault(f"HTTP {response.status_code} from the SOAP service")
    return order_status_from(bytes(body))
# --8<-- [end:soap_call]
