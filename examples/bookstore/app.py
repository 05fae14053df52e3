"""The application factory: wires settings, middleware, routes and shared resources."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
from argon2 import PasswordHasher
from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bookstore import __version__
from bookstore.api import accounts, books, health, orders, webhooks
from bookstore.api.head import HeadAsGet
from bookstore.api.problems import Problem, install_problem_handlers
from bookstore.cache import TTLCache
from bookstore.db.connection import connect
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.integrations.http_retry import make_client
from bookstore.observability.metrics import Metrics
from bookstore.observability.middleware import observe_requests
from bookstore.security.body_limit import BodySizeLimit
from bookstore.security.headers import add_security_headers
from bookstore.security.origin import check_origin
from bookstore.security.passwords import HashingSlots, make_hasher
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
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    password_hasher: PasswordHasher | None = None,
) -> FastAPI:
    """Build the app. Tests pass their own settings, fake clocks and a fast hasher.

    clock: wall-clock time, for what is stored or compared with other machines (session
    expiry, webhook timestamps). monotonic: for durations in this process (cache
    TTL, rate-limit windows), which must not jump when the wall clock is set. sleep: how
    the app waits between retries of a call to another service.
    """
    settings = settings or load_settings()
    # Swagger UI would load scripts from a CDN, which our Content-Security-Policy
    # forbids: the OpenAPI document itself is served at /openapi.json.
    app = FastAPI(
        title="Bookstore API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.monotonic, app.state.sleep = monotonic, sleep  # for retries (payment check)
    app.state.password_hasher = password_hasher or make_hasher()
    app.state.cache = TTLCache(settings.cache_ttl_seconds, clock=monotonic)
    app.state.login_limiter = RateLimiter(limit=5, window=60, clock=monotonic)
    app.state.signup_limiter = RateLimiter(limit=5, window=600, clock=monotonic)
    app.state.hashing_slots = HashingSlots(settings.password_hash_concurrency)
    app.state.review_limiter = RateLimiter(limit=5, window=600, clock=monotonic)
    app.state.health_threads = anyio.CapacityLimiter(2)  # /readyz never queues behind routes
    app.state.metrics = Metrics()

    # --8<-- [start:include_routers]
    for module in (books, orders, accounts, webhooks):  # each has prefix=API_V1
        app.include_router(module.router)
    # --8<-- [end:include_routers]
    app.include_router(health.router)
    app.include_router(pages.router)

    install_problem_handlers(app)
    describe_problems(app)
    # The middleware added last is the outermost. From the outside in: the client address
    # from a trusted proxy only; security headers on every response; a request id, a log
    # line and metrics, and a 500 problem for any unhandled error; foreign Origins refused;
    # bodies above max_body_bytes refused with 413; HEAD answered like GET, without content.
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.middleware("http")(check_origin)
    app.middleware("http")(observe_requests)
    app.middleware("http")(add_security_headers)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.proxies)
    return app


def describe_problems(app: FastAPI) -> None:
    """Add the Problem schema, which problem_responses() refers to, to the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema()
        return app.openapi_schema

    app.openapi = openapi
