"""HTTP authentication schemes (examples/auth/): each test proves what the HTTP Authentication
Schemes page says about Basic with bcrypt, JWT verification and SAML assertion checks."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import threading
import time
from base64 import b64encode, urlsafe_b64encode
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import bcrypt
import jwt
import pytest
from auth.basic import (
    BasicAuthError,
    BcryptStore,
    PasswordTooLong,
    PasswordTooShort,
    create_app,
    parse_basic,
    parse_basic_naive,
)
from auth.jwt_naive import verify_naive
from auth.jwt_verify import JwksKeys, JwtPolicy, TokenRejected, create_api, verify_access_token
from auth.saml import (
    NS,
    SamlRejected,
    ServiceProvider,
    check_assertion,
    signed_assertion,
    user_naive,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod

DSIG = "http://www.w3.org/2000/09/xmldsig#"
AUTH = Path(__file__).resolve().parents[2] / "examples" / "auth"


def basic(raw: bytes) -> str:
    return "Basic " + b64encode(raw).decode()


@pytest.fixture(scope="module")
def client() -> TestClient:
    store = BcryptStore(rounds=4)  # the lowest cost keeps the tests fast; production uses 12
    store.enroll("ana", "kata-sandi-panjang-sekali")
    return TestClient(create_app(store))


# --8<-- [start:basic_tests]
def test_the_right_password_gets_the_report(client):
    r = client.get("/reports/daily", headers={"Authorization": basic(b"ana:kata-sandi-panjang-sekali")})
    assert r.status_code == 200 and r.json()["user"] == "ana"


@pytest.mark.parametrize(("header", "reason"), [
    (None, "missing Authorization header"),
    ("Bearer abc", "scheme is not Basic"),
    ("Basic ***", "credentials are not valid base64"),
    (basic(b"ana"), "credentials have no colon between user and password"),
    (basic(b"\xffana:x"), "credentials are not UTF-8"),
    (basic(b"ana:x\x00"), "empty user id or control characters in credentials"),
    (basic("ana:x\x85\u2028".encode()), "empty user id or control characters in credentials"),
    (basic(b"ana:wrong password"), "wrong user id or password"),
    (basic(b"budi:kata-sandi-panjang-sekali"), "wrong user id or password"),
    (basic(b"ana:" + b"x" * 73), "wrong user id or password"),  # bcrypt 5 would raise
])
def test_bad_credentials_get_a_401_with_the_reason_never_a_500(client, header, reason):
    headers = {"Authorization": header} if header else {}
    r = client.get("/reports/daily", headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == 'Basic realm="reports", charset="UTF-8"'
    assert r.json()["detail"] == reason
# --8<-- [end:basic_tests]


@pytest.mark.parametrize("header", ["Basic ***", basic(b"ana"), basic(b"\xffana:x")])
def test_the_naive_parser_crashes_where_parse_basic_answers(header):
    with pytest.raises((ValueError, UnicodeDecodeError)):  # a 500 in a real app
        parse_basic_naive(header)
    with pytest.raises(BasicAuthError):
        parse_basic(header)


def test_a_decomposed_accent_matches_the_composed_one():
    store = BcryptStore(rounds=4)
    store.enroll("ana", "kafe-bandung-caf\u00e9")                  # é as one code point (NFC)
    user, password = parse_basic(basic("ana:kafe-bandung-cafe\u0301".encode()))  # e + accent
    assert store.verify(user, password)


def test_a_user_id_enrolled_with_a_decomposed_accent_can_sign_in():
    store = BcryptStore(rounds=4)
    store.enroll("cafe\u0301", "kata-sandi-panjang-sekali")       # e + accent at enrollment
    for typed in ("caf\u00e9", "cafe\u0301"):                     # either form at sign-in  # codespell:ignore
        user, password = parse_basic(basic(f"{typed}:kata-sandi-panjang-sekali".encode()))
        assert store.verify(user, password)
    assert store.verify("cafe\u0301", "kata-sandi-panjang-sekali")  # verify alone normalizes


def test_the_output_shown_on_the_page():
    store = BcryptStore(rounds=4)
    store.enroll("laporan", "Kopi-Tubruk-2026")
    app = TestClient(create_app(store))
    assert basic(b"laporan:Kopi-Tubruk-2026") == "Basic bGFwb3JhbjpLb3BpLVR1YnJ1ay0yMDI2"
    ok = app.get("/reports/daily", headers={"Authorization": basic(b"laporan:Kopi-Tubruk-2026")})
    assert ok.status_code == 200 and ok.headers["content-type"] == "application/json"
    assert ok.text == '{"user":"laporan","report":"sales of 2026-12-06"}'
    bad = app.get("/reports/daily", headers={"Authorization": "Basic bGFwb3Jhbg=="})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == 'Basic realm="reports", charset="UTF-8"'
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.text == ('{"type":"about:blank","title":"Unauthorized","status":401,'
                        '"detail":"credentials have no colon between user and password"}')


def test_a_password_may_contain_colons_and_non_ascii():
    assert parse_basic(basic("ana:a:b:ü".encode())) == ("ana", "a:b:ü")
    assert parse_basic("basic " + b64encode(b"ana:x").decode()) == ("ana", "x")


# --8<-- [start:bcrypt_tests]
def test_bcrypt_refuses_more_than_72_bytes_instead_of_truncating():
    store = BcryptStore(rounds=4)
    with pytest.raises(PasswordTooLong, match="73 bytes"):
        store.enroll("ana", "x" * 73)
    store.enroll("ana", "é" * 36)  # 36 characters, 72 bytes in UTF-8: the longest allowed
    assert store.verify("ana", "é" * 36) and not store.verify("ana", "é" * 35)
    with pytest.raises(ValueError, match="72 bytes"):  # what bcrypt 5.0 itself does
        bcrypt.checkpw(b"x" * 73, store.hashes["ana"])


def test_a_password_shorter_than_nists_minimum_is_refused():
    store = BcryptStore(rounds=4)
    with pytest.raises(PasswordTooShort, match="14 characters"):
        store.enroll("ana", "x" * 14)
    store.enroll("ana", "x" * 15)  # NIST SP 800-63B-4: at least 15 for a single factor


@pytest.mark.parametrize(("user_id", "password"), [
    ("a:b", "kata-sandi-panjang-sekali"),     # parse_basic would split at that colon
    ("", "kata-sandi-panjang-sekali"),        # RFC 7617 §2: no empty user id
    ("ana\n", "kata-sandi-panjang-sekali"),   # control characters in either field
    ("ana", "x\x00kata-sandi-panjang-sekali"),
    ("ana", "kata-sandi-panjang\u2028sekali"),
])
def test_enroll_refuses_what_no_basic_header_can_carry(user_id, password):
    store = BcryptStore(rounds=4)
    with pytest.raises(ValueError, match="Basic"):
        store.enroll(user_id, password)
    assert store.hashes == {}


def test_the_cost_factor_is_stored_in_the_hash():
    store = BcryptStore(rounds=5)
    store.enroll("ana", "kata-sandi-panjang-sekali")
    assert store.hashes["ana"].startswith(b"$2b$05$")  # version, cost, then salt and hash
# --8<-- [end:bcrypt_tests]


# ----------------------------------------------------------------------------------- JWT
ISSUER, AUDIENCE = "https://auth.toko.example", "https://api.toko.example"


@pytest.fixture(scope="module")
def rsa_keys():
    return {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
            for kid in ("2026-11", "2026-12")}


@pytest.fixture
def policy(rsa_keys):
    return JwtPolicy(issuer=ISSUER, audience=AUDIENCE,
                     keys={kid: k.public_key() for kid, k in rsa_keys.items()})


def claims(**changes) -> dict:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-17", "jti": "t-1",
            "iat": now, "exp": now + 300}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign(rsa_keys, kid="2026-12", **changes) -> str:
    return jwt.encode(claims(**changes), rsa_keys[kid], algorithm="RS256", headers={"kid": kid})


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict, body: dict, secret: bytes | None) -> str:
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(body).encode())}"
    if secret is None:
        return signing_input + "."
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


# --8<-- [start:jwt_attack_tests]
def test_alg_none_and_hs256_with_the_public_key_fool_the_naive_verifier(rsa_keys):
    pem = rsa_keys["2026-12"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    admin = claims(sub="admin")
    none_token = forge({"alg": "none", "kid": "2026-12"}, admin, secret=None)
    hs256_token = forge({"alg": "HS256", "kid": "2026-12"}, admin, secret=pem)
    assert verify_naive(none_token, pem)["sub"] == "admin"     # attack works
    assert verify_naive(hs256_token, pem)["sub"] == "admin"    # attack works


def test_the_pinned_verifier_rejects_both_forgeries(rsa_keys, policy):
    pem = rsa_keys["2026-12"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for token in (forge({"alg": "none", "kid": "2026-12"}, claims(), secret=None),
                  forge({"alg": "HS256", "kid": "2026-12"}, claims(), secret=pem)):
        with pytest.raises(TokenRejected, match="alg"):
            verify_access_token(token, policy)
# --8<-- [end:jwt_attack_tests]


# --8<-- [start:jwt_claim_tests]
def test_a_good_token_from_either_current_key_is_accepted(rsa_keys, policy):
    for kid in ("2026-11", "2026-12"):  # key rotation: old and new key overlap
        assert verify_access_token(sign(rsa_keys, kid), policy)["sub"] == "user-17"


@pytest.mark.parametrize(("changes", "reason"), [
    ({"exp": int(time.time()) - 31}, "Signature has expired"),  # past the 30 s leeway
    ({"nbf": int(time.time()) + 120}, "not yet valid"),
    ({"aud": "https://other.example"}, "Audience doesn.t match"),
    ({"iss": "https://evil.example"}, "Invalid issuer"),
    ({"jti": None}, 'missing the "jti" claim'),
])
def test_wrong_claims_are_rejected(rsa_keys, policy, changes, reason):
    with pytest.raises(TokenRejected, match=reason):
        verify_access_token(sign(rsa_keys, **changes), policy)


def test_a_token_expired_within_the_leeway_still_passes(rsa_keys, policy):
    five_seconds_ago = int(time.time()) - 5
    assert verify_access_token(sign(rsa_keys, exp=five_seconds_ago), policy)


def test_unknown_kid_and_revoked_jti_are_rejected(rsa_keys, policy):
    rotated_out = JwtPolicy(ISSUER, AUDIENCE, keys={"2026-12": rsa_keys["2026-12"].public_key()})
    with pytest.raises(TokenRejected, match="kid"):
        verify_access_token(sign(rsa_keys, "2026-11"), rotated_out)
    revoked = JwtPolicy(ISSUER, AUDIENCE, policy.keys, is_revoked=lambda jti: jti == "t-1")
    with pytest.raises(TokenRejected, match="revoked"):
        verify_access_token(sign(rsa_keys), revoked)
# --8<-- [end:jwt_claim_tests]


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "x" * 5000, "..", "e30.e30.", None])
def test_garbage_is_a_rejection_not_a_crash(policy, token):
    with pytest.raises(TokenRejected):
        verify_access_token(token, policy)


def test_a_token_signed_by_another_key_with_a_known_kid_is_rejected(rsa_keys, policy):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": "2026-12"})
    with pytest.raises(TokenRejected, match="Signature verification failed"):
        verify_access_token(token, policy)


def test_pyjwt_with_a_wrong_algorithm_list_fails_differently_per_key_type(rsa_keys, policy):
    public = rsa_keys["2026-12"].public_key()
    pem = public.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    token = forge({"alg": "HS256", "kid": "2026-12"}, claims(sub="admin"), secret=pem)
    with pytest.raises(jwt.InvalidKeyError):  # PEM text: PyJWT refuses it as an HMAC secret
        jwt.decode(token, pem, algorithms=["RS256", "HS256"])
    with pytest.raises(TypeError):  # a key object: not a PyJWTError, so a 500 if not caught
        jwt.decode(token, public, algorithms=["RS256", "HS256"])
    r = TestClient(create_api(policy)).get("/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401  # pinned to RS256, the same token is a plain rejection


# --8<-- [start:bearer_tests]
def test_the_bearer_api_answers_401_with_the_rfc_6750_challenge(rsa_keys, policy):
    api = TestClient(create_api(policy))
    good = api.get("/me", headers={"Authorization": f"Bearer {sign(rsa_keys)}"})
    assert good.status_code == 200 and good.json() == {"sub": "user-17"}
    for headers in ({}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer "}):
        r = api.get("/me", headers=headers)  # no token at all: a challenge without an error
        assert r.status_code == 401 and r.headers["www-authenticate"] == 'Bearer realm="api"'
    expired = sign(rsa_keys, exp=int(time.time()) - 60)
    r = api.get("/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer realm="api", error="invalid_token"'
    assert r.headers["content-type"] == "application/problem+json"
    assert "expired" in r.json()["detail"]
# --8<-- [end:bearer_tests]


class Jwks:
    """A JWKS endpoint on a free local port that records every path it is asked for.

    Set `body` to serve raw bytes instead of the keys, `status` to answer with another status
    code, or `hang` to make each request wait until `release` is set (an issuer that hangs).
    """

    def __init__(self):
        self.keys, self.paths = {}, []
        self.body: bytes | None = None
        self.status = 200
        self.hang = False
        self.asked, self.release = threading.Event(), threading.Event()
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                jwks.paths.append(self.path)
                jwks.asked.set()
                if jwks.hang:
                    jwks.release.wait(timeout=30)  # the test sets it; 30 s only stops a leak
                body = jwks.body if jwks.body is not None else json.dumps({"keys": [
                    {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k)), "kid": kid, "use": "sig"}
                    for kid, k in jwks.keys.items()]}).encode()
                self.send_response(jwks.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{self.base}/jwks.json"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture
def jwks():
    endpoint = Jwks()
    yield endpoint
    endpoint.release.set()
    endpoint.server.shutdown()
    endpoint.server.server_close()


# --8<-- [start:jwks_tests]
def test_an_unknown_kid_refetches_the_jwks_once_so_rotation_just_works(rsa_keys, jwks):
    jwks.keys = {"2026-11": rsa_keys["2026-11"].public_key()}
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url, cooldown_seconds=0))
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)
    jwks.keys["2026-12"] = rsa_keys["2026-12"].public_key()  # the issuer rotates
    assert verify_access_token(sign(rsa_keys, "2026-12"), policy)  # fetched again, accepted
    assert jwks.paths == ["/jwks.json", "/jwks.json"]


def test_made_up_kids_and_a_jku_header_do_not_make_us_fetch_anything(rsa_keys, jwks):
    jwks.keys = {"2026-11": rsa_keys["2026-11"].public_key()}
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url, cooldown_seconds=3600))
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for n in range(5):
        token = jwt.encode(claims(), attacker, algorithm="RS256",
                           headers={"kid": f"made-up-{n}", "jku": f"{jwks.base}/evil.json"})
        with pytest.raises(TokenRejected, match="kid"):
            verify_access_token(token, policy)
    assert jwks.paths == ["/jwks.json"]  # no re-fetch within the cooldown, jku never opened
# --8<-- [end:jwks_tests]


class Clock:
    """A monotonic clock the test moves by hand, so that no test sleeps through a cooldown."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def made_up_kid_token(rsa_keys, n: int) -> str:  # which key signs it does not matter
    return jwt.encode(claims(), rsa_keys["2026-12"], algorithm="RS256",
                      headers={"kid": f"made-up-{n}"})


