"""Web protocols samples: a hand-written HTTP/1.1 exchange against a real server on
127.0.0.1, PKCE against the RFC 7636 test vector, and a CORS policy in a browser's shoes."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from support import skip_or_fail
from web_protocols import raw_http
from web_protocols.cors import FRONT_END, create_api
from web_protocols.pkce import code_challenge_s256, make_code_verifier, make_state
from web_protocols.raw_http import main, raw_get, split_response

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RECORDED = EXAMPLES / "web_protocols" / "output" / "books_1.txt"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # http.server answers HTTP/1.0 unless told otherwise

    def do_GET(self):
        body = json.dumps({"path": self.path, "host": self.headers["Host"]}).encode()
        self.send_response(200 if self.path in ("/health", "/twice", "/cookies") else 404)
        self.send_header("Content-Type", "application/json")
        if self.path == "/twice":  # one field sent as two lines
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Cache-Control", "private")
        if self.path == "/cookies":  # two cookies; a date inside one has a comma
            self.send_header("Set-Cookie", "a=1; Expires=Wed, 09 Jun 2027 10:18:14 GMT")
            self.send_header("Set-Cookie", "b=2")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


class IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def serve(server_class, address):
    httpd = server_class(address, Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    return httpd


@pytest.fixture
def server():
    httpd = serve(ThreadingHTTPServer, ("127.0.0.1", 0))
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


def test_a_repeated_field_keeps_every_line(server):
    # Regression: the second Cache-Control line replaced the first. A recipient may join
    # the lines of one field with ", " (RFC 9110, 5.3), which gives "no-cache, private".
    _, headers, _ = split_response(raw_get("127.0.0.1", server, "/twice"))
    assert headers.get_all("cache-control") == ["no-cache", "private"]


def test_set_cookie_lines_stay_apart(server):
    # Regression: Set-Cookie lines were joined with ", " like other fields, which turned
    # two cookies into "a=1; Expires=Wed, 09 Jun 2027 10:18:14 GMT, b=2": Set-Cookie is the
    # exception to combining (RFC 9110, 5.3), because a cookie's date holds a comma.
    _, headers, _ = split_response(raw_get("127.0.0.1", server, "/cookies"))
    assert headers.get_all("set-cookie") == ["a=1; Expires=Wed, 09 Jun 2027 10:18:14 GMT", "b=2"]


@pytest.fixture
def trickle():
    """A server that answers one byte at a time, 20 ms apart, then closes (60 bytes)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer():
        try:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + b"x" * 30:
                    conn.sendall(bytes([byte]))
                    time.sleep(0.02)
        except OSError:  # the client gave up and closed: that is the point
            pass

    listener.settimeout(30)  # never wait forever for a client that does not come

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join()


def test_the_timeout_bounds_the_whole_answer_not_each_read(trickle, monkeypatch):
    # Regression: the timeout applied to each recv(), so a server sending one byte at a
    # time kept the client waiting for as long as it liked. The clock is fake: it moves a
    # second at every look, so the 2-second deadline passes after two reads.
    clock = iter(range(1_000))
    monkeypatch.setattr(raw_http, "monotonic", lambda: next(clock), raising=False)
    with pytest.raises(TimeoutError, match="no complete answer within 2.0 s"):
        raw_get("127.0.0.1", trickle, "/", timeout=2.0)


@pytest.fixture
def big_answer():
    """A server whose answer is 100 bytes of head and 5,000 bytes of body."""
    body = b"x" * 5_000
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n".encode()
    head += b"X-Pad: " + b"p" * (100 - len(head) - 11) + b"\r\n\r\n"  # 100 bytes in all
    listener, done = socket.create_server(("127.0.0.1", 0)), threading.Event()
    listener.settimeout(0.1)  # look at `done` ten times a second

    def answer():
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(4096)
                try:
                    conn.sendall(head + body)
                except OSError:  # the client stopped reading: that is the point
                    pass

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield listener.getsockname()[1], len(head) + len(body)
    done.set()
    thread.join()
    listener.close()


def test_an_answer_over_the_size_limit_is_an_error_not_cut_short(big_answer, monkeypatch):
    # Regression: raw_get stopped reading at MAX_RESPONSE_BYTES and returned the first part
    # as if it were the whole answer, with no sign that the rest was missing.
    port, size = big_answer
    monkeypatch.setattr(raw_http, "MAX_RESPONSE_BYTES", size)
    assert len(raw_get("127.0.0.1", port, "/")) == size  # exactly at the limit: all of it
    monkeypatch.setattr(raw_http, "MAX_RESPONSE_BYTES", size - 1)
    with pytest.raises(raw_http.ResponseTooLarge, match=f"more than {size - 1} bytes"):
        raw_get("127.0.0.1", port, "/")


