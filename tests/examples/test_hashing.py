"""Hash function samples (examples/hashing/hashes.py): each test proves what the Hash Functions
page says about MD5, SHA-256 and scrypt."""

from __future__ import annotations

import pytest
from hashing.hashes import (
    differing_bits,
    hash_password,
    md5_checksum,
    sha256_hex,
    verify_password,
)


# --8<-- [start:checksums_test]
def test_digests_have_a_fixed_length_and_known_values():
    assert md5_checksum(b"") == "d41d8cd98f00b204e9800998ecf8427e"  # RFC 1321, A.5
    assert sha256_hex(b"abc") == ("ba7816bf8f01cfea414140de5dae2223"
                                  "b00361a396177a9cb410ff61f20015ad")  # FIPS 180-2, B.1
    assert len(md5_checksum(b"x" * 1_000_000)) == 32 and len(sha256_hex(b"")) == 64


def test_one_changed_letter_changes_about_half_the_bits():
    changed = differing_bits(b"Laskar Pelangi", b"Laskar pelangi")
    assert 96 <= changed <= 160  # of 256; the exact count is fixed for these inputs
# --8<-- [end:checksums_test]


# --8<-- [start:scrypt_test]
def test_a_scrypt_hash_verifies_only_its_own_password():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapler", stored)
    assert hash_password("correct horse battery staple") != stored  # a new salt each time


@pytest.mark.parametrize("stored", [
    "", "scrypt$131072$8$1$c2FsdA==", "md5$1$1$1$c2FsdA==$a2V5",
    "scrypt$1024$8$1$c2FsdA==$a2V5",  # too weak to trust
    "scrypt$131072$8$1$not base64!$a2V5", "scrypt$abc$8$1$c2FsdA==$a2V5",
])
def test_a_damaged_or_foreign_hash_is_false_not_an_exception(stored):
    assert verify_password("anything", stored) is False
# --8<-- [end:scrypt_test]
