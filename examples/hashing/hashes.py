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
import unicodedata


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
N, R, P, KEY_BYTES, SALT_BYTES = 2**17, 8, 1, 32, 16
MAX_MEMORY = 256 * 1024 * 1024  # the most one hash may take; raise it together with N


def scrypt_memory(n: int, r: int, p: int) -> int:
    """The bytes OpenSSL's scrypt asks for: 128·r·N for V plus 128·r·p for B and two blocks
    more. hashlib refuses to start when this exceeds `maxmem` (default 32 MiB)."""
    return 128 * r * (n + p + 2)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not (2**14 <= n and 1 <= r <= 32 and 1 <= p <= 4 and scrypt_memory(n, r, p) <= MAX_MEMORY):
        raise ValueError("scrypt parameters too weak to trust or needing too much memory")
    # RFC 7914 section 2: N is a power of 2 and N < 2^(128·r/8); OpenSSL refuses anything else.
    if n & (n - 1) or n >= 2 ** (16 * r):
        raise ValueError("scrypt N must be a power of 2 below 2^(16·r) (RFC 7914)")
    # NFC, as the bookstore does: "é" typed as one code point or as "e" + U+0301 is one password
    # (skills/web-security.md explains why it is NFC and not NIST's NFKC).
    # A lone surrogate cannot be encoded: UnicodeEncodeError, a ValueError.
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=scrypt_memory(n, r, p))


# --8<-- [end:scrypt]


# --8<-- [start:scrypt_store]
def hash_password(password: str, n: int = N, r: int = R, p: int = P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)  # a new salt per password: equal ones hash apart
    key = _scrypt(password, salt, n, r, p)
    encode = base64.b64encode
    return f"scrypt${n}${r}${p}${encode(salt).decode()}${encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True only for the right password; a damaged or foreign string, or none, is False."""
    if not isinstance(password, str) or not isinstance(stored, str):
        return False  # e.g. a NULL hash column for an account that signs in through SSO
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        salt_bytes = base64.b64decode(salt, validate=True)
        expected = base64.b64decode(key, validate=True)
        if scheme != "scrypt" or len(salt_bytes) < SALT_BYTES or len(expected) != KEY_BYTES:
            return False  # a 1-byte key matches 1 password in 256; no salt: precomputed tables
        actual = _scrypt(password, salt_bytes, int(n), int(r), int(p))
    except ValueError:  # field count, not a number, not Base64, bad parameters or text
        return False
    return hmac.compare_digest(actual, expected)  # the time taken does not reveal the match
# --8<-- [end:scrypt_store]
