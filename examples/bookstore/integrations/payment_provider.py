"""The payment provider's API, for when a webhook never arrives: ask for the status."""

from __future__ import annotations

import httpx

from bookstore.integrations.http_retry import UpstreamError, get_json_with_retries


def fetch_payment_status(client: httpx.Client, order_id: int) -> str:
    """ "succeeded", "pending" or "failed", as the provider reports it."""
    document = get_json_with_retries(client, f"/v1/payments/{order_id}")
    status = document.get("status")
    if status not in {"succeeded", "pending", "failed"}:
        raise UpstreamError(f"unexpected payment status from the provider: {status!r}")
    return status
