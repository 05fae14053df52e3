"""Security events in the log, named with the OWASP Logging Vocabulary so that alerts can
key on a fixed set of names (authn_login_fail, authz_fail, ...).

Written here because the vocabulary is a naming convention, not a library; the JSON
formatting itself is the bookstore's (bookstore/observability/logging.py).
"""

from __future__ import annotations

import logging
import re

# --8<-- [start:security_events]
# A few names from the OWASP Logging Vocabulary Cheat Sheet, with its suggested levels.
VOCABULARY = {
    "authn_login_success": logging.INFO,
    "authn_login_fail": logging.WARNING,
    "authn_login_fail_max": logging.WARNING,
    "authz_fail": logging.CRITICAL,
    "excess_rate_limit_exceeded": logging.WARNING,
    "input_validation_fail": logging.WARNING,
}
# A field whose name contains one of these is never written: new_password, session_token...
_SECRET = re.compile(r"passw|secret|token|session|cookie|authorization|api_?key", re.IGNORECASE)
# Line breaks of every kind (CWE-117), other control characters such as the ESC of terminal
# escape sequences, and the bidirectional overrides that make a line read backwards.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def security_event(logger: logging.Logger, name: str, *details: object, **fields) -> None:
    """security_event(log, "authz_fail", user_id, "order:7", source_ip="203.0.113.9")
    logs the event "authz_fail:12,order:7" with its fields; secrets never reach the log."""
    if name not in VOCABULARY:
        raise ValueError(f"not a known security event: {name}")  # alerts rely on the names
    event = name + (":" + ",".join(_clean(d) for d in details) if details else "")
    safe = {
        key: "[REDACTED]" if _SECRET.search(key) else _clean(value) for key, value in fields.items()
    }
    logger.log(VOCABULARY[name], event, extra={"event": event, **safe})


def _clean(value: object) -> str:
    """User input written as visible escapes ("\\n", "\\x1b"), at most 200 characters:
    it can neither start a forged log line nor restyle the terminal that shows the log."""
    return _UNSAFE.sub(lambda m: m[0].encode("unicode_escape").decode(), str(value))[:200]


# --8<-- [end:security_events]
