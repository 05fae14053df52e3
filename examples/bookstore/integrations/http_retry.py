"""Outgoing HTTP calls with a timeout and retries with exponential backoff and jitter."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import httpx

RETRY_STATUSES = {429, 502, 503, 504}  # worth another try; other errors are not


class UpstreamError(Exception):
    """The other service did not give a usable answer after every attempt."""


# --8<-- [start:make_client]
def make_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    """One client per upstream, reused for every call (it keeps connections open).

    httpx has a 5 s default timeout; set your own from the upstream's normal
    latency: a call without a timeout can hang a worker forever.
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
    sleep: Callable[[float], None] = time.sleep,
) -> dict:
    """GET a JSON document; retry timeouts, connection errors and 429/5xx answers.

    Waits between attempts grow exponentially (0.2 s, 0.4 s, 0.8 s ...), capped at
    max_delay, with "full jitter": a random wait between 0 and that bound, so many
    clients that failed together do not all retry at the same instant.
    Only retry requests that are safe to repeat (GET, or with an Idempotency-Key).
    """
    for attempt in range(attempts):
        try:
            response = client.get(path)
            if response.status_code not in RETRY_STATUSES:
                response.raise_for_status()  # 4xx: our request is wrong, do not retry
                return response.json()
            problem = f"HTTP {response.status_code}"
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            problem = type(exc).__name__
        if attempt + 1 < attempts:
            sleep(random.uniform(0, min(max_delay, base_delay * 2**attempt)))
    raise UpstreamError(f"GET {path} failed after {attempts} attempts: {problem}")


# --8<-- [end:get_with_retries]
