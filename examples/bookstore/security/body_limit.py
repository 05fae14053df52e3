"""A hard limit on the size of request bodies: this ASGI middleware reads at most `limit`
bytes, counting what really arrives (chunked or with a lying Content-Length), and answers a
413 problem beyond it. FastAPI 0.165 has its own, FastAPI(max_body_size=...) (Starlette
1.10's RequestBodyLimitMiddleware), which counts the same way, but it sits outside the app's
middleware: for a Content-Length above the limit it replaces the app's answer with a plain-text
413, without problem details, security headers or X-Request-ID, while the log and metrics
record the status the route gave (200, 404, 405). This one runs inside them, so a 413 looks and
is counted like any other answer (tests/examples/test_frameworks.py shows both). The reverse
proxy has its own limit too (client_max_body_size in deploy/nginx.conf)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bookstore.api.problems import problem


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        # Compare the number of digits first: int() of a 5,000-digit header raises
        # ValueError (Python's 4,300-digit limit for int from text).
        digits = declared.lstrip(b"0") or b"0"
        too_long = len(digits) > len(str(self.limit))
        too_big = not declared.isdigit() or too_long or int(digits) > self.limit
        chunks, size, more = [], 0, not too_big
        while more:  # read the body here, counting, so a lying Content-Length cannot pass
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size, more = size + len(chunks[-1]), message.get("more_body", False)
            too_big = size > self.limit
            more = more and not too_big
        if too_big:
            response = problem(
                Request(scope), 413, "Content Too Large", f"At most {self.limit} bytes."
            )
            return await response(scope, receive, send)
        body_sent = False

        async def replay() -> Message:
            nonlocal body_sent
            if body_sent:
                return await receive()  # after the body: wait for a disconnect
            body_sent = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)
