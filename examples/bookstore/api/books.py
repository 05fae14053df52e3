"""/api/v1/books: the catalog as a REST resource, paginated and cacheable."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.api.schemas import BookOut, BookPage
from bookstore.services import catalog

router = APIRouter(prefix=API_V1, tags=["books"])


def encode_cursor(last_id: int) -> str:
    """Opaque to clients: they pass it back and never build one themselves."""
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        after = json.loads(base64.urlsafe_b64decode(cursor.encode()))["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise HTTPException(400, "The cursor is not valid; start again without it.") from None
    if not isinstance(after, int) or after < 0:
        raise HTTPException(400, "The cursor is not valid; start again without it.")
    return after


# --8<-- [start:list_books_route]
@router.get("/books", response_model=BookPage)
def list_books(
    request: Request,
    response: Response,
    conn: Db,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
) -> dict:
    """Books ordered by id, `limit` per page. The next page is in `next_cursor` and
    in the Link header (RFC 8288), so clients never have to build URLs themselves."""
    rows = catalog.list_books(conn, decode_cursor(cursor), limit + 1)  # +1: is there more?
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(items[-1]["id"]) if more else None
    if next_cursor:
        next_url = request.url.include_query_params(cursor=next_cursor, limit=limit)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return {"items": items, "next_cursor": next_cursor}


# --8<-- [end:list_books_route]


# --8<-- [start:get_book_etag]
@router.get(
    "/books/{book_id}", response_model=BookOut, responses={304: {"description": "Not modified"}}
)
def get_book(book_id: int, request: Request, conn: Db) -> Response:
    book = catalog.get_book(conn, request.app.state.cache, book_id)
    body = BookOut(**book).model_dump_json().encode()
    # The ETag is a fingerprint of the body: it changes when the book changes.
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}  # store, but ask again each time
    if etag_matches(request.headers.get("If-None-Match"), etag):
        return Response(status_code=304, headers=headers)  # no body: the client has it
    return Response(body, media_type="application/json", headers=headers)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match holds a list of tags, or "*"; W/ (weak) tags match too (RFC 9110)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


# --8<-- [end:get_book_etag]
