"""A hard limit on the size of request bodies. Starlette and uvicorn have none, so this
ASGI middleware (about 30 lines) reads at most `limit` bytes and answers 413 beyond it;
the reverse proxy has its own limit too (client_max_body_size in deploy/nginx.conf)."""

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
