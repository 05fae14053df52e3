"""Checking that a payment notification really comes from the gateway, following each
gateway's own documentation:

- Midtrans: the JSON body carries `signature_key` = SHA-512 hex of
  order_id + status_code + gross_amount + server key
  (https://docs.midtrans.com/reference/handle-notifications).
- Xendit: the `x-callback-token` header carries the account's callback verification token
  from the dashboard (https://docs.xendit.co/api-integration/callback/setup).

Written out here so the page can show exactly what is checked. Midtrans' own Python client
(midtransclient) takes another route: its transactions.notification() asks the Get Status
API for the transaction instead of checking the signature. Either way, confirm the status
through the gateway's API before shipping anything.
"""

from __future__ import annotations

import hashlib
import hmac

# --8<-- [start:midtrans_signature]
MIDTRANS_SIGNED = ("order_id", "status_code", "gross_amount")  # in this order, then the key


def midtrans_signature_is_valid(notification: object, server_key: str) -> bool:
    """True when signature_key matches the fields it covers. Use the values exactly as
    received (gross_amount is a string such as "100000.00"), never re-formatted numbers;
    anything that is not a JSON object of strings is simply not valid."""
    if not isinstance(notification, dict):
        return False
    values = [notification.get(name) for name in (*MIDTRANS_SIGNED, "signature_key")]
    if not all(isinstance(value, str) for value in values):
        return False
    *signed, received = values
    expected = hashlib.sha512("".join([*signed, server_key]).encode()).hexdigest()
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (TypeError).
    return hmac.compare_digest(expected.encode(), received.lower().encode())


# --8<-- [end:midtrans_signature]


# --8<-- [start:xendit_callback_token]
def xendit_token_is_valid(header_value: str | None, callback_token: str) -> bool:
    """The token proves who sent the request, but it signs nothing: rely on HTTPS for
    integrity, and confirm the status through the API before shipping anything."""
    if not header_value or not callback_token:
        return False
    return hmac.compare_digest(header_value.encode(), callback_token.encode())


# --8<-- [end:xendit_callback_token]
