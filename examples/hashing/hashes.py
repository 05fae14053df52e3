"""Hash functions for what they are good at, and a slow, memory-hard one for passwords
(the Hash Functions page).

MD5 and SHA-256 are fast on purpose: good for checksums, cache keys and signatures (HMAC), fatal for
passwords, where speed helps the attacker. scrypt (RFC 7914) is slow and needs memory on purpose.
The bookstore itself hashes passwords with Argon2id (bookstore/security/passwords.py); scrypt is
here because Python's standard library has it, and many existing systems use it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


# --8<-- [start:checksums]
def md5_checksum(data: bytes) -> str:
    """A fingerprint to spot changed or duplicate files, never a security check: MD5 collisions
    can be made on purpose (RFC 6151). usedforsecurity=False says so, and keeps it working on
    systems that switch MD5 off for security use (FIPS mode)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def differing_bits(a: bytes, b: bytes) -> int:
    """How many of the digests' bits differ (the avalanche effect: about half of them)."""
    x = int.from_bytes(hashlib.sha256(a).digest(), "big")
    y = int.from_bytes(hashlib.sha256(b).digest(), "big")
    return (x ^ y).bit_count()
# --8<-- [end:checksums]


# --8<-- [start:scrypt]
# OWASP Password Storage Cheat Sheet: N = 2**17, r = 8, p = 1. Memory per guess: 128 * N * r
# bytes = 128 MiB (RFC 7914), which is what makes a GPU full of guesses expensive.
N, R, P, KEY_BYTES = 2**17, 8, 1, 32
MAX_MEMORY = 256 * 1024 * 1024  # hashlib refuses above its 32 MiB default otherwise


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)  # a new salt per password: equal passwords, different hashes
    key = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES,
                         maxmem=MAX_MEMORY)
    encode = base64.b64encode
    return f"scrypt${N}${R}${P}${encode(salt).decode()}${encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True only for the right password; a damaged or foreign string is simply False."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        n, r, p = int(n), int(r), int(p)
        if scheme != "scrypt" or not (2**14 <= n <= 2**20 and 1 <= r <= 16 and 1 <= p <= 4):
            return False  # refuse parameters too weak to trust or too costly to compute
        expected = base64.b64decode(key, validate=True)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt, validate=True),
                                n=n, r=r, p=p, dklen=len(expected), maxmem=MAX_MEMORY)
    except ValueError:  # wrong field count, not a number, not Base64, n not a power of two
        return False
    return hmac.compare_digest(actual, expected)  # the time taken does not reveal the match
# --8<-- [end:scrypt]
