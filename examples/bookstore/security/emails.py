"""E-mail addresses as account names: the address as checked, and a key to compare it by."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email


# --8<-- [start:normalize_email]
def normalize_email(value: str) -> str:
    """The address we store, show and send mail to, in the form email-validator returns.

    email-validator checks the syntax (RFC 5321/6531), refuses control, bidirectional and
    other invisible characters (NUL, ESC, U+202E ...) and returns the local part in Unicode
    NFC as typed, and the domain in lower case, processed by IDNA2008: "Bücher.DE" and
    "xn--bcher-kva.de" both become "bücher.de", while "straße.de" keeps its ß, because
    it is another domain than "strasse.de".
    """
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:  # its messages name characters as U+0000, never raw
        raise ValueError(f"not a usable e-mail address: {exc}") from None


def email_key(address: str) -> str:
    """What two sign-ups compare by (users.email_key, UNIQUE), for an address that
    normalize_email returned: "Ana@X.io" and "ana@x.io" are one account.

    Only the local part changes, with str.lower(): capitals become small letters, and no
    letter becomes other letters. casefold() would turn "straße" into "strasse", which a
    mail server may deliver to someone else. After NFC, lower() turns no non-ASCII letter
    into an ASCII one (the Kelvin sign, which it would turn into "k", is already "K"), so
    no lookalike address reaches an ASCII account. The domain stays as email-validator
    returned it: in lower case already, and one that differs in one letter is another's.
    """
    local, _, domain = address.rpartition("@")
    return unicodedata.normalize("NFC", local.lower()) + "@" + domain


# --8<-- [end:normalize_email]
