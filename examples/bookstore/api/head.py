"""HEAD for every GET route: RFC 9110 (9.1) says a general-purpose server MUST support GET
and HEAD. Starlette's own routes add HEAD to GET; FastAPI's routes answer only the methods
they declare (fastapi/fastapi#1773, open in December 2026), so HEAD got a 405."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


# --8<-- [start:head_as_get]
class HeadAsGet:
    """Route a HEAD request as a GET and send the response without its content.

    The headers stay those of GET, Content-Length included, as RFC 9110 (9.3.2) asks.
    Written as ASGI middleware rather than by adding HEAD to every route, because a route
    with HEAD in its methods would also appear as a HEAD operation in the OpenAPI
    document. Added first in create_app, so it is the innermost layer: logs and metrics
    still see the method the client sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        inner = {**scope, "method": "GET"}

        def pass_route_out() -> None:
            # The router writes the matched route into `inner`; the layers outside read it
            # from their own scope for logs and metrics. The method stays HEAD there.
            scope.update({key: value for key, value in inner.items() if key != "method"})

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                pass_route_out()
            elif message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # drop every part of the content ...
                message = {**message, "body": b""}  # ... and end it empty
            await send(message)

        try:
            await self.app(inner, receive, send_headers_only)
        finally:
            pass_route_out()  # also when a route raised before it answered


# --8<-- [end:head_as_get]
