"""Password hashing with Argon2id (argon2-cffi), the first choice of the OWASP
Password Storage Cheat Sheet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


# --8<-- [start:password_hashing]
def make_hasher() -> PasswordHasher:
    # argon2-cffi's defaults are Argon2id with RFC 9106's low-memory profile
    # (t=3, m=64 MiB, p=4); a random salt is generated for every hash.
    return PasswordHasher()


def hash_password(hasher: PasswordHasher, password: str) -> str:
    return hasher.hash(password)  # "$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>"


def verify_password(
    hasher: PasswordHasher, stored_hash: str, password: str
) -> tuple[bool, str | None]:
    """(matches, new_hash). new_hash is set when the stored hash used older, weaker
    parameters: the caller saves it, so hashes get stronger as users log in."""
    try:
        hasher.verify(stored_hash, password)  # constant-time comparison inside
    except (VerificationError, InvalidHashError):
        return False, None
    if hasher.check_needs_rehash(stored_hash):
        return True, hasher.hash(password)
    return True, None


# --8<-- [end:password_hashing]