@pytest.mark.parametrize("body", [
    b"<html>502 Bad Gateway</html>",            # a proxy's error page: JSONDecodeError
    b'{"keys": []}',                            # PyJWKSetError: no keys
    b'{"keys": [{"kty": "zzz", "kid": "k1"}]}',  # PyJWKSetError: no usable key
    b'{"keys": 5}',                             # PyJWKSetError: not a list
    b'{"keys": "x"}',
    b"[" * 100_000,                             # RecursionError in the JSON parser
    b"[]",                                      # a JSON list, not an object
])
def test_a_broken_jwks_response_is_a_401_never_a_500(rsa_keys, jwks, body):
    jwks.body = body
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url))
    with pytest.raises(TokenRejected, match="kid"):
        verify_access_token(sign(rsa_keys), policy)
    api = TestClient(create_api(policy), raise_server_exceptions=False)
    r = api.get("/me", headers={"Authorization": f"Bearer {sign(rsa_keys)}"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer realm="api", error="invalid_token"'


def test_while_the_issuer_fails_made_up_kids_cause_one_fetch_per_cooldown(rsa_keys, jwks):
    jwks.keys = {"2026-11": rsa_keys["2026-11"].public_key()}
    clock = Clock()
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url, cooldown_seconds=30, clock=clock))
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)   # fetch 1, succeeds
    jwks.status = 500                                                # the issuer breaks
    clock.now += 31                                                  # the cooldown has passed
    for n in range(5):
        with pytest.raises(TokenRejected, match="kid"):
            verify_access_token(made_up_kid_token(rsa_keys, n), policy)
    assert len(jwks.paths) == 2      # one failed attempt; it starts the cooldown too
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)   # known keys still work
    clock.now += 31
    with pytest.raises(TokenRejected, match="kid"):
        verify_access_token(made_up_kid_token(rsa_keys, 5), policy)
    assert len(jwks.paths) == 3      # the next cooldown allows the next attempt


