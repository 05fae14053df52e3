"""One middleware for every request: request id, access log line and metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.requests import Request
from starlette.responses import Response

from bookstore.api.problems import unexpected_error
from bookstore.observability.logging import request_id_var

log = logging.getLogger("bookstore.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Label values must come from a small, fixed set: every new value is a new time series
# that Prometheus keeps. Any other method (a client may send "FOO") counts as "other".
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# --8<-- [start:request_middleware]
async def observe_requests(request: Request, call_next) -> Response:
    # Keep the caller's X-Request-ID (e.g. from the proxy) if it looks sane, else make one.
    incoming = request.headers.get("X-Request-ID", "")
    request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    token = request_id_var.set(request_id)
    start = time.perf_counter()
    try:
        try:
            response = await call_next(request)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for any bug
            # Log the traceback, answer with a 500 problem that reveals nothing.
            response = await unexpected_error(request, exc)
        elapsed = time.perf_counter() - start
        # The route template ("/api/v1/books/{book_id}"), not the raw path, and a known
        # method or "other": one series per endpoint, not one per book id or made-up method.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        method = request.method if request.method in KNOWN_METHODS else "other"
        metrics = request.app.state.metrics
        metrics.requests.inc(method, route, str(response.status_code))
        # Latency per status class (2xx, 4xx, 5xx: five values at most), so a fast 500
        # never makes the service look fast; per route would be one series per endpoint.
        metrics.latency.observe(elapsed, f"{response.status_code // 100}xx")
        log.info(
            "request finished",
            extra={
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        response.headers["X-Request-ID"] = request_id
        return response
    finally:
        request_id_var.reset(token)


# --8<-- [end:request_middleware]
