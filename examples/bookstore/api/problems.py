"""Every error answer is an RFC 9457 problem details object (application/problem+json)."""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from bookstore.db.connection import is_busy
from bookstore.integrations.http_retry import UpstreamError
from bookstore.security.passwords import HashingBusy
from bookstore.services import errors

log = logging.getLogger("bookstore.errors")
PROBLEM_BASE = "https://bookstore.example/problems/"  # documents each problem type

# RFC 9110 renamed these; Python 3.11's http.HTTPStatus still has the older phrases
# ("Request Entity Too Large", "Unprocessable Entity"), 3.13 the new ones.
RFC_9110_PHRASES = {
    413: "Content Too Large",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def status_phrase(status: int) -> str:
    """The reason phrase RFC 9110 gives a status code: the title of an about:blank problem."""
    if status in RFC_9110_PHRASES:
        return RFC_9110_PHRASES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a code Python does not know: still answer with a problem
        return "Error"


# --8<-- [start:problem_types]
# Each known error -> (status, type, title). "type" identifies the kind of problem;
# "title" is the same for every occurrence, "detail" explains this occurrence.
KNOWN_PROBLEMS = {
    errors.NotFound: (404, "about:blank", "Not Found"),
    errors.OutOfStock: (409, PROBLEM_BASE + "out-of-stock", "Not enough stock"),
    errors.EmailTaken: (409, PROBLEM_BASE + "email-taken", "E-mail address taken"),
    errors.InvalidCredentials: (401, PROBLEM_BASE + "invalid-credentials", "Login failed"),
    errors.IdempotencyKeyReused: (422, PROBLEM_BASE + "key-reused", "Idempotency key reused"),
    errors.InvalidSignature: (400, PROBLEM_BASE + "invalid-signature", "Invalid signature"),
    UpstreamError: (502, PROBLEM_BASE + "upstream-unavailable", "Payment provider unavailable"),
}
# --8<-- [end:problem_types]


# --8<-- [start:problem_details]
def problem(
    request: Request,
    status: int,
    title: str,
    detail: str = "",
    type_: str = "about:blank",
    headers: dict | None = None,
    **extra,
) -> JSONResponse:
    """An RFC 9457 problem details response; **extra adds members such as "errors"."""
    body = {
        "type": type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(
        jsonable_encoder(body),
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


async def known_error(request: Request, exc: Exception) -> JSONResponse:
    """Exception handler for every class in KNOWN_PROBLEMS and their subclasses."""
    # Starlette picks this handler along the exception's MRO; look the class up the same
    # way, so that class BookGone(NotFound) is a 404 like NotFound, not a KeyError and a 500.
    known = next(cls for cls in type(exc).__mro__ if cls in KNOWN_PROBLEMS)
    status, type_, title = KNOWN_PROBLEMS[known]
    # Every 401 names the scheme that would work (RFC 9110, 15.5.2).
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(request, status, title, str(exc), type_, headers=headers)


# --8<-- [end:problem_details]


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    # With type "about:blank" the title is the status code's phrase (RFC 9457, 4.2.1).
    title = status_phrase(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    headers = exc.headers
    if exc.status_code == 405:  # Starlette names the methods of one route; list the path's
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    return problem(request, exc.status_code, title, detail, headers=headers)


def allowed_methods(request: Request) -> str:
    """Every method some route of this path answers: ask each route with each method.
    HEAD is asked as GET, because HeadAsGet (api/head.py) routes it so."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
        if any(
            route.matches({**request.scope, "method": "GET" if method == "HEAD" else method})[0]
            is Match.FULL
            for route in routes
        )
    )


async def busy_error(request: Request, exc: HashingBusy) -> JSONResponse:
    return problem(
        request,
        503,
        "Service Unavailable",
        str(exc),
        PROBLEM_BASE + "busy",
        headers={"Retry-After": "1"},
    )


# --8<-- [start:database_busy]
async def database_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
    """A lock held longer than busy_timeout (5 s) is load, not a bug: answer 503 and say
    when to come back. Nothing was written (the write never began, or it rolled back), so
    the client can safely retry."""
    if is_out_of_storage(exc):
        return storage_error(request, exc)
    if not is_busy(exc):
        return await unexpected_error(request, exc)  # no such table, disk I/O...: a 500
    log.warning("database busy", extra={"path": request.url.path})
    return problem(
        request,
        503,
        "Service Unavailable",
        "The service is busy; try again in a second.",
        PROBLEM_BASE + "database-busy",
        headers={"Retry-After": "1"},
    )


# --8<-- [end:database_busy]


# --8<-- [start:storage_unavailable]
def is_out_of_storage(exc: sqlite3.Error) -> bool:
    """True for "database or disk is full" (SQLITE_FULL) and "attempt to write a readonly
    database" (SQLITE_READONLY), extended codes included: the write was refused whole."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY)


def storage_error(request: Request, exc: sqlite3.Error) -> JSONResponse:
    """A full disk or a read-only file is the server's condition, not the request's fault:
    a 503 the client may retry later, and a log line that tells the operator what to fix
    (SQLITE_FULL or SQLITE_READONLY...). No Retry-After: nobody knows when the disk will
    have room again."""
    cause = {"sqlite_error": getattr(exc, "sqlite_errorname", "?"), "detail": str(exc)}
    log.error("database cannot write", extra={"path": request.url.path, **cause})
    return problem(
        request,
        503,
        "Service Unavailable",
        "The service cannot save changes right now; try again later.",
        PROBLEM_BASE + "storage-unavailable",
    )


# --8<-- [end:storage_unavailable]


# --8<-- [start:problem_handlers]
async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Say which fields are wrong and why, without echoing the submitted values back.
    # "errors" is an extension member, so this problem has a type of its own (RFC 9457, 3.2).
    fields = [{"location": list(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    detail = "Some fields are missing or invalid."
    type_ = PROBLEM_BASE + "invalid-request"
    return problem(request, 422, "Invalid request", detail, type_, errors=fields)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The details go to the log (with the request id), never to the client.
    log.error("unhandled exception", exc_info=exc)
    return problem(request, 500, "Internal Server Error", "Something went wrong on our side.")


def install_problem_handlers(app: FastAPI) -> None:
    for error_class in KNOWN_PROBLEMS:
        app.add_exception_handler(error_class, known_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HashingBusy, busy_error)
    app.add_exception_handler(sqlite3.OperationalError, database_error)
    # Unhandled exceptions: see observe_requests, which answers with unexpected_error.


# --8<-- [end:problem_handlers]


# --8<-- [start:problem_schema]
class Problem(BaseModel):
    """The body of every error (RFC 9457), as the OpenAPI document describes it."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict] | None = None  # 422 invalid-request only: which fields, and why


PROBLEM_JSON = "application/problem+json"


_WAIT = {"description": "Seconds to wait", "schema": {"type": "string", "pattern": "^[0-9]+$"}}
_HEADERS = {
    401: {"WWW-Authenticate": {"required": True, "schema": {"type": "string", "const": "Bearer"}}},
    429: {"Retry-After": {**_WAIT, "required": True}},
    503: {"Retry-After": _WAIT},  # sent when the service is busy, not by /readyz
}


def problem_responses(*statuses: int) -> dict:
    """The `responses=` of a route: these statuses answer with a problem details body."""
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        status: {
            "description": status_phrase(status),
            "content": content,
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
        for status in statuses
    }


# --8<-- [end:problem_schema]
