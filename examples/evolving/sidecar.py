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
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

# --8<-- [start:policy]
# RFC 9110, section 9.2.2: repeating these has the same effect on the server as sending once.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})  # the service or its own proxy failed, try again
METHODS = IDEMPOTENT | {"POST", "PATCH"}
MAX_BODY = 1_000_000  # bytes; a larger request body is answered 413 before the service sees it
MAX_ANSWER = 10_000_000  # bytes, decoded; a larger answer is a 502, never held whole in memory
DECODED = frozenset({"gzip", "deflate", "identity"})  # content codings httpx decodes by itself
# Connection-level headers belong to one hop and are never forwarded, nor is any header the
# Connection header names (RFC 9110, section 7.6.1).
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade", "host", "content-length"})
# The server running the sidecar (uvicorn) adds its own Date and Server; forwarding the
# service's too would send each twice, which RFC 9110, section 5.3 forbids for these fields.
SERVER_OWN = frozenset({b"date", b"server"})
DISCONNECTED = 499  # nginx's code for "the client closed the connection before the answer"


def end_to_end(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers a proxy may forward: the raw pairs minus this hop's own."""
    named = {token.strip().lower() for name, value in headers if name.lower() == b"connection"
             for token in value.decode("latin-1").split(",")}
    return [(k, v) for k, v in headers if k.decode("latin-1").lower() not in HOP_BY_HOP | named]

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
                  deadline: float) -> Response:
    """Send the request to the service: one deadline for everything, and a second attempt only
    for an idempotent method after a transport error (refused connection, reset, read timeout)
    or a 502/503/504."""
    attempts = 2 if request.method in IDEMPOTENT else 1
    # The path as the client sent it, still percent-encoded ("/a%00b" stays "/a%00b"), always on
    # the service's own host: a relative "//evil.example/x" would otherwise name another host.
    raw = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    try:
        target = client.base_url.copy_with(raw_path=raw + (b"?" + query if query else b""))
    except (httpx.InvalidURL, UnicodeDecodeError) as error:  # a control character, a raw \xff
        return problem(400, "Bad Request", f"cannot forward this target: {error}")
    # Raw bytes, as received: a UTF-8 header value must not be re-encoded as ASCII (an error).
    # "identity": the body comes back as the service wrote it, with no coding to undo.
    headers = [(k, v) for k, v in end_to_end(request.scope["headers"])
               if k.lower() != b"accept-encoding"] + [(b"accept-encoding", b"identity")]
    try:
        async with asyncio.timeout(deadline):  # covers both attempts, not each one
            for attempt in range(1, attempts + 1):
                outgoing = client.build_request(request.method, target, headers=headers,
                                                content=body)
                try:
                    answer = await client.send(outgoing, stream=True)
                    try:
                        if answer.status_code not in RETRY_STATUSES or attempt == attempts:
                            return await copy_response(answer, request.method)
                    finally:
                        await answer.aclose()
                except httpx.TransportError as error:
                    if attempt == attempts:
                        return problem(502, "Bad Gateway", f"service unreachable: {error!r}")
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
        try:
            async for chunk in request.stream():  # counted as it arrives, never read whole
                body += chunk
                if len(body) > MAX_BODY:
                    answer = problem(413, "Content Too Large", f"the body exceeds {MAX_BODY} bytes")
                    break
            else:
                answer = await forward(service, request, bytes(body), deadline)
        except ClientDisconnect:  # the client left mid-body: count it, forward nothing
            answer = Response(status_code=DISCONNECTED)  # nobody is left to read it
        metrics.count(request.url.path, request.method, answer.status_code)
        return answer

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to start or stop
            return
        response = await proxy(Request(scope, receive))  # every method, every path
        await response(scope, receive, send)

    return app, metrics
# --8<-- [end:app]


# --8<-- [start:copy]
async def copy_response(answer: httpx.Response, method: str) -> Response:
    """Read the service's answer, decoded and capped, into a response for the client. The raw
    header pairs keep two Set-Cookie headers as two and every byte of their values."""
    codings = {c.strip().lower() for c in answer.headers.get("content-encoding", "").split(",")}
    if not codings - {""} <= DECODED:  # e.g. zstd: forwarding it undecoded needs its header
        return problem(502, "Bad Gateway", f"the service answered with an encoding this proxy"
                       f" cannot decode: {answer.headers['content-encoding']}")
    content = bytearray()
    try:
        async for chunk in answer.aiter_bytes():  # gzip and deflate undone by httpx
            content += chunk
            if len(content) > MAX_ANSWER:
                return problem(502, "Bad Gateway", f"the answer exceeds {MAX_ANSWER} bytes")
    except httpx.DecodingError as error:  # e.g. "gzip" on bytes that are not gzip
        return problem(502, "Bad Gateway", f"the service sent a body that does not decode: {error}")
    response = Response(bytes(content), status_code=answer.status_code)
    keep = [(k.lower(), v) for k, v in end_to_end(answer.headers.raw)
            if k.lower() not in SERVER_OWN | {b"content-encoding"}]
    # HEAD: no body, but the length a GET would have (RFC 9110, section 9.3.2). A service that
    # compresses despite "identity" makes this the compressed length; rare, and left as is.
    if method == "HEAD":
        keep += [(b"content-length", v) for k, v in answer.headers.raw if k.lower() == b"content-length"]
    else:
        keep += [(k, v) for k, v in response.raw_headers if k == b"content-length"]
    response.raw_headers = keep
    return response
# --8<-- [end:copy]
