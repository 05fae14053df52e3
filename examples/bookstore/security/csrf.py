"""CSRF protection for HTML forms: a token per page, bound to the session (the synchronizer
token pattern of the OWASP CSRF Prevention Cheat Sheet), kept without server-side state: an
HMAC over a random value and the session id, keyed with the server's secret, replaces the
copy a stateful server would keep in the session (OWASP's "HMAC CSRF token"). A forged form
on another site cannot read the page to copy the token; a real token attackers asked for
themselves is signed for their session, not the victim's. Every page has its own token, so
two open tabs each keep a valid form (a token copied into a cookie would be overwritten by
the second tab). Like the session it is bound to, a token has no lifetime of its own and
may be used more than once: a CSRF token is not an access token."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SESSION_COOKIE = "session"  # a random id per browser; a site with logins uses its login session
_TOKEN = re.compile(r"([A-Za-z0-9_-]{43})\.([0-9a-f]{64})")


# --8<-- [start:csrf]
def issue_csrf_token(secret: str, session_id: str) -> str:
    """ "<nonce>.<signature>": a random value and an HMAC of it with the session id, so the
    token only works in this session."""
    nonce = secrets.token_urlsafe(32)
    return f"{nonce}.{_sign(secret, session_id, nonce)}"


def csrf_token_is_valid(secret: str, token: str | None, session_id: str) -> bool:
    """The form's token must carry our signature for this session."""
    # A strict ASCII pattern first: it refuses junk cheaply. compare_digest (below) gets
    # bytes: given a str with non-ASCII characters, which a client could send, it raises
    # TypeError (Python docs, hmac.compare_digest), so either guard alone avoids a 500.
    parts = _TOKEN.fullmatch(token or "")
    if parts is None or not session_id:  # no session, nothing a token could be bound to
        return False
    expected = _sign(secret, session_id, parts[1])
    return hmac.compare_digest(parts[2].encode(), expected.encode())  # constant time


def _sign(secret: str, *fields: str) -> str:
    # Each field prefixed with its length: "ab" + "c" never signs the same bytes as "a" + "bc".
    message = "".join(f"{len(field)}!{field}!" for field in fields)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# --8<-- [end:csrf]
