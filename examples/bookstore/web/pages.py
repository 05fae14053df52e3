"""HTML pages: a book with its reviews, and a form to add a review (CSRF-protected)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader

from bookstore.api.deps import Db
from bookstore.api.problems import problem
from bookstore.db import reviews as reviews_db
from bookstore.db.connection import transaction
from bookstore.security.csrf import CSRF_COOKIE, csrf_token_is_valid, issue_csrf_token
from bookstore.services import catalog

router = APIRouter(tags=["pages"], include_in_schema=False)

# --8<-- [start:jinja_autoescape]
# autoescape=True: every {{ value }} is HTML-escaped, so a review containing
# <script> is shown as text instead of running in the reader's browser.
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
    autoescape=True,
)
# --8<-- [end:jinja_autoescape]


# --8<-- [start:book_page]
@router.get("/books/{book_id}", response_class=HTMLResponse)
def book_page(book_id: int, request: Request, conn: Db) -> HTMLResponse:
    book = catalog.get_book(conn, request.app.state.cache, book_id)
    token = issue_csrf_token(request.app.state.settings.secret_key)
    html = templates.get_template("book.html").render(
        book=book, reviews=reviews_db.reviews_of_book(conn, book_id), csrf_token=token
    )
    response = HTMLResponse(html)
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.app.state.settings.cookie_secure,  # HTTPS only (the default)
    )
    return response


# --8<-- [end:book_page]


# --8<-- [start:review_form_post]
@router.post("/books/{book_id}/reviews")
def add_review(
    book_id: int,
    request: Request,
    conn: Db,
    author_name: Annotated[str, Form(min_length=1, max_length=80)],
    body: Annotated[str, Form(min_length=1, max_length=2000)],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    secret = request.app.state.settings.secret_key
    if not csrf_token_is_valid(secret, request.cookies.get(CSRF_COOKIE), csrf_token):
        return problem(request, 403, "Forbidden", "Missing or invalid CSRF token.")
    catalog.get_book(conn, request.app.state.cache, book_id)  # 404 if there is no such book
    with transaction(conn):
        reviews_db.add_review(conn, book_id, author_name, body)  # stored as typed
    # Post/Redirect/Get: reloading the page does not post the review twice.
    return RedirectResponse(f"/books/{book_id}", status_code=303)


# --8<-- [end:review_form_post]
