"""/api/v1/webhooks/payments: events pushed by the payment provider."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.services.payments import handle_payment_event, verify_webhook

router = APIRouter(prefix=API_V1, tags=["webhooks"])


async def raw_body(request: Request) -> bytes:
    return await request.body()


# --8<-- [start:payment_webhook_route]
@router.post("/webhooks/payments")
def payment_webhook(request: Request, conn: Db, body: Annotated[bytes, Depends(raw_body)]) -> dict:
    # Verify the raw bytes: the signature covers exactly what the provider sent.
    verify_webhook(
        request.app.state.settings.webhook_secret,
        request.headers.get("Signature"),
        body,
        now=request.app.state.clock(),
    )
    try:  # parse only after the signature is known to be good
        event = json.loads(body)
        kind, event_id, order_id = event["type"], str(event["id"]), int(event["order_id"])
    except (ValueError, TypeError, KeyError):
        raise HTTPException(400, "The event is not valid JSON with type, id, order_id.") from None
    if kind != "payment.succeeded":
        return {"processed": False}  # acknowledge events we do not use
    return {"processed": handle_payment_event(conn, event_id, order_id)}


# --8<-- [end:payment_webhook_route]
