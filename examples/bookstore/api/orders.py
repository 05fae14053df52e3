"""/api/v1/orders: placing orders and reading your own orders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from bookstore.api import API_V1
from bookstore.api.books import CURSOR_PATTERN, decode_cursor, encode_cursor
from bookstore.api.deps import CurrentUser, Db
from bookstore.api.problems import problem_responses
from bookstore.api.schemas import OrderOut, OrderRequest, PathId
from bookstore.api.timestamps import FIRST, LAST_MS, Instant, storage_text
from bookstore.integrations.payment_provider import fetch_payment_status
from bookstore.services import orders
from bookstore.services.errors import NotFound
from bookstore.services.payments import handle_payment_event

router = APIRouter(prefix=API_V1, tags=["orders"])
KEY_DOC = (  # the Idempotency-Key header's description in the OpenAPI document
    "A key for this one order (1 to 255 visible ASCII characters, e.g. a UUID), sent once. A placed"
    " order's response is kept for 24 hours: a retry with the same key and body gets it back with"
    " Idempotent-Replayed: true."
)


# --8<-- [start:create_order_route]
# The key's published format: 1 to 255 visible ASCII characters, e.g. a UUID, quoted or not.
IDEMPOTENCY_KEY = r"^[!-~]{1,255}$"


@router.post(
    "/orders",
    response_model=OrderOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {
            "headers": {
                "Location": {"required": True, "schema": {"type": "string"}},
                "Idempotent-Replayed": {"schema": {"type": "string", "const": "true"}},
            }
        },
        **problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
    },
)
def create_order(
    payload: OrderRequest,  # already validated by pydantic when we get here
    user_id: CurrentUser,
    conn: Db,
    request: Request,
    response: Response,
    idempotency_key: Annotated[
        str | None, Header(pattern=IDEMPOTENCY_KEY, description=KEY_DOC)
    ] = None,
) -> dict:
    if len(request.headers.getlist("idempotency-key")) > 1:  # the draft: a client MUST NOT
        raise HTTPException(400, "Send the Idempotency-Key header once, not several times.")
    lines = [(item.book_id, item.quantity) for item in payload.items]
    cache = request.app.state.cache
    if idempotency_key is None:
        order = orders.place_order(conn, cache, user_id, lines)
    else:
        order, replayed = orders.place_order_once(conn, cache, user_id, lines, idempotency_key)
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/orders/{order['id']}"
    return order


# --8<-- [end:create_order_route]


# --8<-- [start:orders_filter]
PAGE_SIZE = 50  # orders per answer; Link rel="next" points at the older ones


class PlacedBetween(BaseModel):
    """Filter "my orders" by when they were placed: [placed_from, placed_before)."""

    model_config = ConfigDict(extra="forbid")  # a typo ("placed_form") is a 422, not "all"

    placed_from: Instant | None = Field(None, description="From this instant on")
    placed_before: Instant | None = Field(None, description="Up to, not including")
    cursor: str | None = Field(
        None, max_length=66, pattern=CURSOR_PATTERN, description='From Link rel="next"'
    )


def refuse_repeated(request: Request, names: Iterable[str]) -> None:
    """?placed_from=a&placed_from=b would quietly use b: refuse it like any invalid value."""
    repeated = [name for name in names if len(request.query_params.getlist(name)) > 1]
    if repeated:
        raise RequestValidationError(
            [
                {"loc": ("query", name), "msg": "must be sent once", "type": "value_error"}
                for name in repeated
            ]
        )


# --8<-- [end:orders_filter]


# --8<-- [start:my_orders_route]
@router.get(
    "/orders",
    response_model=list[OrderOut],
    responses={
        200: {"headers": {"Link": {"description": 'The next page, rel="next"'}}},
        **problem_responses(400, 401, 422),
    },
)
def my_orders(
    request: Request,
    response: Response,
    user_id: CurrentUser,
    conn: Db,
    when: Annotated[PlacedBetween, Query()],
) -> list[dict]:
    """The logged-in user's orders, newest first, PAGE_SIZE at a time; filtered with RFC 3339
    timestamps with an offset: a day in WITA is 2026-12-07T00:00:00+08:00 up to
    2026-12-08T00:00:00+08:00."""
    refuse_repeated(request, PlacedBetween.model_fields)
    if when.placed_from and when.placed_before and when.placed_from >= when.placed_before:
        raise HTTPException(422, "placed_before must be later than placed_from.")
    start = storage_text(when.placed_from or FIRST)  # UTC text, compared as stored; one
    end = storage_text(when.placed_before or LAST_MS)  # bound alone leaves the other open
    if when == PlacedBetween():  # the first page, unfiltered: the plain "my orders" query
        rows = orders.orders_of_user(conn, user_id, PAGE_SIZE + 1)  # +1: is there more?
    else:
        after = None if when.cursor is None else decode_cursor(when.cursor)
        rows = orders.orders_placed_between(conn, user_id, start, end, after, PAGE_SIZE + 1)
    page = rows[:PAGE_SIZE]
    if len(rows) > PAGE_SIZE:  # the same filter, from the order after the last one sent
        query = {"placed_from": start} if when.placed_from else {}
        if when.placed_before:
            query["placed_before"] = end
        query["cursor"] = encode_cursor(page[-1]["id"])
        base_url = request.app.state.settings.base_url  # not the Host header a client sends
        response.headers["Link"] = f'<{base_url}{API_V1}/orders?{urlencode(query)}>; rel="next"'
    return page


# --8<-- [end:my_orders_route]


# --8<-- [start:get_order_authz]
@router.get(
    "/orders/{order_id}", response_model=OrderOut, responses=problem_responses(401, 404, 422)
)
def get_order(order_id: PathId, user_id: CurrentUser, conn: Db) -> dict:
    order = orders.get_order(conn, order_id)
    # Object-level authorization: being logged in is not enough, the order must
    # be yours. Answer 404, not 403, so ids of other people's orders stay secret.
    if order["user_id"] != user_id:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


# --8<-- [end:get_order_authz]


@router.post(
    "/orders/{order_id}/payment-check",
    response_model=OrderOut,
    responses=problem_responses(401, 403, 404, 422, 502),
)
def check_payment(order_id: PathId, user_id: CurrentUser, conn: Db, request: Request) -> dict:
    """Ask the payment provider directly, for an order whose webhook has not arrived."""
    order = get_order(order_id, user_id, conn)
    if order["status"] == "pending":
        state = request.app.state
        status = fetch_payment_status(
            state.payment_client, order_id, sleep=state.sleep, clock=state.monotonic
        )
        if status == "succeeded":
            handle_payment_event(conn, f"check-{order_id}", order_id)
            order = orders.get_order(conn, order_id)
    return order
