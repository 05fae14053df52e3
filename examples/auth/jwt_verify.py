"""Verifying a JWT access token as RFC 8725 asks, with PyJWT.

The verifier decides everything the token must not decide: the algorithm (RS256 only), the key
(looked up by `kid` in keys it already holds), the issuer and the audience, and which claims
must be present. A hand-written verifier that trusts the header sits in jwt_naive.py, only so
that the tests can show the attacks it lets through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse


class TokenRejected(Exception):
    """Why a token was refused; create_api answers 401 with Bearer error="invalid_token"."""


class KeySource(Protocol):  # a plain dict {kid: key}, or JwksKeys below
    def get(self, kid: str) -> RSAPublicKey | None: ...


# --8<-- [start:verify_jwt]
@dataclass(frozen=True)
class JwtPolicy:
    issuer: str                        # who may issue tokens for us
    audience: str                      # this API's own identifier
    keys: KeySource                    # kid -> public key, from the issuer's JWKS
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
    if key is None:  # JwksKeys has already re-fetched the configured jwks_uri once
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


# --8<-- [start:jwks_keys]
class JwksKeys:
    """Keys from the issuer's jwks_uri, fixed in configuration and never taken from the token.

    PyJWKClient caches the JWKS; on an unknown kid it fetches it again, as OpenID Connect Core
    §10.1.1 expects after a rotation, but at most once per cooldown, so tokens with made-up kids
    cannot make this API hammer the issuer.
    """

    def __init__(self, jwks_uri: str, cooldown_seconds: float = 30) -> None:
        self.client = jwt.PyJWKClient(jwks_uri, cooldown_duration=cooldown_seconds, timeout=5)

    def get(self, kid: str) -> RSAPublicKey | None:
        try:
            key = self.client.get_signing_key(kid).key
        except jwt.PyJWKClientError:  # kid still unknown, or the issuer is unreachable
            return None
        return key if isinstance(key, RSAPublicKey) else None  # RS256 needs an RSA key
# --8<-- [end:jwks_keys]


# --8<-- [start:bearer_api]
def create_api(policy: JwtPolicy) -> FastAPI:
    app = FastAPI()

    def unauthorized(detail: str, challenge: str) -> JSONResponse:
        return JSONResponse(
            {"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": detail},
            status_code=401, media_type="application/problem+json",
            headers={"WWW-Authenticate": challenge},
        )

    @app.exception_handler(TokenRejected)
    async def rejected(request: Request, exc: TokenRejected) -> JSONResponse:
        return unauthorized(str(exc), 'Bearer realm="api", error="invalid_token"')

    class NoToken(Exception):
        pass

    @app.exception_handler(NoToken)  # no credentials at all: no error code (RFC 6750 §3.1)
    async def no_token(request: Request, exc: NoToken) -> JSONResponse:
        return unauthorized("missing bearer token", 'Bearer realm="api"')

    def token_subject(request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NoToken
        return verify_access_token(token.strip(), policy)["sub"]

    @app.get("/me")
    def me(sub: str = Depends(token_subject)) -> dict[str, str]:
        return {"sub": sub}

    return app
# --8<-- [end:bearer_api]
