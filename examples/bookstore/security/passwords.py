"""Password hashing with Argon2id (argon2-cffi), the first choice of the OWASP
Password Storage Cheat Sheet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

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


# --8<-- [start:hashing_slots]
class HashingBusy(Exception):
    """Every hashing slot is taken; the API answers 503 with Retry-After."""


class HashingSlots:
    """At most `limit` password hashes at once. Each Argon2id hash holds 64 MiB while it
    runs, so 40 sign-ups at once would need 2.5 GiB; with 2 slots they need 128 MiB, and
    the requests that find no free slot are refused at once instead of queueing."""

    def __init__(self, limit: int) -> None:
        self._free = threading.BoundedSemaphore(limit)

    @contextmanager
    def take(self) -> Iterator[None]:
        if not self._free.acquire(blocking=False):  # never wait: a queue holds memory too
            raise HashingBusy("Too many password checks at once; try again in a second.")
        try:
            yield
        finally:
            self._free.release()


# --8<-- [end:hashing_slots]