def test_the_command_line_explains_an_answer_too_large(big_answer, monkeypatch, capsys):
    port, size = big_answer
    monkeypatch.setattr(raw_http, "MAX_RESPONSE_BYTES", size - 1)
    assert main(["127.0.0.1", str(port), "/"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"raw_http: 127.0.0.1:{port}: the answer is more than ")
    assert "fix:" in error and "Traceback" not in error


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("127.0.0.1", "/x HTTP/1.1\r\nX-Injected: yes"),  # CR LF: a second header line
        ("127.0.0.1", "/buku ñ"),  # a space and a non-ASCII letter
        ("127.0.0.1", "no-slash"),
        ("evil.example\r\nX-Injected: yes", "/"),
    ],
)
def test_request_line_injection_is_refused_before_sending(host, path):
    # Regression: the path and host went into the request unchecked, so a CR LF in them
    # added header lines of the caller's choosing.
    with pytest.raises(ValueError, match="not valid"):
        raw_get(host, 80, path)


def test_an_ipv6_host_is_written_in_brackets():
    try:
        httpd = serve(IPv6Server, ("::1", 0))
    except OSError:  # pragma: no cover - depends on the machine
        pytest.skip("no IPv6 loopback (::1) on this machine")
    try:
        _, _, body = split_response(raw_get("::1", httpd.server_address[1], "/health"))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert json.loads(body)["host"] == f"[::1]:{httpd.server_address[1]}"  # RFC 9112, 3.2


def test_the_command_line_explains_a_refused_connection(free_port, capsys):
    assert main(["127.0.0.1", str(free_port), "/"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"raw_http: 127.0.0.1:{free_port}: ") and "fix:" in error
    assert main(["127.0.0.1", "8001", "no-slash"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_recorded_exchange_matches_a_live_bookstore(tmp_path, free_port):
    """The answer the page shows (web_protocols/output/books_1.txt) is what
    `python -m bookstore` sends today, line for line; only the date and the request id
    change from run to run."""
    env = {**os.environ, "BOOKSTORE_PORT": str(free_port)}
    env["BOOKSTORE_DATABASE"] = str(tmp_path / "raw.db")
    server = subprocess.Popen(
        [sys.executable, "-m", "bookstore"],
        cwd=EXAMPLES,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{free_port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        live = raw_get("127.0.0.1", free_port, "/api/v1/books/1").decode().replace("\r\n", "\n")
    finally:
        server.terminate()
        server.wait(timeout=20)

    def comparable(text: str) -> list[str]:
        varying = re.compile(r"^(date|x-request-id): .*$")
        return [varying.sub(r"\1: ...", line) for line in text.strip().split("\n")]

    assert comparable(live) == comparable(RECORDED.read_text(encoding="utf-8"))


TLS_RECORDED = EXAMPLES / "web_protocols" / "output" / "tls_h2.txt"


def test_https_through_nginx_is_tls_1_3_h2_and_hsts(tmp_path):
    """What the page's curl transcript (web_protocols/output/tls_h2.txt) shows, live: nginx
    with deploy/nginx.conf in front of `python -m bookstore` negotiates TLS 1.3 and, through
    ALPN, HTTP/2, and its answer carries HSTS; the answer's fields are the recorded ones."""
    from test_deploy import INSTALL_NGINX, NGINX, Stack

    if NGINX is None or shutil.which("curl") is None:
        skip_or_fail(INSTALL_NGINX + "; curl missing: install Debian package curl")
    stack = Stack(tmp_path)
    try:
        stack.start_nginx(stack.instance())
        host = f"bookstore.example:{stack.https_port}"
        command = ["curl", "-v", "--http2", "--cacert", "cert.pem", "--no-progress-meter"]
        command += [
            "--resolve",
            f"{host}:127.0.0.1",
            "-o",
            "/dev/null",
            f"https://{host}/api/v1/books/1",
        ]
        result = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
        )
    finally:
        stack.close()

    def answer_fields(transcript: str) -> list[str]:
        varying = re.compile(r"^< (date|x-request-id): .*$")
        lines = [line.rstrip() for line in transcript.splitlines() if line.startswith("< ")]
        return [varying.sub(r"< \1: ...", line) for line in lines]

    live = result.stderr
    assert "* SSL connection using TLSv1.3" in live
    assert "* ALPN: server accepted h2" in live
    assert "< strict-transport-security: max-age=63072000; includeSubDomains" in live
    assert answer_fields(live) == answer_fields(TLS_RECORDED.read_text(encoding="utf-8"))


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


def test_answers_vary_by_origin_so_caches_keep_them_apart():
    # The answer depends on the Origin header, so it says so: a shared cache must not hand
    # the front end's copy (with Allow-Origin) to a request from another origin.
    client = TestClient(create_api())
    answer = client.get("/api/v1/books", headers={"Origin": FRONT_END})
    assert answer.headers["Access-Control-Allow-Origin"] == FRONT_END
    assert "Origin" in answer.headers["Vary"]
    refused = client.options(
        "/api/v1/books", headers={"Origin": FRONT_END, "Access-Control-Request-Method": "DELETE"}
    )
    assert refused.status_code == 400  # a method not listed in allow_methods


def test_a_header_section_no_client_should_accept_is_a_value_error():
    # http.client stops at 100 fields; the caller gets a ValueError, not http.client's own type.
    flood = b"HTTP/1.1 200 OK\r\n" + b"X-Filler: 1\r\n" * 101 + b"\r\n"
    with pytest.raises(ValueError, match="not a header section"):
        split_response(flood)
