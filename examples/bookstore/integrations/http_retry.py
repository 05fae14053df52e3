"""Outgoing HTTP calls with timeouts, a cap on each response's size and duration, and retries
with exponential backoff, jitter and a deadline."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar

import httpcore
import httpx

RETRY_STATUSES = {429, 502, 503, 504}  # worth another try; other errors are not


class UpstreamError(Exception):
    """The other service did not give a usable response after every attempt."""


# --8<-- [start:make_client]
def make_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    """One client per upstream, reused for every call (it keeps connections open).

    httpx's default is 5 s for each network operation; set your own from the upstream's
    normal latency. These limits apply to each step (connect, every read), not to a whole
    response: CappedTransport adds a size cap and a time limit per response.
    """
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=1.0),
        transport=CappedTransport(),
    )


# --8<-- [end:make_client]


# --8<-- [start:capped_transport]
class CappedTransport(httpx.BaseTransport):
    """Cuts off a response larger than max_bytes, or not complete max_seconds after the
    request started (connecting, the status line, headers and body all count).

    Our own code because httpx has no such limit: its read timeout only bounds the gap
    between two reads, so a server sending a byte a second never trips it."""

    def __init__(self, max_bytes: int = 1_000_000, max_seconds: float = 5.0) -> None:
        self.max_bytes, self.max_seconds = max_bytes, max_seconds
        self.inner = httpx.HTTPTransport()  # the transport httpx.Client would use
        # httpx 0.28 cannot be given an httpcore network backend, so we build its connection
        # pool ourselves, with httpx's default limits and TLS settings and our backend.
        self.inner._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # Each read below gets min(its timeout, the time left), so no step can run past this.
        _give_up_at.set(time.monotonic() + self.max_seconds)
        # A compressed body is decoded by httpx after this transport, so a 200 KB gzip body
        # could become 200 MB in memory. A status document is small: ask for it uncompressed
        # and refuse any content coding we did not ask for (RFC 9110, section 12.5.3).
        request.headers["Accept-Encoding"] = "identity"
        response = self.inner.handle_request(request)
        coding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if coding != "identity":
            response.close()
            raise UpstreamError(f"response is {coding}-encoded; we asked for identity")
        response.stream = _CappedStream(response.stream, self.max_bytes)
        return response

    def close(self) -> None:
        self.inner.close()


# --8<-- [end:capped_transport]


# When the current request must be done by (time.monotonic()); set by CappedTransport.
_give_up_at: ContextVar[float] = ContextVar("give_up_at", default=math.inf)


# --8<-- [start:deadline_backend]
def _time_left(timeout: float | None) -> float:
    left = _give_up_at.get() - time.monotonic()
    if left <= 0:
        raise UpstreamError("response not complete when its time limit passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write ends by the current request's time limit."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self.stream.read(max_bytes, _time_left(timeout))
        except httpcore.ReadTimeout:
            _time_left(None)  # raises UpstreamError if the time limit, not the timeout, hit
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        tls = self.stream.start_tls(ssl_context, server_hostname, _time_left(timeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = super().connect_tcp(host, port, _time_left(timeout), local_address, socket_options)
        return _DeadlineStream(stream)


# --8<-- [end:deadline_backend]


class _CappedStream(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, max_bytes: int):
        self.stream, self.max_bytes = stream, max_bytes

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self.stream:
            received += len(chunk)
            if received > self.max_bytes:
                raise UpstreamError(f"response larger than {self.max_bytes} bytes")
            yield chunk

    def close(self) -> None:
        self.stream.close()


# --8<-- [start:json_depth]
def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except RecursionError:  # [[[[...]]]] deeper than Python's recursion limit
        raise ValueError("the response is nested too deeply to be JSON we use") from None


# --8<-- [end:json_depth]


# --8<-- [start:get_with_retries]
def get_json_with_retries(
    client: httpx.Client,
    path: str,
    attempts: int = 3,
    base_delay: float = 0.2,
    max_delay: float = 5.0,
    deadline: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> object:
    """GET a JSON document; retry timeouts, connection errors and 429/502/503/504.

    The wait before retry n (0, 1, ...) is a random number between 0 and
    min(max_delay, base_delay * 2**n): capped exponential backoff with "full jitter", so
    clients that failed together do not all come back at the same instant. No retry
    starts once `deadline` seconds have passed. Only retry requests that are safe to
    repeat (GET, or a POST with an Idempotency-Key).
    """
    give_up_at = clock() + deadline
    for attempt in range(1, max(attempts, 1) + 1):
        try:
            response = client.get(path)
            if response.status_code not in RETRY_STATUSES:
                response.raise_for_status()  # any other error status: do not retry
                return _json(response)
            problem = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:  # timeouts and refused connections included
            problem = type(exc).__name__
        pause = random.uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1)))
        if attempt >= attempts or clock() + pause >= give_up_at:
            break
        sleep(pause)
    tries = "attempt" if attempt == 1 else "attempts"
    raise UpstreamError(f"GET {path} failed after {attempt} {tries}: {problem}")


# --8<-- [end:get_with_retries]
