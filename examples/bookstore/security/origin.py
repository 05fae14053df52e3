"""Refuse state-changing requests sent from another site's pages (OWASP CSRF Prevention
Cheat Sheet, "Verifying Origin with standard headers"): a browser names the page's origin in
the Origin header of every POST, and a script cannot change it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bookstore.api.problems import problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # they must never change data


# --8<-- [start:check_origin]
async def check_origin(request: Request, call_next) -> Response:
    """An unsafe request that names an origin must name ours (settings.public_url).
    API clients that are not browsers send no Origin and are not refused here; the HTML
    form, which a browser posts with cookies, also requires it (see web/pages.py)."""
    origin = request.headers.get("Origin")
    foreign = origin is not None and origin != request.app.state.settings.base_url
    if foreign and request.method not in SAFE_METHODS:
        return problem(request, 403, "Forbidden", "Cross-origin requests are refused.")
    return await call_next(request)


# --8<-- [end:check_origin]
