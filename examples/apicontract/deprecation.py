"""Announcing that an endpoint is going away: Deprecation (RFC 9745) and Sunset (RFC 8594).

A small standalone app, not the bookstore: v1 of a price endpoint is deprecated in favor
of v2. Both answer; v1 tells every client, in each response, since when it is deprecated,
when it will stop working and where to read more, and the server counts who still calls it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime

from fastapi import FastAPI, Request, Response

# --8<-- [start:deprecation_headers]
DEPRECATED_SINCE = datetime(2026, 9, 1, tzinfo=UTC)
SUNSET_AT = datetime(2027, 3, 1, tzinfo=UTC)  # at least six months of notice
NOTICE_URL = "https://bookstore.example/changelog#price-v2"


def mark_deprecated(response: Response) -> None:
    """Tell the client, in every response, that this endpoint is on its way out."""
    # RFC 9745: a Structured Fields date, "@" + Unix seconds.
    response.headers["Deprecation"] = f"@{int(DEPRECATED_SINCE.timestamp())}"
    # RFC 8594: an HTTP-date, e.g. "Mon, 01 Mar 2027 00:00:00 GMT".
    response.headers["Sunset"] = format_datetime(SUNSET_AT, usegmt=True)
    response.headers["Link"] = f'<{NOTICE_URL}>; rel="deprecation"; type="text/html"'


# --8<-- [end:deprecation_headers]

# --8<-- [start:count_caller]
MAX_CALLERS = 1_000  # distinct callers remembered; anyone beyond that is counted as "other"


def count_caller(calls: Counter, user_agent: str | None) -> None:
    """Count one call per caller. The User-Agent is whatever the client writes, so bound
    both its length and the number of keys: made-up values cannot grow memory without end."""
    caller = (user_agent or "unknown")[:100]
    if caller not in calls and len(calls) >= MAX_CALLERS:
        caller = "other"
    calls[caller] += 1


# --8<-- [end:count_caller]


def create_app() -> FastAPI:
    app = FastAPI(title="Price API", docs_url=None, redoc_url=None)
    app.state.deprecated_calls = Counter()  # in production: a metric labeled by API key

    # --8<-- [start:deprecated_route]
    @app.get("/api/v1/books/{book_id}/price", deprecated=True)  # also marked in OpenAPI
    def price_v1(book_id: int, request: Request, response: Response) -> dict:
        mark_deprecated(response)
        # Who still has to move? (count_caller bounds what a client can make us store.)
        count_caller(request.app.state.deprecated_calls, request.headers.get("User-Agent"))
        return {"price": 89000}  # v1: a bare number, the currency implied

    @app.get("/api/v2/books/{book_id}/price")
    def price_v2(book_id: int) -> dict:
        return {"amount": "89000.00", "currency": "IDR"}  # v2: exact, and explicit

    # --8<-- [end:deprecated_route]
    return app
