"""Outgoing HTTP calls with timeouts, a deadline, a size cap, and retries with exponential
backoff and jitter."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import httpx
import pydantic_core

RETRY_STATUSES = {429, 502, 503, 504}  # worth another try; other errors are not
MAX_BODY_BYTES = 1_000_000  # a payment status is a few hundred bytes; refuse a flood


class UpstreamError(Exception):
    """The other service did not give a usable answer after every attempt."""


# --8<-- [start:make_client]
def make_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    """One client per upstream, reused for every call (it keeps connections open).

    httpx's default is 5 s for each network operation; set your own from the upstream's
    normal latency. These limits apply to each step (connect, every read), not to the
    whole call: get_json_with_retries adds a deadline for that.
    """
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(timeout, connect=1.0))


# --8<-- [end:make_client]


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
    clients that failed together do not all come back at the same instant. After `deadline`
    seconds no attempt or wait starts and an answer still arriving is cut off, so the
    call ends within `deadline` plus one attempt's own timeouts. Only retry requests that
    are safe to repeat (GET, or a POST with an Idempotency-Key).
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    give_up_at = clock() + deadline
    for attempt in range(1, attempts + 1):
        try:
            with client.stream("GET", path) as response:
                if response.status_code not in RETRY_STATUSES:
                    response.raise_for_status()  # any other error status: do not retry
                    return _read_json(response, give_up_at, clock)
                problem = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:  # timeouts and refused connections included
            problem = type(exc).__name__
        pause = random.uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1)))
        if attempt == attempts or clock() + pause >= give_up_at:
            break
        sleep(pause)
    tries = "attempt" if attempt == 1 else "attempts"
    raise UpstreamError(f"GET {path} failed after {attempt} {tries}: {problem}")


# --8<-- [end:get_with_retries]


# --8<-- [start:read_json]
def _read_json(response: httpx.Response, give_up_at: float, clock: Callable[[], float]) -> object:
    """The body, read chunk by chunk so that a slow or huge answer is cut off, then parsed
    by pydantic-core, whose parser stops at about 200 levels of nesting where the json
    module recurses until RecursionError. Not JSON: ValueError."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise UpstreamError(f"answer larger than {MAX_BODY_BYTES} bytes")
        if clock() > give_up_at:
            raise UpstreamError("the deadline passed while the answer was arriving")
    return pydantic_core.from_json(bytes(body))


# --8<-- [end:read_json]
