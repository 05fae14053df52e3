"""Verifying a JWT access token as RFC 8725 asks, with PyJWT.

The verifier decides everything the token must not decide: the algorithm (RS256 only), the key
(looked up by `kid` in keys it already holds), the issuer and the audience, and which claims
must be present. A hand-written verifier that trusts the header sits in jwt_naive.py, only so
that the tests can show the attacks it lets through.
"""

from __future__ import annotations

import math
import threading
import time
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
    if key is None:  # JwksKeys has already tried the configured jwks_uri (once per cooldown)
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

    PyJWKClient fetches and parses the JWKS (http(s) only, no redirects). The caching is ours:
    PyJWKClient 2.15 starts its refetch cooldown only after a *successful* fetch and holds a
    lock while it fetches, so an issuer that fails or hangs would let made-up kids hammer it
    and hold up every token.
    """

    def __init__(self, jwks_uri: str, cooldown_seconds: float = 30, max_age_seconds: float = 300,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = jwt.PyJWKClient(jwks_uri, cache_jwk_set=False, timeout=2)
        self.cooldown, self.max_age, self.clock = cooldown_seconds, max_age_seconds, clock
        self.keys: dict[str, RSAPublicKey] = {}
        self.fetched_at = self.tried_at = -math.inf
        self.lock = threading.Lock()

    def get(self, kid: str) -> RSAPublicKey | None:
        if kid not in self.keys or self._stale():  # unknown kid: the issuer may have rotated
            self._refresh()                         # (OpenID Connect Core §10.1.1)
        return None if self._stale() else self.keys.get(kid)  # issuer down too long: refuse

    def _stale(self) -> bool:
        return self.clock() - self.fetched_at > self.max_age

    def _refresh(self) -> None:
        with self.lock:  # only the check; the fetch itself runs outside the lock
            if self.clock() - self.tried_at < self.cooldown:
                return
            self.tried_at = self.clock()  # every attempt starts the cooldown, worked or not
        try:
            jwk_set = self.client.get_jwk_set(refresh=True)
        except (jwt.PyJWTError, ValueError, RecursionError):  # down, HTML, no usable key,
            return                                            # deeply nested JSON...
        self.keys = {k.key_id: k.key for k in jwk_set.keys  # RS256 needs an RSA signing key
                     if k.key_id and k.public_key_use in ("sig", None)
                     and isinstance(k.key, RSAPublicKey)}
        self.fetched_at = self.clock()
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
