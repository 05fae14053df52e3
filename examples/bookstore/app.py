"""The application factory: wires settings, middleware, routes and shared resources."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from argon2 import PasswordHasher
from fastapi import FastAPI

from bookstore import __version__
from bookstore.api import accounts, books, health, orders, webhooks
from bookstore.api.problems import install_problem_handlers
from bookstore.cache import TTLCache
from bookstore.db.connection import connect
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.integrations.http_retry import make_client
from bookstore.observability.metrics import Metrics
from bookstore.observability.middleware import observe_requests
from bookstore.security.headers import add_security_headers
from bookstore.security.passwords import make_hasher
from bookstore.security.rate_limit import RateLimiter
from bookstore.settings import Settings, load_settings
from bookstore.web import pages

log = logging.getLogger("bookstore")


# --8<-- [start:lifespan]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Runs once: the code before `yield` at start-up, the code after it at shutdown
    (uvicorn gets there on SIGTERM or Ctrl+C, after finishing requests in flight)."""
    settings = app.state.settings
    conn = connect(settings.database)
    try:
        applied = migrate(conn)  # bring the schema up to date before taking traffic
        if settings.seed_demo_data and seed_demo_data(conn):
            log.info("demo catalog inserted")
    finally:
        conn.close()
    app.state.payment_client = make_client(settings.payment_api_url)
    log.info("started", extra={"migrations_applied": applied, "port": settings.port})
    yield
    app.state.payment_client.close()  # close open connections to the provider
    log.info("shutdown complete")


# --8<-- [end:lifespan]


def create_app(
    settings: Settings | None = None,
    *,
    clock: Callable[[], float] = time.time,
    password_hasher: PasswordHasher | None = None,
) -> FastAPI:
    """Build the app. Tests pass their own settings, a fake clock and a fast hasher."""
    settings = settings or load_settings()
    # Swagger UI would load scripts from a CDN, which our Content-Security-Policy
    # forbids: the OpenAPI document itself is served at /openapi.json.
    app = FastAPI(
        title="Bookstore API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.password_hasher = password_hasher or make_hasher()
    app.state.cache = TTLCache(settings.cache_ttl_seconds, clock=clock)
    app.state.login_limiter = RateLimiter(limit=5, window=60, clock=clock)
    app.state.metrics = Metrics()

    # --8<-- [start:include_routers]
    for module in (books, orders, accounts, webhooks):  # each has prefix=API_V1
        app.include_router(module.router)
    # --8<-- [end:include_routers]
    app.include_router(health.router)
    app.include_router(pages.router)

    install_problem_handlers(app)
    # The middleware added last is the outermost: add_security_headers wraps
    # observe_requests, which turns any unhandled error into a 500 problem, so every
    # response, errors included, has the headers and a request id.
    app.middleware("http")(observe_requests)
    app.middleware("http")(add_security_headers)
    return app
