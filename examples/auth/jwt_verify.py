"""Verifying a JWT access token as RFC 8725 asks, with PyJWT.

The verifier decides everything the token must not decide: the algorithm (RS256 only), the key
(looked up by `kid` in keys it already holds), the issuer and the audience, and which claims
must be present. A hand-written verifier that trusts the header sits in jwt_naive.py, only so
that the tests can show the attacks it lets through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey


class TokenRejected(Exception):
    """Why a token was refused; becomes a 401 with WWW-Authenticate: Bearer error="invalid_token"."""


# --8<-- [start:verify_jwt]
@dataclass(frozen=True)
class JwtPolicy:
    issuer: str                        # who may issue tokens for us
    audience: str                      # this API's own identifier
    keys: Mapping[str, RSAPublicKey]   # kid -> public key, from the issuer's JWKS
    leeway_seconds: int = 30           # clock skew between issuer and us, not more
    is_revoked: Callable[[str], bool] = lambda jti: False


ALGORITHMS = ["RS256"]  # pinned here, never read from the token (RFC 8725 §3.1)
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti"]


def verify_access_token(token: str, policy: JwtPolicy) -> dict:
    try:
        header = jwt.get_unverified_header(token)  # only to pick the key, nothing else
    except jwt.PyJWTError:
        raise TokenRejected("token is not a JWT") from None
    kid = header.get("kid")
    key = policy.keys.get(kid) if isinstance(kid, str) else None
    if key is None:  # unknown kid: refresh the JWKS on a schedule, never from the token
        raise TokenRejected("unknown signing key (kid)")
    try:
        claims = jwt.decode(
            token, key, algorithms=ALGORITHMS,
            issuer=policy.issuer, audience=policy.audience,
            leeway=policy.leeway_seconds,
            options={"require": REQUIRED},  # exp and nbf are checked when present
        )
    except jwt.PyJWTError as exc:  # bad signature, alg, key, exp, nbf, iss, aud...
        raise TokenRejected(f"invalid token: {exc}") from None
    if policy.is_revoked(claims["jti"]):
        raise TokenRejected("token was revoked")
    return claims
# --8<-- [end:verify_jwt]
