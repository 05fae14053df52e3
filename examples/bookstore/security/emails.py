"""E-mail addresses as account names: one spelling per address, and nothing invisible."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email


# --8<-- [start:normalize_email]
def normalize_email(value: str) -> str:
    """The form we store and compare, so "Ana@X.io" and "ana@x.io" are one account.

    email-validator checks the syntax (RFC 5321/6531), refuses control, bidirectional and
    other invisible characters (NUL, ESC, U+202E ...) and returns the address in Unicode
    NFC with a lower-case domain. We then case-fold the whole address the way Unicode's
    canonical caseless matching does (NFD, case fold, then NFC to store it), so "É" and
    "é", or "café" typed as one code point or as "e" + U+0301, are the same letters.
    """
    try:
        address = validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:  # its messages name characters as U+0000, never raw
        raise ValueError(f"not a usable e-mail address: {exc}") from None
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", address).casefold())


# --8<-- [end:normalize_email]
