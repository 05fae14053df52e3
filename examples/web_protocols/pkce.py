"""PKCE (RFC 7636): the values a client makes for the OAuth 2.0 authorization code flow.

Use your OAuth/OpenID Connect library in a real project: it also handles `state`, `nonce`,
redirects, token validation and refresh. These few lines show what that library computes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets


# --8<-- [start:pkce]
def make_code_verifier() -> str:
    """A fresh high-entropy secret per login: 32 random bytes -> 43 URL-safe characters
    (RFC 7636 §4.1 allows 43-128 characters of [A-Z a-z 0-9 - . _ ~])."""
    return secrets.token_urlsafe(32)


def code_challenge_s256(verifier: str) -> str:
    """BASE64URL(SHA-256(verifier)) without "=" padding (RFC 7636 §4.2, method S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_state() -> str:
    """An unguessable value tied to the user's session, checked on the redirect back
    (protects the redirect against CSRF, RFC 6749 §10.12)."""
    return secrets.token_urlsafe(16)


# --8<-- [end:pkce]
