"""CSRF protection for HTML forms: a token per page, bound to the session (the synchronizer
token pattern of the OWASP CSRF Prevention Cheat Sheet), kept without server-side state: an
HMAC over a random value, the time and the session id, keyed with the server's secret,
replaces the copy a stateful server would keep in the session. A forged form on another site
cannot read the page to copy the token; a real token attackers asked for themselves is signed
for their session, not the victim's; the time in it and the record of used tokens mean a
captured token cannot be replayed. Every page has its own token, so two open tabs each keep
a valid form (a token copied into a cookie would be overwritten by the second tab)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading

SESSION_COOKIE = "session"  # a random id per browser; a site with logins uses its login session
CSRF_TOKEN_SECONDS = 3600  # a form older than an hour must be loaded again
_TOKEN = re.compile(r"([A-Za-z0-9_-]{43})\.([0-9]{1,12})\.([0-9a-f]{64})")


# --8<-- [start:csrf]
def issue_csrf_token(secret: str, session_id: str, now: float) -> str:
    """ "<nonce>.<issued at>.<signature>": a random value, the time, and an HMAC of both
    with the session id, so the token only works in this session and for an hour."""
    nonce, issued = secrets.token_urlsafe(32), str(int(now))
    return f"{nonce}.{issued}.{_sign(secret, session_id, nonce, issued)}"


def csrf_token_is_valid(secret: str, token: str | None, session_id: str, now: float) -> bool:
    """The form's token must have our signature for this session and be under an hour old."""
    # A strict ASCII pattern first: it refuses junk cheaply, and compare_digest (below)
    # raises TypeError for a str with non-ASCII characters, which a client could send.
    parts = _TOKEN.fullmatch(token or "")
    if parts is None or not 0 <= now - int(parts[2]) <= CSRF_TOKEN_SECONDS:
        return False
    expected = _sign(secret, session_id, parts[1], parts[2])
    return hmac.compare_digest(parts[3].encode(), expected.encode())  # constant time


def _sign(secret: str, *fields: str) -> str:
    # Each field prefixed with its length: "ab" + "c" never signs the same bytes as "a" + "bc".
    message = "".join(f"{len(field)}!{field}!" for field in fields)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# --8<-- [end:csrf]


# --8<-- [start:used_tokens]
class UsedTokens:
    """Tokens already used, each kept until it would have expired anyway: a token works
    once. Memory is bounded by time, not count: it holds the last hour of form posts, so
    bound the rate of posts as well (with nginx's limit_req, for example)."""

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
