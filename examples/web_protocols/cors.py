"""A CORS policy for an API that one known front end calls from the browser.

CORS (the Fetch standard) lets a server tell browsers which other origins may read its
responses. It is not access control: curl, scripts and servers ignore it entirely.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

FRONT_END = "https://toko.example"


# --8<-- [start:cors]
def create_api() -> FastAPI:
    api = FastAPI()
    api.add_middleware(
        CORSMiddleware,
        allow_origins=[FRONT_END],  # an exact list; never "*" together with credentials
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        allow_credentials=False,  # the front end sends a Bearer token, not cookies
        max_age=600,  # browsers may cache the preflight answer for 10 minutes
    )

    @api.get("/api/v1/books")
    def books() -> list[dict]:
        return [{"id": 1, "title": "Laskar Pelangi"}]

    return api


# --8<-- [end:cors]
