"""Outgoing HTTP calls with timeouts, a cap on each answer's size and duration, and retries
with exponential backoff, jitter and a deadline."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator

import httpx

RETRY_STATUSES = {429, 502, 503, 504}  # worth another try; other errors are not


class UpstreamError(Exception):
    """The other service did not give a usable answer after every attempt."""


# --8<-- [start:make_client]
def make_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    """One client per upstream, reused for every call (it keeps connections open).

    httpx's default is 5 s for each network operation; set your own from the upstream's
    normal latency. These limits apply to each step (connect, every read), not to a whole
    answer: CappedTransport adds a size cap and a time limit per answer.
    """
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=1.0),
        transport=CappedTransport(),
    )


# --8<-- [end:make_client]


# --8<-- [start:capped_transport]
class CappedTransport(httpx.BaseTransport):
    """Cuts off an answer larger than max_bytes or still arriving after max_seconds.

    Our own code because httpx has no such limit: its read timeout only bounds the gap
    between two chunks, so a server sending a byte a second never trips it."""

    def __init__(self, max_bytes: int = 1_000_000, max_seconds: float = 5.0) -> None:
        self.max_bytes, self.max_seconds = max_bytes, max_seconds
        self.inner = httpx.HTTPTransport()  # the transport httpx.Client would use

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        give_up_at = time.monotonic() + self.max_seconds
        response = self.inner.handle_request(request)  # returns once the headers are in
        response.stream = _CappedStream(response.stream, self.max_bytes, give_up_at)
        return response

    def close(self) -> None:
        self.inner.close()


class _CappedStream(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, max_bytes: int, give_up_at: float):
        self.stream, self.max_bytes, self.give_up_at = stream, max_bytes, give_up_at

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self.stream:
            received += len(chunk)
            if received > self.max_bytes:
                raise UpstreamError(f"answer larger than {self.max_bytes} bytes")
            if time.monotonic() > self.give_up_at:
                raise UpstreamError("answer still arriving when its time limit passed")
            yield chunk

    def close(self) -> None:
        self.stream.close()


# --8<-- [end:capped_transport]


# --8<-- [start:json_depth]
def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except RecursionError:  # [[[[...]]]] deeper than Python's recursion limit
        raise ValueError("the answer is nested too deeply to be JSON we use") from None


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