def test_an_issuer_failing_from_the_start_is_asked_once_per_cooldown(rsa_keys, jwks):
    jwks.status = 500
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url, cooldown_seconds=3600))
    for n in range(5):
        with pytest.raises(TokenRejected, match="kid"):
            verify_access_token(made_up_kid_token(rsa_keys, n), policy)
    assert jwks.paths == ["/jwks.json"]  # not one fetch per token


def test_a_hanging_issuer_does_not_hold_up_a_token_with_a_known_kid(rsa_keys, jwks):
    jwks.keys = {"2026-11": rsa_keys["2026-11"].public_key()}
    policy = JwtPolicy(ISSUER, AUDIENCE, keys=JwksKeys(jwks.url, cooldown_seconds=0))
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)
    jwks.hang, jwks.asked = True, threading.Event()
    stuck = threading.Thread(target=policy.keys.get, args=("made-up-0",), daemon=True)
    stuck.start()
    assert jwks.asked.wait(timeout=30)            # the refetch for the made-up kid now hangs
    assert verify_access_token(sign(rsa_keys, "2026-11"), policy)["sub"] == "user-17"
    assert stuck.is_alive()                       # answered while that fetch still hangs
    jwks.release.set()
    stuck.join(timeout=30)
    assert len(jwks.paths) == 2


