"""/api/v1/users (sign up) and /api/v1/sessions (log in)."""

from __future__ import annotations

import ipaddress

from fastapi import APIRouter, Request, Response, status

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.api.problems import problem, problem_responses
from bookstore.api.schemas import Credentials, SessionOut, UserOut
from bookstore.security.emails import email_key
from bookstore.services import accounts

router = APIRouter(prefix=API_V1, tags=["accounts"])


def client_address(request: Request) -> str:
    """What the rate limiters count as one client: the TCP peer, or the address a trusted
    proxy reported (see app.py), never a header value taken from anyone else.

    An IPv6 client counts as its /64 network: a home or office gets at least one /64, in
    which every device picks its own addresses (RFC 6177 advises giving a site more than
    one), so each address counted on its own would get its own five sign-ups and reviews."""
    host = request.client.host if request.client else "-"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # not an IP address (a test client's name)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:  # ::ffff:203.0.113.7, IPv4 on a dual-stack socket
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


def too_many(request: Request, what: str, wait: int):
    detail = f"Too many {what}: try again in {wait} seconds."
    return problem(request, 429, "Too Many Requests", detail, headers={"Retry-After": str(wait)})


# --8<-- [start:sign_up_route]
@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 403, 409, 413, 422, 429, 503),
)
def sign_up(credentials: Credentials, request: Request, conn: Db):
    """Create an account. Each Argon2id hash costs 64 MiB, so sign-ups are limited per
    client address, and at most `password_hash_concurrency` hashes run at once (503
    with Retry-After beyond that)."""
    wait = request.app.state.signup_limiter.hit(client_address(request))
    if wait:
        return too_many(request, "sign-ups", wait)
    with request.app.state.hashing_slots.take():  # raises HashingBusy -> 503
        user_id = accounts.register(
            conn, request.app.state.password_hasher, credentials.email, credentials.password
        )
    return {"id": user_id, "email": credentials.email}


# --8<-- [end:sign_up_route]


# --8<-- [start:login_route]
@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 413, 422, 429, 503),
)
def log_in(credentials: Credentials, request: Request, response: Response, conn: Db):
    """Log in: exchange e-mail and password for a session token."""
    # Count attempts per account AND client address: guessing one account's password
    # is slowed down, and one busy address cannot lock everybody else out.
    key = f"{email_key(credentials.email)}|{client_address(request)}"  # Ana@ and ana@: one
    wait = request.app.state.login_limiter.hit(key)
    if wait:
        return too_many(request, "login attempts", wait)
    with request.app.state.hashing_slots.take():
        token = accounts.log_in(
            conn,
            request.app.state.password_hasher,
            credentials.email,
            credentials.password,
            request.app.state.clock(),
        )
    # A token is a credential: no cache, shared or private, may keep a copy (RFC 6749, 5.1).
    response.headers["Cache-Control"] = "no-store"
    return {"token": token, "expires_in": accounts.SESSION_SECONDS}


# --8<-- [end:login_route]
