"""CSRF protection for HTML forms: the signed double-submit cookie pattern (OWASP CSRF
Prevention Cheat Sheet). The same random token goes into a cookie and into a hidden form
field; a forged form on another site can send the cookie but cannot read it to copy it
into the form, and the signature stops an attacker from planting a token of their own."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CSRF_COOKIE = "csrf_token"
CSRF_FIELD = "csrf_token"


# --8<-- [start:csrf]
def issue_csrf_token(secret: str) -> str:
    """A random value and its HMAC signature: "<nonce>.<signature>"."""
    nonce = secrets.token_urlsafe(32)
    return f"{nonce}.{_sign(secret, nonce)}"


def csrf_token_is_valid(secret: str, cookie_token: str | None, form_token: str | None) -> bool:
    """The form must echo the cookie's token, and the token must carry our signature."""
    if not cookie_token or not form_token:
        return False
    if not hmac.compare_digest(cookie_token, form_token):  # constant-time comparison
        return False
    nonce, _, signature = cookie_token.partition(".")
    return hmac.compare_digest(signature, _sign(secret, nonce))


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


# --8<-- [end:csrf]