def test_the_jwks_fetch_timeout_is_short():
    assert JwksKeys("https://auth.toko.example/jwks.json").client.timeout <= 2


# ---------------------------------------------------------------------------------- SAML
NOW = datetime(2026, 12, 7, 2, 0, 30, tzinfo=UTC)  # 30 s after the IdP issued it


@pytest.fixture(scope="module")
def idp():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.kantor.example")])
    today = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(today - timedelta(days=1)).not_valid_after(today + timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


def signed_response(idp, edit=None) -> etree._Element:
    """The Response of saml_response.xml with its Assertion signed by the IdP's key."""
    key, cert = idp
    response = etree.parse(str(AUTH / "saml_response.xml")).getroot()
    assertion = response.find("saml:Assertion", NS)
    if edit:
        edit(assertion)
    signed = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
                       ).sign(assertion, key=key, cert=cert, reference_uri="_a91c")
    response.replace(assertion, signed)
    return response


def post(response: etree._Element) -> str:
    return b64encode(etree.tostring(response)).decode()


@pytest.fixture
def sp(idp):
    return ServiceProvider(entity_id="https://toko.example/saml",
                           acs_url="https://toko.example/saml/acs",
                           idp_entity_id="https://idp.kantor.example", idp_cert_pem=idp[1])


