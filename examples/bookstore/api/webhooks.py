"""/api/v1/webhooks/payments: events pushed by the payment provider."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from pydantic import ValidationError

from bookstore.api import API_V1
from bookstore.api.deps import Db
from bookstore.api.problems import problem_responses
from bookstore.api.schemas import PaymentEvent
from bookstore.services.payments import SIGNATURE_PATTERN, handle_payment_event, verify_webhook

router = APIRouter(prefix=API_V1, tags=["webhooks"])


async def raw_body(request: Request) -> bytes:
    return await request.body()


# The body is read raw (the signature covers its bytes), so describe it by hand.
EVENT_BODY = {
    "required": True,
    "content": {"application/json": {"schema": PaymentEvent.model_json_schema()}},
}


# --8<-- [start:payment_webhook_route]
@router.post(
    "/webhooks/payments",
    responses=problem_responses(400, 403, 404, 413, 422),
    openapi_extra={"requestBody": EVENT_BODY},
)
def payment_webhook(
    request: Request,
    conn: Db,
    body: Annotated[bytes, Depends(raw_body)],
    # "t=<unix time>,v1=<64 hex digits>": anything else is refused before any work.
    signature: Annotated[str, Header(max_length=90, pattern=SIGNATURE_PATTERN)],
) -> dict[str, bool]:
    # Verify the raw bytes: the signature covers exactly what the provider sent.
    verify_webhook(
        request.app.state.settings.webhook_secret, signature, body, now=request.app.state.clock()
    )
    try:  # parse only after the signature is known to be good
        event = PaymentEvent.model_validate_json(body)
    except ValidationError:
        raise HTTPException(400, "The event is not JSON with type, id and order_id.") from None
    if event.type != "payment.succeeded":
        return {"processed": False}  # acknowledge events we do not use
    return {"processed": handle_payment_event(conn, event.id, event.order_id)}


# --8<-- [end:payment_webhook_route]
