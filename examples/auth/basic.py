"""Basic authentication (RFC 7617) against a bcrypt credential store.

Every malformed header becomes `BasicAuthError` with a reason the client can read, so the
route answers 401 and never 500. The store keeps only bcrypt hashes and checks unknown users
against a dummy hash, so the response time does not say which user names exist.
"""

from __future__ import annotations

import binascii
import unicodedata
from base64 import b64decode
from dataclasses import dataclass, field

import bcrypt
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

REALM = "reports"
CHALLENGE = f'Basic realm="{REALM}", charset="UTF-8"'
BCRYPT_MAX_BYTES = 72
MIN_CHARS = 15  # NIST SP 800-63B-4 §3.1.1.2: SHALL for a password used as the only factor


class BasicAuthError(Exception):
    """Why the credentials were refused; the text goes into the 401 problem details."""


class PasswordTooLong(ValueError):
    """bcrypt reads at most 72 bytes; refuse at enrollment instead of truncating."""


class PasswordTooShort(ValueError):
    """Shorter than NIST's minimum for a password that is the only factor."""


# --8<-- [start:naive_basic]
def parse_basic_naive(header: str) -> tuple[str, str]:
    """DO NOT USE: every malformed header raises an unexpected error, which becomes a 500."""
    user_id, password = b64decode(header.split(" ")[1]).decode().split(":")
    return user_id, password
# --8<-- [end:naive_basic]


# --8<-- [start:parse_basic]
MAX_HEADER = 4096  # a credential longer than this is not a user name and a password


def parse_basic(header: str | None) -> tuple[str, str]:
    """Return (user_id, password) from an Authorization header, or raise BasicAuthError."""
    if not header:
        raise BasicAuthError("missing Authorization header")
    if len(header) > MAX_HEADER:
        raise BasicAuthError("Authorization header too long")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":  # the scheme name is case-insensitive (RFC 9110 §11.1)
        raise BasicAuthError("scheme is not Basic")
    try:
        raw = b64decode(token.strip(), validate=True)  # validate: no silently dropped junk
    except (binascii.Error, ValueError):
        raise BasicAuthError("credentials are not valid base64") from None
    try:
        text = raw.decode("utf-8")  # the charset="UTF-8" the challenge announces
    except UnicodeDecodeError:
        raise BasicAuthError("credentials are not UTF-8") from None
    text = unicodedata.normalize("NFC", text)  # what charset="UTF-8" asks for (§2.1)
    user_id, colon, password = text.partition(":")  # the first colon splits (RFC 7617 §2)
    if not colon:
        raise BasicAuthError("credentials have no colon between user and password")
    # Cc: C0, DEL and C1 controls (RFC 7617 §2, PRECIS via §2.1); Zl/Zp: U+2028, U+2029
    if not user_id or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        raise BasicAuthError("empty user id or control characters in credentials")
    return user_id, password
# --8<-- [end:parse_basic]


# --8<-- [start:bcrypt_store]
def nfc(text: str) -> str:  # the same text in one form, whichever way the client typed it
    return unicodedata.normalize("NFC", text)


@dataclass
class BcryptStore:
    rounds: int = 12  # cost factor: 2**12 rounds of the key schedule; OWASP's floor is 10
    hashes: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Unknown users are checked against this hash so that they cost the same time.
        self._dummy = bcrypt.hashpw(b"dummy password", bcrypt.gensalt(self.rounds))

    def enroll(self, user_id: str, password: str) -> None:
        user_id, password = nfc(user_id), nfc(password)
        if not user_id or ":" in user_id or any(  # the same rule as parse_basic
                unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in user_id + password):
            raise ValueError("a Basic header cannot carry an empty user id, a colon in the "
                             "user id or control characters (RFC 7617 §2)")
        if len(password) < MIN_CHARS:
            raise PasswordTooShort(f"password has {len(password)} characters; "
                                   f"the minimum is {MIN_CHARS}")
        secret = password.encode("utf-8")
        if len(secret) > BCRYPT_MAX_BYTES:
            raise PasswordTooLong(f"password is {len(secret)} bytes in UTF-8; "
                                  f"bcrypt reads at most {BCRYPT_MAX_BYTES}")
        self.hashes[user_id] = bcrypt.hashpw(secret, bcrypt.gensalt(self.rounds))

    def verify(self, user_id: str, password: str) -> bool:
        user_id = nfc(user_id)  # parse_basic does this too; other callers may not
        secret = nfc(password).encode("utf-8", "surrogatepass")
        stored = self.hashes.get(user_id, self._dummy)
        if len(secret) > BCRYPT_MAX_BYTES:  # bcrypt 5 raises ValueError here: never a 500
            secret = b""  # still run one bcrypt check, then refuse
            bcrypt.checkpw(secret, stored)
            return False
        ok = bcrypt.checkpw(secret, stored)  # compares in constant time
        return ok and user_id in self.hashes
# --8<-- [end:bcrypt_store]


# --8<-- [start:basic_app]
def create_app(store: BcryptStore) -> FastAPI:
    app = FastAPI()

    def unauthorized(reason: str) -> JSONResponse:
        return JSONResponse(
            {"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": reason},
            status_code=401, media_type="application/problem+json",
            headers={"WWW-Authenticate": CHALLENGE},
        )

    @app.exception_handler(BasicAuthError)
    async def refused(request: Request, exc: BasicAuthError) -> JSONResponse:
        return unauthorized(str(exc))

    def basic_user(request: Request) -> str:
        user_id, password = parse_basic(request.headers.get("authorization"))
        if not store.verify(user_id, password):
            raise BasicAuthError("wrong user id or password")
        return user_id

    @app.get("/reports/daily")
    def daily_report(user: str = Depends(basic_user)) -> dict[str, str]:
        return {"user": user, "report": "sales of 2026-12-06"}

    return app
# --8<-- [end:basic_app]