def login(sp, form_value: str, now=NOW, request_id="_req42") -> str:
    return check_assertion(sp, signed_assertion(sp, form_value), request_id, now)


# --8<-- [start:saml_tests]
def test_a_valid_response_logs_the_user_in_once(idp, sp):
    form_value = post(signed_response(idp))
    assert login(sp, form_value) == "ana@kantor.example"
    with pytest.raises(SamlRejected, match="replayed"):
        login(sp, form_value)


def test_signature_wrapping_fools_the_naive_sp_but_not_ours(idp, sp):
    response = signed_response(idp)
    evil = copy.deepcopy(response.find("saml:Assertion", NS))
    evil.remove(evil.find("{http://www.w3.org/2000/09/xmldsig#}Signature"))
    evil.set("ID", "_evil")
    evil.find("saml:Subject/saml:NameID", NS).text = "admin@kantor.example"
    response.insert(2, evil)  # unsigned copy first, the signed original after it
    assert user_naive(post(response), sp.idp_cert_pem) == "admin@kantor.example"
    assert login(sp, post(response)) == "ana@kantor.example"  # what was signed


def test_an_edited_assertion_fails_the_signature(idp, sp):
    response = signed_response(idp)
    response.find("saml:Assertion/saml:Subject/saml:NameID", NS).text = "admin@kantor.example"
    with pytest.raises(SamlRejected, match="signature check failed"):
        signed_assertion(sp, post(response))


