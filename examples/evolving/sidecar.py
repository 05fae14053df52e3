"""A sidecar-style proxy, small enough to read: what a service mesh's data plane adds in front
of a service, without touching the service's code.

It forwards every request to the service and adds three things a mesh proxy (Envoy in Istio,
linkerd2-proxy in Linkerd) also adds: one deadline for the whole call, one retry for idempotent
methods only, and a request counter per route, method and status. It has none of the rest:
no mTLS, no service discovery, no load balancing, no configuration pushed by a control plane.
It is for learning how a mesh behaves, not for production.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

# --8<-- [start:policy]
# RFC 9110, section 9.2.2: repeating these has the same effect on the server as sending once.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})  # the service or its own proxy failed, try again
METHODS = IDEMPOTENT | {"POST", "PATCH"}
MAX_BODY = 1_000_000  # bytes; a larger request body is answered 413 before the service sees it
# Connection-level headers belong to one hop and are never forwarded (RFC 9110, section 7.6.1).
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade", "host", "content-length"})


class Metrics:
    """Requests by route, method and status. Labels come from a fixed list, never from the raw
    path: otherwise every scanner's random URL would create a new time series."""

    def __init__(self, routes: list[str]) -> None:
        self.routes = sorted(routes, key=len, reverse=True)  # the longest prefix wins
        self.requests: Counter[tuple[str, str, int]] = Counter()

    def route_of(self, path: str) -> str:
        for prefix in self.routes:
            if path == prefix or path.startswith(prefix + "/"):
                return prefix
        return "other"

    def count(self, path: str, method: str, status: int) -> None:
        self.requests[self.route_of(path), method if method in METHODS else "OTHER", status] += 1
# --8<-- [end:policy]

    def render(self) -> str:
        """The Prometheus text format, as a mesh proxy's admin port serves it."""
        lines = ["# TYPE sidecar_requests_total counter"]
        for (route, method, status), value in sorted(self.requests.items()):
            lines.append(f'sidecar_requests_total{{route="{route}",method="{method}",'
                         f'status="{status}"}} {value}')
        return "\n".join(lines) + "\n"


def problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse({"type": "about:blank", "title": title, "status": status,
                         "detail": detail}, status_code=status,
                        media_type="application/problem+json")


# --8<-- [start:forward]
async def forward(client: httpx.AsyncClient, request: Request, body: bytes,
                  deadline: float) -> httpx.Response | JSONResponse:
    """Send the request to the service: one deadline for everything, and a second attempt only
    for an idempotent method after a connection failure or a 502/503/504."""
    attempts = 2 if request.method in IDEMPOTENT else 1
    # The path as the client sent it, still percent-encoded ("/a%00b" stays "/a%00b"), always on
    # the service's own host: a relative "//evil.example/x" would otherwise name another host.
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    try:
        target = client.base_url.copy_with(raw_path=raw + (b"?" + query if query else b""))
    except httpx.InvalidURL as error:  # e.g. a control character httpx refuses to send
        return problem(400, "Bad Request", f"cannot forward this target: {error}")
    # Raw bytes, as received: a UTF-8 header value must not be re-encoded as ASCII (an error)
    headers = [(k, v) for k, v in request.scope["headers"] if k.decode("latin-1") not in HOP_BY_HOP]
    try:
        async with asyncio.timeout(deadline):  # covers both attempts, not each one
            for attempt in range(1, attempts + 1):
                try:
                    answer = await client.request(request.method, target, headers=headers,
                                                  content=body)
                except httpx.TransportError as error:
                    if attempt == attempts:
                        return problem(502, "Bad Gateway", f"service unreachable: {error!r}")
                    continue
                if answer.status_code not in RETRY_STATUSES or attempt == attempts:
                    return answer
    except TimeoutError:
        return problem(504, "Gateway Timeout", f"no answer from the service in {deadline} s")
    raise AssertionError("unreachable: the loop always returns")
# --8<-- [end:forward]


# --8<-- [start:app]
def create_sidecar(service: httpx.AsyncClient, routes: list[str],
                   deadline: float = 2.0) -> tuple[ASGIApp, Metrics]:
    """The proxy in front of `service`, an httpx client whose base_url is the service's origin
    (scheme, host and port only: forward() replaces the path with the client's own)."""
    metrics = Metrics(routes)

    async def proxy(request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():  # counted as it arrives, never read whole first
            body += chunk
            if len(body) > MAX_BODY:
                answer = problem(413, "Content Too Large", f"the body exceeds {MAX_BODY} bytes")
                break
        else:
            answer = await forward(service, request, bytes(body), deadline)
        if isinstance(answer, httpx.Response):
            answer = copy_response(answer)
        metrics.count(request.url.path, request.method, answer.status_code)
        return answer

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to start or stop
            return
        response = await proxy(Request(scope, receive))  # every method, every path
        await response(scope, receive, send)

    return app, metrics


def copy_response(answer: httpx.Response) -> Response:
    """httpx has already decoded a gzip body: its encoding and length no longer hold.
    The raw pairs keep two Set-Cookie headers as two and every byte of their values."""
    drop = HOP_BY_HOP | {"content-encoding"}
    response = Response(answer.content, status_code=answer.status_code)
    response.raw_headers += [(k.lower(), v) for k, v in answer.headers.raw
                             if k.decode("latin-1").lower() not in drop]
    return response
# --8<-- [end:app]
