"""HTML pages: a book with its reviews, and a form to add a review (CSRF-protected)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from pydantic import AfterValidator, BeforeValidator, StringConstraints

from bookstore.api.accounts import client_address, too_many
from bookstore.api.deps import Db
from bookstore.api.problems import problem
from bookstore.api.schemas import PathId
from bookstore.db import reviews as reviews_db
from bookstore.db.connection import transaction
from bookstore.security.csrf import SESSION_COOKIE, csrf_token_is_valid, issue_csrf_token
from bookstore.services import catalog

router = APIRouter(tags=["pages"], include_in_schema=False)
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) makes
# Control characters (NUL, ESC ...) and the bidirectional overrides that make text read
# differently from what it stores (U+202A-U+202E, U+2066-U+2069); a review may keep its
# line breaks and tabs.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def visible_text(value: str) -> str:
    if _INVISIBLE.search(value):
        raise ValueError("control and bidirectional formatting characters are not allowed")
    return value


def lf_line_breaks(value: object) -> object:
    # A textarea counts a line break as one character against maxlength, but the browser
    # submits it as CR LF (HTML Standard, form submission): counted as sent, a review of
    # 1,995 letters and 5 line breaks would be 2,005 characters. Stored with LF.
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def form_text(max_length: int):
    """A form field's text: line breaks as LF first, then 1..max_length characters, then no
    invisible characters. The bounds sit in StringConstraints, on the str itself, so
    pydantic says "at most 2000 characters"; put on top of a validator, as Form(...) did,
    they became "2000 items"."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length),
        BeforeValidator(lf_line_breaks),
        AfterValidator(visible_text),
    ]


AuthorName, ReviewBody = form_text(80), form_text(2000)  # maxlength in book.html

# --8<-- [start:jinja_autoescape]
# autoescape=True: every {{ value }} is HTML-escaped, so a review containing
# <script> is shown as text instead of running in the reader's browser.
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=True,
)
# --8<-- [end:jinja_autoescape]


# --8<-- [start:cookies]
def cookie_name(request: Request, name: str) -> str:
    """The name with the __Host- prefix: a browser keeps such a cookie only if this very
    host set it over HTTPS with Secure, Path=/ and no Domain, so a sibling subdomain or an
    attacker on plain HTTP cannot plant or overwrite it, as long as the server reads that
    exact name (read_cookie). The prefix requires Secure, so plain-HTTP local runs
    (cookie_secure=False) use the bare name."""
    return f"__Host-{name}" if request.app.state.settings.cookie_secure else name


def read_cookie(request: Request, name: str) -> str:
    r"""The value of the cookie named exactly `name`; "" if there is none or more than one.
    Not request.cookies: Starlette strips every name with str.strip(), which also removes
    U+00A0 and U+0085, so a cookie a browser keeps as "\xa0__Host-session" (set over plain
    HTTP: the prefix rules only cover names that start with __Host-) is read as
    "__Host-session", and of two equal names the last wins. http.cookies.SimpleCookie
    also keeps the last, and stops at the first name it cannot parse, hence these lines."""
    values = []
    for header in request.headers.getlist("cookie"):  # HTTP/2 may split it into several
        for pair in header.split(";"):
            key, equals, value = pair.strip(" \t").partition("=")  # only ASCII space and tab
            if equals and key == name:  # byte for byte
                values.append(value)
    return values[0] if len(values) == 1 else ""  # twice: one was planted; trust neither


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        cookie_name(request, name),
        value,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.app.state.settings.cookie_secure,  # HTTPS only (the default)
    )


# --8<-- [end:cookies]


# --8<-- [start:book_page]
@router.get("/books/{book_id}", response_class=HTMLResponse)
def book_page(book_id: PathId, request: Request, conn: Db) -> HTMLResponse:
    book = catalog.get_book(conn, request.app.state.cache, book_id)
    session_id = read_cookie(request, cookie_name(request, SESSION_COOKIE))
    if not _SESSION_ID.fullmatch(session_id):  # first visit, or a cookie we did not make
        session_id = secrets.token_urlsafe(32)
    # A new token for every page, in the form only: a second tab gets its own token and
    # the first tab's form stays valid.
    token = issue_csrf_token(request.app.state.settings.secret_key, session_id)
    html = templates.get_template("book.html").render(
        book=book, reviews=reviews_db.reviews_of_book(conn, book_id), csrf_token=token
    )
    # no-store: a page that carries a token is kept in no cache, shared or private.
    response = HTMLResponse(html, headers={"Cache-Control": "no-store"})
    set_cookie(request, response, SESSION_COOKIE, session_id)
    return response


# --8<-- [end:book_page]


# --8<-- [start:review_form_post]
@router.post("/books/{book_id}/reviews")
def add_review(
    book_id: PathId,
    request: Request,
    conn: Db,
    author_name: Annotated[AuthorName, Form()],
    body: Annotated[ReviewBody, Form()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    state = request.app.state
    # A browser names the page that sent a form in Origin; it must be one of ours.
    same_origin = request.headers.get("Origin") == state.settings.base_url
    session_id = read_cookie(request, cookie_name(request, SESSION_COOKIE))
    if not (same_origin and csrf_token_is_valid(state.settings.secret_key, csrf_token, session_id)):
        return problem(request, 403, "Forbidden", "Missing or invalid CSRF token.")
    catalog.get_book(conn, state.cache, book_id)  # 404 if there is no such book
    # Each post that gets this far stores a row: at most 5 per client address in 10 minutes.
    wait = state.review_limiter.hit(client_address(request))
    if wait:
        return too_many(request, "reviews", wait)
    with transaction(conn):
        reviews_db.add_review(conn, book_id, author_name, body)  # stored as typed
    # Post/Redirect/Get: reloading the page does not post the review twice.
    return RedirectResponse(f"/books/{book_id}", status_code=303)


# --8<-- [end:review_form_post]
