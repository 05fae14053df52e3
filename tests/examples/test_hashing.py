"""Hash function samples (examples/hashing/hashes.py): each test proves what the Hash Functions
page says about MD5, SHA-256 and scrypt."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hashing import hashes
from hashing.hashes import (
    differing_bits,
    hash_password,
    md5_checksum,
    scrypt_memory,
    sha256_hex,
    verify_password,
)


# --8<-- [start:checksums_test]
def test_digests_have_a_fixed_length_and_known_values():
    assert md5_checksum(b"") == "d41d8cd98f00b204e9800998ecf8427e"  # RFC 1321, A.5
    assert sha256_hex(b"abc") == ("ba7816bf8f01cfea414140de5dae2223"
                                  "b00361a396177a9cb410ff61f20015ad")  # NIST example
    assert len(md5_checksum(b"x" * 1_000_000)) == 32 and len(sha256_hex(b"")) == 64


def test_one_changed_letter_changes_about_half_the_bits():
    changed = differing_bits(b"Laskar Pelangi", b"Laskar pelangi")
    assert changed == 127  # of 256, on any machine: SHA-256 has no randomness
# --8<-- [end:checksums_test]


# --8<-- [start:scrypt_test]
def test_a_scrypt_hash_verifies_only_its_own_password():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapler", stored)
    assert hash_password("correct horse battery staple") != stored  # a new salt each time


def test_the_same_letters_typed_two_ways_are_the_same_password():
    stored = hash_password("Sé-7 rahasia")  # é as one code point, U+00E9 (NFC)
    assert verify_password("Se\u0301-7 rahasia", stored)  # e + combining acute (NFD)
    assert not verify_password("\ud800", stored)  # a lone surrogate: False, not an error
    with pytest.raises(ValueError):
        hash_password("\ud800")  # the API model refuses it first, with a 422


@pytest.mark.parametrize("stored", [
    "", "scrypt$131072$8$1$c2FsdA==", "md5$1$1$1$c2FsdA==$a2V5",
    "scrypt$1024$8$1$c2FsdA==$a2V5",  # too weak to trust
    "scrypt$131072$8$1$not base64!$a2V5", "scrypt$abc$8$1$c2FsdA==$a2V5",
    "scrypt$131072$8$1$$" + "A" * 43 + "=",  # no salt
    "scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$QQ==",  # a 1-byte key: 1 in 256 would match
    "scrypt$262144$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 43 + "=",  # above MAX_MEMORY
])
def test_a_damaged_or_foreign_hash_is_false_not_an_exception(stored):
    assert verify_password("anything", stored) is False
# --8<-- [end:scrypt_test]


@pytest.mark.parametrize("password, stored", [
    ("anything", None), ("anything", 5), (None, "scrypt$16384$8$1$c2FsdA==$a2V5"),
    (b"anything", "scrypt$16384$8$1$c2FsdA==$a2V5")])
def test_a_missing_hash_or_a_password_that_is_not_text_is_false(password, stored):
    # Regression: None.split raised AttributeError, a 500 for an SSO account with no hash.
    assert verify_password(password, stored) is False


def test_a_tampered_row_with_a_short_key_or_no_salt_never_verifies():
    def row(salt: bytes, dklen: int) -> str:  # what an attacker with write access could store
        key = hashlib.scrypt(b"anything", salt=salt, n=2**14, r=8, p=1, dklen=dklen)
        return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"

    assert verify_password("anything", row(b"\0" * 16, 32))  # a well-formed row verifies
    assert verify_password("anything", row(b"\0" * 16, 1)) is False  # 1-byte key
    assert verify_password("anything", row(b"", 32)) is False  # no salt


def test_parameters_up_to_the_memory_limit_hash_and_verify_and_beyond_it_refuse(monkeypatch):
    monkeypatch.setattr(hashes, "MAX_MEMORY", scrypt_memory(2**14, 8, 1))  # 16 MiB + 4 KiB
    stored = hash_password("rahasia", n=2**14)
    assert verify_password("rahasia", stored)  # the largest accepted parameters verify
    above = stored.replace("scrypt$16384$", "scrypt$32768$")
    assert verify_password("rahasia", above) is False
    with pytest.raises(ValueError, match="too much memory"):
        hash_password("rahasia", n=2**15)


@pytest.mark.parametrize("n, r, p", [(2**16, 1, 1), (2**15 + 1, 8, 1)])
def test_parameters_rfc_7914_forbids_are_refused_by_the_check_not_by_openssl(n, r, p):
    # RFC 7914 section 2: N is a power of 2 and N < 2^(128·r/8); the check says so itself.
    with pytest.raises(ValueError, match="RFC 7914"):
        hash_password("rahasia", n=n, r=r, p=p)
    salt = base64.b64encode(b"s" * 16).decode()
    assert verify_password("rahasia", f"scrypt${n}${r}${p}${salt}$" + "a2V5" * 11) is False
