"""The payment provider's API, for when a webhook never arrives: ask for the status."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from bookstore.integrations.http_retry import UpstreamError, get_json_with_retries


def fetch_payment_status(
    client: httpx.Client,
    order_id: int,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """ "succeeded", "pending" or "failed", as the provider reports it.

    Every response we cannot use becomes UpstreamError, which the API turns into a 502:
    the fault is upstream, not in our code, so it must not surface as a 500. sleep and
    clock are passed on to the retries, so tests can wait without waiting.
    """
    path = f"/v1/payments/{order_id}"
    try:
        document = get_json_with_retries(client, path, sleep=sleep, clock=clock)
    except httpx.HTTPStatusError as exc:  # a 4xx or 5xx that retrying will not fix
        code = exc.response.status_code
        raise UpstreamError(f"GET {path}: the provider responded with HTTP {code}") from exc
    except httpx.DecodingError as exc:  # a client that decodes gzip itself, and bad gzip
        raise UpstreamError(f"GET {path}: the provider's response could not be decoded") from exc
    except ValueError as exc:  # a 200 whose body is not JSON, e.g. a proxy's HTML page
        raise UpstreamError(f"GET {path}: the provider's response is not JSON") from exc
    status = document.get("status") if isinstance(document, dict) else None
    # A list or an object cannot be looked up in a set (TypeError, a 500): check the type first.
    if not isinstance(status, str) or status not in {"succeeded", "pending", "failed"}:
        raise UpstreamError(f"unexpected payment status from the provider: {status!r}")
    return status