@pytest.mark.parametrize(("now", "request_id", "reason"), [
    (NOW + timedelta(minutes=6), "_req42", "expired"),         # NotOnOrAfter 02:05:05
    (NOW - timedelta(minutes=2), "_req42", "not yet valid"),   # NotBefore 01:59:35
    (NOW, "_req99", "InResponseTo"),                           # we never asked for this
])
def test_time_and_request_checks(idp, sp, now, request_id, reason):
    with pytest.raises(SamlRejected, match=reason):
        login(sp, post(signed_response(idp)), now=now, request_id=request_id)
# --8<-- [end:saml_tests]


def _nested_in_advice(response):
    original = response.find("saml:Assertion", NS)
    evil = _evil_copy(original)
    etree.SubElement(evil, f"{{{NS['saml']}}}Advice").append(original)  # moves the original
    response.append(evil)


def _same_id_first(response):
    evil = _evil_copy(response.find("saml:Assertion", NS))
    evil.set("ID", "_a91c")
    response.insert(2, evil)


def _signature_stripped(response):
    assertion = response.find("saml:Assertion", NS)
    assertion.remove(assertion.find(f"{{{DSIG}}}Signature"))
    assertion.find("saml:Subject/saml:NameID", NS).text = "admin@kantor.example"


def _evil_copy(assertion):
    evil = copy.deepcopy(assertion)
    evil.remove(evil.find(f"{{{DSIG}}}Signature"))
    evil.set("ID", "_evil")
    evil.find("saml:Subject/saml:NameID", NS).text = "admin@kantor.example"
    return evil


