"""Dependencies shared by the routes: a database connection and the logged-in user."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bookstore.db.connection import connect
from bookstore.services.accounts import user_for_token


# --8<-- [start:get_db]
def get_db(request: Request) -> Iterator[sqlite3.Connection]:
    """One connection per request, always closed, even when the handler fails."""
    conn = connect(request.app.state.settings.database)
    try:
        yield conn
    finally:
        conn.close()


Db = Annotated[sqlite3.Connection, Depends(get_db)]  # a route asks for it: `conn: Db`
# --8<-- [end:get_db]


# --8<-- [start:current_user]
# Reads "Authorization: Bearer <token>" and tells the OpenAPI document about it.
bearer = HTTPBearer(auto_error=False)


def current_user(
    request: Request,
    conn: Db,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> int:
    """The id of the user whose session token is in "Authorization: Bearer <token>"."""
    user_id = None
    if credentials is not None:
        user_id = user_for_token(conn, credentials.credentials, request.app.state.clock())
    if user_id is None:
        raise HTTPException(401, "Log in first.", headers={"WWW-Authenticate": "Bearer"})
    return user_id


CurrentUser = Annotated[int, Depends(current_user)]
# --8<-- [end:current_user]
