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
import re
import sys
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


def main() -> None:
    from wsgiref.simple_server import make_server

    port = os.environ.get("PORT", "8080")
    # 0 would make the operating system pick a random port, so it is refused too.
    if not (re.fullmatch("[0-9]{1,5}", port) and 1 <= int(port) <= 65535):
        problem = f"PORT={port} is not a port number"
        print(f"{problem} — fix: use a number from 1 to 65535", file=sys.stderr)
        sys.exit(2)
    try:
        server = make_server("127.0.0.1", int(port), wsgi_app)  # one request at a time
    except OSError as error:  # the port is taken, or below 1024 without the right to use it
        sys.exit(f"cannot listen on 127.0.0.1:{port} ({error.strerror}) — fix: use another PORT")
    with server:
        print(f"listening on http://127.0.0.1:{int(port)}", flush=True)  # 08080 -> 8080
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl+C: stop quietly, exit status 130 (128 + SIGINT)
            sys.exit(130)


if __name__ == "__main__":
    main()
