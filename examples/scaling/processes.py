"""Scaling the application itself (the Scaling Databases page, "Adding Application Processes"): more
processes behind a load balancer help only if any process can serve any request, which means no
state that lives in one process's memory.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping

from fastapi import FastAPI, HTTPException, Query, Request


# --8<-- [start:stateless]
def create_app(sessions: MutableMapping[str, str]) -> FastAPI:
    """One application process; `sessions` is where it keeps logins."""
    app = FastAPI()

    @app.post("/login")
    def login(user: str = Query(min_length=1, max_length=64)) -> dict:
        # A stand-in: it checks no password (the real one: bookstore/api/accounts.py).
        token = secrets.token_urlsafe(16)
        sessions[token] = user
        return {"token": token}

    @app.get("/me")
    def me(request: Request) -> dict:
        user = sessions.get(request.headers.get("X-Token", ""))
        if user is None:
            raise HTTPException(401, "not logged in")
        return {"user": user}

    return app


def round_robin(apps: list[FastAPI]):
    """What a load balancer does: each request to the next process in turn."""
    while True:
        yield from apps
# --8<-- [end:stateless]