@pytest.mark.parametrize("attack", [_nested_in_advice, _same_id_first, _signature_stripped])
def test_other_wrapping_variants_and_a_stripped_signature_are_rejected(idp, sp, attack):
    response = signed_response(idp)
    attack(response)
    with pytest.raises(SamlRejected, match="signature check failed"):
        signed_assertion(sp, post(response))


def test_an_assertion_for_another_sp_is_rejected_even_when_signed(idp, sp):
    def other_audience(assertion):
        assertion.find("saml:Conditions/saml:AudienceRestriction/saml:Audience", NS).text = \
            "https://other.example/saml"
    with pytest.raises(SamlRejected, match="Audience"):
        login(sp, post(signed_response(idp, other_audience)))


def test_a_signature_by_another_key_is_rejected(idp, sp):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SamlRejected, match="signature check failed"):
        signed_assertion(sp, post(signed_response((stranger, idp[1]))))


def test_a_timestamp_without_zone_is_a_rejection_not_a_crash(idp, sp):
    def local_time(assertion):
        assertion.find("saml:Conditions", NS).set("NotOnOrAfter", "2026-12-07T09:05:05")
    with pytest.raises(SamlRejected, match="without time zone"):
        login(sp, post(signed_response(idp, local_time)))


def test_a_line_wrapped_saml_response_is_accepted(idp, sp):
    value = post(signed_response(idp))
    wrapped = "\r\n".join(value[i:i + 76] for i in range(0, len(value), 76))
    assert login(sp, wrapped) == "ana@kantor.example"  # SAML Bindings §3.5.4 allows it
    with pytest.raises(SamlRejected, match="not base64"):
        signed_assertion(sp, value[:76] + "*" + value[76:])  # other junk is still refused


@pytest.mark.parametrize("request_id", [None, ""])
def test_an_unsolicited_response_is_refused_when_we_sent_no_request(idp, sp, request_id):
    def idp_initiated(assertion):  # no InResponseTo: the IdP sent it without our AuthnRequest
        del assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData",
                           NS).attrib["InResponseTo"]
    with pytest.raises(SamlRejected, match="InResponseTo"):
        login(sp, post(signed_response(idp, idp_initiated)), request_id=request_id)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+07:00"])
def test_an_extreme_signed_timestamp_is_a_rejection_not_a_crash(idp, sp, value):
    def far_future(assertion):
        assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData",
                       NS).set("NotOnOrAfter", value)
    with pytest.raises(SamlRejected, match="out of range"):
        login(sp, post(signed_response(idp, far_future)))


def test_a_response_signed_only_at_the_top_level_is_refused(idp, sp):
    key, cert = idp
    response = etree.parse(str(AUTH / "saml_response.xml")).getroot()
    assertion = response.find("saml:Assertion", NS)
    assertion.remove(assertion.find(f"{{{DSIG}}}Signature"))  # the IdP signs only the Response
    signed = XMLSigner(c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
                       ).sign(response, key=key, cert=cert, reference_uri="_r7f3a")
    with pytest.raises(SamlRejected, match="Expected to find XML element Signature"):
        signed_assertion(sp, post(signed))  # valid signature, but not on the Assertion


def test_a_document_with_a_dtd_is_refused_for_its_dtd(sp):
    xxe = b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    with pytest.raises(SamlRejected, match="DTD"):
        signed_assertion(sp, b64encode(xxe).decode())


@pytest.mark.parametrize("value", ["***", b64encode(b"<not xml").decode(),
                                   b64encode(b"<samlp:Response/>").decode(), "A" * 300_000,
                                   b64encode(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                             b"<a>&x;</a>").decode()])
def test_hostile_input_is_a_rejection_not_a_crash(sp, value):
    with pytest.raises(SamlRejected):
        signed_assertion(sp, value)


def test_the_cost_table_prints_one_row_per_cost(capsys):
    from auth.bcrypt_cost import main
    main(range(4, 6))
    rows = capsys.readouterr().out.splitlines()
    assert [r.split(":")[0] for r in rows] == ["cost  4", "cost  5"]

