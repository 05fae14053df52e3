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
# The fields whose values may be written, each chosen on purpose; any other (pwd, otp, jwt,
# sid ...) is written as "[REDACTED]" until it is added here. Positional details are written
# as given, only escaped: pass IDs and object names, never secrets or e-mail addresses.
FIELDS = {"user_id", "source_ip", "method", "path", "status", "reason", "retry_after", "filename"}
# Line breaks of every kind (CWE-117), other control characters such as the ESC of terminal
# escape sequences, and the bidirectional overrides that make a line read backwards.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MAX_CHARS = 200


def security_event(logger: logging.Logger, name: str, *details: object, **fields) -> None:
    """security_event(log, "authz_fail", user_id, "order:7", source_ip="203.0.113.9")
    logs the event "authz_fail:12,order:7" and its fields, nested under "fields" so that
    no name (filename, level, request_id ...) can clash with the log record's own."""
    if name not in VOCABULARY:
        raise ValueError(f"not a known security event: {name}")  # alerts rely on the names
    event = name + (":" + ",".join(_clean(d) for d in details) if details else "")
    safe = {key: _clean(value) if key in FIELDS else "[REDACTED]" for key, value in fields.items()}
    logger.log(VOCABULARY[name], event, extra={"event": event, "fields": safe})


def _clean(value: object) -> str:
    """User input at most 200 characters long, cut before it is escaped (so no "\\x1b" is
    cut in half), with "…" when cut; then every unsafe character written as a visible
    escape ("\\n", "\\x1b"): it can neither start a forged line nor restyle a terminal."""
    text = str(value)
    cut = text[:_MAX_CHARS] + ("…" if len(text) > _MAX_CHARS else "")
    return _UNSAFE.sub(lambda m: m[0].encode("unicode_escape").decode(), cut)


# --8<-- [end:security_events]
