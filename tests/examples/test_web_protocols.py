"""Web protocols samples: a hand-written HTTP/1.1 exchange against a real server on
127.0.0.1, PKCE against the RFC 7636 test vector, and a CORS policy in a browser's shoes."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from web_protocols.cors import FRONT_END, create_api
from web_protocols.pkce import code_challenge_s256, make_code_verifier, make_state
from web_protocols.raw_http import raw_get, split_response


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # http.server answers HTTP/1.0 unless told otherwise

    def do_GET(self):
        body = json.dumps({"path": self.path, "host": self.headers["Host"]}).encode()
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


# --8<-- [start:raw_http_test]
def test_a_hand_written_request_gets_a_real_http_response(server):
    raw = raw_get("127.0.0.1", server, "/health")
    status_line, headers, body = split_response(raw)

    assert status_line.startswith("HTTP/1.1 200")  # version, status code, reason
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)  # the body's size, in bytes
    assert json.loads(body) == {"path": "/health", "host": f"127.0.0.1:{server}"}


# --8<-- [end:raw_http_test]


def test_status_codes_come_through(server):
    status_line, _, _ = split_response(raw_get("127.0.0.1", server, "/nope"))
    assert status_line.startswith("HTTP/1.1 404")


# --8<-- [start:pkce_test]
def test_s256_challenge_matches_rfc_7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # the RFC's own example
    assert code_challenge_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_verifiers_are_fresh_and_well_formed():
    verifiers = {make_code_verifier() for _ in range(100)}
    assert len(verifiers) == 100  # never reused
    for verifier in verifiers:
        assert re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", verifier)
    assert make_state() != make_state()


# --8<-- [end:pkce_test]


# --8<-- [start:cors_test]
def test_preflight_from_the_front_end_is_allowed():
    client = TestClient(create_api())
    preflight = client.options(
        "/api/v1/books",
        headers={
            "Origin": FRONT_END,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == FRONT_END
    assert preflight.headers["Access-Control-Max-Age"] == "600"


def test_other_origins_get_no_permission_to_read():
    client = TestClient(create_api())
    evil = "https://evil.example"
    preflight = client.options(
        "/api/v1/books",
        headers={"Origin": evil, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400  # the browser will not send the POST
    simple = client.get("/api/v1/books", headers={"Origin": evil})
    assert simple.status_code == 200  # the server still answers: CORS is not access control
    assert "Access-Control-Allow-Origin" not in simple.headers  # the browser hides it


# --8<-- [end:cors_test]
