"""/api/v1/books: the catalog as a REST resource, paginated and cacheable."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import ValidationError

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.api.problems import problem_responses
from bookstore.api.schemas import BookOut, BookPage, Cursor, PathId
from bookstore.services import catalog

router = APIRouter(prefix=API_V1, tags=["books"])


# --8<-- [start:cursor]
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,64}={0,2}$"  # base64url: the only form we hand out


def encode_cursor(last_id: int) -> str:
    """Opaque to clients: they pass it back and never build one themselves."""
    return base64.urlsafe_b64encode(Cursor(after=last_id).model_dump_json().encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:  # pydantic parses the JSON: no float, no huge number, no deep nesting gets through
        return Cursor.model_validate_json(base64.urlsafe_b64decode(cursor)).after
    except (binascii.Error, ValueError, ValidationError):
        raise HTTPException(400, "The cursor is not valid; start again without it.") from None


# --8<-- [end:cursor]


# --8<-- [start:list_books_route]
@router.get(
    "/books",
    response_model=BookPage,
    responses={
        200: {"headers": {"Link": {"description": 'The next page, rel="next"'}}},
        **problem_responses(400, 422),
    },
)
def list_books(
    request: Request,
    response: Response,
    conn: Db,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=66, pattern=CURSOR_PATTERN)] = None,
) -> dict:
    """Books ordered by id, `limit` per page. The next page is in `next_cursor` and
    in the Link header (RFC 8288), so clients never have to build URLs themselves."""
    rows = catalog.list_books(conn, decode_cursor(cursor), limit + 1)  # +1: is there more?
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(items[-1]["id"]) if more else None
    if next_cursor:
        # From the configured address, never from the Host header a client can forge.
        query = urlencode({"limit": limit, "cursor": next_cursor})
        base_url = request.app.state.settings.base_url
        response.headers["Link"] = f'<{base_url}{API_V1}/books?{query}>; rel="next"'
    return {"items": items, "next_cursor": next_cursor}


# --8<-- [end:list_books_route]


# --8<-- [start:get_book_etag]
@router.get(
    "/books/{book_id}",
    response_model=BookOut,
    responses={
        200: {"headers": {"ETag": {"required": True, "schema": {"type": "string"}}}},
        304: {"description": "Not modified"},
        **problem_responses(404, 422),
    },
)
def get_book(book_id: PathId, request: Request, conn: Db) -> Response:
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
