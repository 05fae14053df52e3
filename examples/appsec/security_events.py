"""Security events in the log, named with the OWASP Logging Vocabulary so that alerts can
key on a fixed set of names (authn_login_fail, authz_fail, ...).

Written here because the vocabulary is a naming convention, not a library; the JSON
formatting itself is the bookstore's (bookstore/observability/logging.py).
"""

from __future__ import annotations

import logging

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
SECRETS = {"password", "token", "authorization", "cookie", "secret", "api_key"}


def security_event(logger: logging.Logger, name: str, *details: object, **fields) -> None:
    """security_event(log, "authz_fail", user_id, "order:7", source_ip="203.0.113.9")
    logs the event "authz_fail:12,order:7" with its fields; secrets never reach the log."""
    if name not in VOCABULARY:
        raise ValueError(f"not a known security event: {name}")  # alerts rely on the names
    event = name + (":" + ",".join(_clean(d) for d in details) if details else "")
    safe = {
        key: "[REDACTED]" if key.lower() in SECRETS else _clean(value)
        for key, value in fields.items()
    }
    logger.log(VOCABULARY[name], event, extra={"event": event, **safe})


def _clean(value: object) -> str:
    """No line breaks from user input: a forged second log line is log injection (CWE-117)."""
    return str(value).replace("\r", "\\r").replace("\n", "\\n")[:200]


# --8<-- [end:security_events]
