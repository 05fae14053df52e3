"""DO NOT USE. A JWT verifier that lets the token's header choose the algorithm.

It exists so that tests/examples/test_auth.py can show the two attacks of RFC 8725 §2.1 working
against it and failing against jwt_verify.verify_access_token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import urlsafe_b64decode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def _b64(part: str) -> bytes:
    return urlsafe_b64decode(part + "=" * (-len(part) % 4))


# --8<-- [start:naive_jwt]
def verify_naive(token: str, public_key_pem: bytes) -> dict:
    head, body, sig = token.split(".")
    alg = json.loads(_b64(head))["alg"]           # the attacker picks the algorithm
    signed = f"{head}.{body}".encode()
    if alg == "none":                             # "no signature" accepted as valid
        pass
    elif alg == "HS256":                          # public key used as an HMAC secret
        expected = hmac.new(public_key_pem, signed, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64(sig)):
            raise ValueError("bad signature")
    elif alg == "RS256":
        key = serialization.load_pem_public_key(public_key_pem)
        key.verify(_b64(sig), signed, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ValueError("unsupported alg")
    return json.loads(_b64(body))                 # and no exp, iss or aud check at all
# --8<-- [end:naive_jwt]
