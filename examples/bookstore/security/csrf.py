"""CSRF protection for HTML forms: the signed double-submit cookie pattern (OWASP CSRF
Prevention Cheat Sheet). The same random token goes into a cookie and into a hidden form
field; a forged form on another site can send the cookie but cannot read it to copy it
into the form. The HMAC signature means only tokens this server issued are accepted, and
binding it to the login session means a real token planted by an attacker who can write
cookies for the domain (a sibling subdomain, plain HTTP) still fails for the victim."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CSRF_COOKIE = "csrf_token"
CSRF_FIELD = "csrf_token"


# --8<-- [start:csrf]
def issue_csrf_token(secret: str, session_id: str = "") -> str:
    """A random value and its HMAC signature: "<nonce>.<signature>".

    session_id: a value that changes with every login (for example the hash of the
    session token), so a token only works in the session it was issued for. Forms that
    visitors fill in without logging in, like the review form, have no session to bind."""
    nonce = secrets.token_urlsafe(32)
    return f"{nonce}.{_sign(secret, session_id, nonce)}"


def csrf_token_is_valid(
    secret: str, cookie_token: str | None, form_token: str | None, session_id: str = ""
) -> bool:
    """The form must echo the cookie's token, and the token must carry our signature
    for this session."""
    if not cookie_token or not form_token:
        return False
    if not hmac.compare_digest(cookie_token, form_token):  # constant-time comparison
        return False
    nonce, _, signature = cookie_token.partition(".")
    return hmac.compare_digest(signature, _sign(secret, session_id, nonce))


def _sign(secret: str, session_id: str, nonce: str) -> str:
    # Length-prefixed fields (as in OWASP's pseudo-code): "ab" + "c" never equals "a" + "bc".
    message = f"{len(session_id)}!{session_id}!{len(nonce)}!{nonce}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# --8<-- [end:csrf]
