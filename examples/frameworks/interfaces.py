"""GET /health as a bare WSGI application (PEP 3333) and as a bare ASGI application (ASGI 3.0).

Flask and Django are WSGI applications; FastAPI, Starlette and Django's asgi.py are ASGI
applications. A framework is, at bottom, one of these two callables plus the routing,
validation and error handling that this file does by hand. Teaching code: use a framework.

Run from examples/:
  WSGI, standard library server:  python -m frameworks.interfaces
  ASGI, uvicorn:                  uvicorn frameworks.interfaces:asgi_app --port 8080
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

BODIES = {
    200: json.dumps({"status": "ok"}).encode(),
    404: json.dumps({"error": "not found"}).encode(),
    405: json.dumps({"error": "method not allowed"}).encode(),
}
REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}


def answer(method: str, path: str) -> tuple[int, list[tuple[str, str]]]:
    """The status and the extra headers, the same for both interfaces."""
    if path != "/health":
        return 404, []
    if method not in ("GET", "HEAD"):
        return 405, [("Allow", "GET, HEAD")]
    return 200, []


# --8<-- [start:wsgi_app]
def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """WSGI: the server calls this once per request, in one of its threads or processes,
    and that thread serves nothing else until the returned body has been sent."""
    method = environ["REQUEST_METHOD"]
    status, extra = answer(method, environ.get("PATH_INFO", ""))  # the path, without ?query
    body = BODIES[status]
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response(f"{status} {REASONS[status]}", headers + extra)
    return [b"" if method == "HEAD" else body]  # any iterable of bytes


# --8<-- [end:wsgi_app]


# --8<-- [start:asgi_app]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def asgi_app(scope: dict[str, Any], receive: Callable[..., Any], send: Send) -> None:
    """ASGI: the server awaits this coroutine on its event loop, once per HTTP request or
    WebSocket connection (its `scope`); the two sides exchange events through `receive` and
    `send`, and the loop serves other requests whenever this one awaits."""
    if scope["type"] != "http":  # also "websocket" and "lifespan" (start-up, shutdown)
        return
    status, extra = answer(scope["method"], scope["path"])  # scope["path"] has no ?query
    body = BODIES[status]
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(name.lower().encode(), value.encode()) for name, value in headers + extra],
        }
    )
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


# --8<-- [end:asgi_app]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    port = int(os.environ.get("PORT", "8080"))
    with make_server("127.0.0.1", port, wsgi_app) as server:  # one request at a time
        print(f"listening on http://127.0.0.1:{port}", flush=True)
        server.serve_forever()
