"""Checking that a payment notification really comes from the gateway, following each
gateway's own documentation:

- Midtrans: the JSON body carries `signature_key` = SHA-512 hex of
  order_id + status_code + gross_amount + server key
  (https://docs.midtrans.com/reference/handle-notifications).
- Xendit: the `x-callback-token` header carries the account's callback verification token
  from the dashboard (https://docs.xendit.co/api-integration/callback/setup).

The official SDKs do the same; these few lines show what they check.
"""

from __future__ import annotations

import hashlib
import hmac


# --8<-- [start:midtrans_signature]
def midtrans_signature_is_valid(notification: dict, server_key: str) -> bool:
    """True when signature_key matches the fields it covers. Use the values exactly as
    received (gross_amount is a string such as "100000.00"), never re-formatted numbers."""
    try:
        signed = (
            str(notification["order_id"])
            + str(notification["status_code"])
            + str(notification["gross_amount"])
            + server_key
        )
        received = str(notification["signature_key"])
    except KeyError:
        return False
    expected = hashlib.sha512(signed.encode()).hexdigest()
    return hmac.compare_digest(expected, received.lower())  # constant-time comparison


# --8<-- [end:midtrans_signature]


# --8<-- [start:xendit_callback_token]
def xendit_token_is_valid(header_value: str | None, callback_token: str) -> bool:
    """The token proves who sent the request, but it signs nothing: rely on HTTPS for
    integrity, and confirm the status through the API before shipping anything."""
    if not header_value or not callback_token:
        return False
    return hmac.compare_digest(header_value.encode(), callback_token.encode())


# --8<-- [end:xendit_callback_token]
