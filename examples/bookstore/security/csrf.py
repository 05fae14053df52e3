"""CSRF protection for HTML forms: the signed double-submit cookie pattern (OWASP CSRF
Prevention Cheat Sheet). The same random token goes into a cookie and into a hidden form
field; a forged form on another site can send the cookie but cannot read it to copy it
into the form. The HMAC signature means only tokens this server issued are accepted;
binding it to the session means a real token planted by an attacker who can write cookies
for the domain (a sibling subdomain, plain HTTP) still fails in the victim's session; the
time in it and the record of used tokens mean a captured pair cannot be replayed."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading

CSRF_COOKIE = "csrf_token"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "session"  # a random id per browser; a site with logins uses its login session
CSRF_TOKEN_SECONDS = 3600  # a form older than an hour must be loaded again
_TOKEN = re.compile(r"([A-Za-z0-9_-]{43})\.([0-9]{1,12})\.([0-9a-f]{64})")


# --8<-- [start:csrf]
def issue_csrf_token(secret: str, session_id: str, now: float) -> str:
    """ "<nonce>.<issued at>.<signature>": a random value, the time, and an HMAC of both
    with the session id, so the token only works in this session and for an hour."""
    nonce, issued = secrets.token_urlsafe(32), str(int(now))
    return f"{nonce}.{issued}.{_sign(secret, session_id, nonce, issued)}"


def csrf_token_is_valid(
    secret: str, cookie_token: str | None, form_token: str | None, session_id: str, now: float
) -> bool:
    """The form must echo the cookie's token, and the token must carry our signature for
    this session and be less than an hour old."""
    if not cookie_token or not form_token:
        return False
    # Constant-time comparison, of bytes: compare_digest raises TypeError for a str with
    # non-ASCII characters, and both values come from the client.
    if not hmac.compare_digest(cookie_token.encode(), form_token.encode()):
        return False
    parts = _TOKEN.fullmatch(cookie_token)
    if parts is None or not 0 <= now - int(parts[2]) <= CSRF_TOKEN_SECONDS:
        return False
    return hmac.compare_digest(parts[3], _sign(secret, session_id, parts[1], parts[2]))


def _sign(secret: str, *fields: str) -> str:
    # Length-prefixed fields (as in OWASP's pseudo-code): "ab" + "c" never equals "a" + "bc".
    message = "".join(f"{len(field)}!{field}!" for field in fields)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# --8<-- [end:csrf]


# --8<-- [start:used_tokens]
class UsedTokens:
    """Tokens already used, each kept until it would have expired anyway: a token works
    once, and memory holds at most one hour of form posts."""

    def __init__(self, lifetime: float = CSRF_TOKEN_SECONDS) -> None:
        self._lifetime = lifetime
        self._expiry: dict[str, float] = {}  # token -> when it may be forgotten
        self._lock = threading.Lock()

    def first_use(self, token: str, now: float) -> bool:
        with self._lock:
            while self._expiry:  # oldest first: entries are added in time order
                oldest, expiry = next(iter(self._expiry.items()))
                if expiry > now:
                    break
                del self._expiry[oldest]
            if token in self._expiry:
                return False  # a replay
            self._expiry[token] = now + self._lifetime
            return True


# --8<-- [end:used_tokens]
