"""Payment provider webhooks: verify the signature, refuse replays, process each event once."""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3

from bookstore.db import orders as orders_db
from bookstore.db import payments as payments_db
from bookstore.db.connection import transaction
from bookstore.services.errors import InvalidSignature, NotFound

TOLERANCE_SECONDS = 300  # a signed request older (or newer) than 5 minutes is refused
# The only header form we accept: at most 12 digits of time (a 400-digit one cannot
# become a float), and the 64 hex digits of an HMAC-SHA256.
SIGNATURE_PATTERN = r"^t=([0-9]{1,12}),v1=([0-9a-f]{64})$"


# --8<-- [start:sign_webhook]
def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """The provider's side: Signature header value "t=<unix time>,v1=<hex HMAC-SHA256>"."""
    signed = str(timestamp).encode() + b"." + body  # the timestamp is signed too
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --8<-- [end:sign_webhook]


# --8<-- [start:verify_webhook]
def verify_webhook(secret: str, header: str | None, body: bytes, now: float) -> None:
    """Raise InvalidSignature unless `header` signs exactly this body, recently."""
    parts = re.fullmatch(SIGNATURE_PATTERN, header or "")
    if parts is None:
        raise InvalidSignature("Missing or malformed signature header.")
    timestamp, received = int(parts[1]), parts[2]
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise InvalidSignature("Signature timestamp outside the allowed window.")
    expected = sign_webhook(secret, timestamp, body).partition(",v1=")[2]
    if not hmac.compare_digest(expected, received):  # constant time: leaks nothing
        raise InvalidSignature("Signature does not match.")


# --8<-- [end:verify_webhook]


# --8<-- [start:handle_payment_event]
def handle_payment_event(conn: sqlite3.Connection, event_id: str, order_id: int) -> bool:
    """Mark a pending order paid. Providers resend events, so each event id counts once.
    Returns False, and changes no order, for an event seen before or an order that is no
    longer pending (a second success event with a new id, say)."""
    with transaction(conn):
        if orders_db.get_order(conn, order_id) is None:
            raise NotFound(f"Order {order_id} does not exist.")
        if not payments_db.record_payment_event(conn, event_id, order_id):
            return False
        return orders_db.mark_paid(conn, order_id)  # only WHERE status = 'pending'


# --8<-- [end:handle_payment_event]
