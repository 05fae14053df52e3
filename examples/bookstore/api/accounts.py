"""/api/v1/users (sign up) and /api/v1/sessions (log in)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.api.problems import problem
from bookstore.api.schemas import Credentials, SessionOut, UserOut
from bookstore.services import accounts

router = APIRouter(prefix=API_V1, tags=["accounts"])


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def sign_up(credentials: Credentials, request: Request, conn: Db) -> dict:
    hasher = request.app.state.password_hasher
    user_id = accounts.register(conn, hasher, credentials.email, credentials.password)
    return {"id": user_id, "email": credentials.email}


# --8<-- [start:login_route]
@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    responses={429: {"description": "Too many login attempts"}},
)
def log_in(credentials: Credentials, request: Request, conn: Db):
    """Log in: exchange e-mail and password for a session token."""
    # Count attempts per account AND client address: guessing one account's password
    # is slowed down, and one busy address cannot lock everybody else out.
    key = f"{credentials.email.lower()}|{request.client.host if request.client else '-'}"
    wait = request.app.state.login_limiter.hit(key)
    if wait:
        return problem(
            request,
            429,
            "Too many login attempts",
            f"Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    token = accounts.log_in(
        conn,
        request.app.state.password_hasher,
        credentials.email,
        credentials.password,
        request.app.state.clock(),
    )
    return {"token": token, "expires_in": accounts.SESSION_SECONDS}


# --8<-- [end:login_route]
