"""examples/shell/request_timing.sh, the overview's curl timing of one request's steps: the
times come out in the page's order and only grow (curl counts each from the request's start),
TLS adds a step that plain HTTP does not have, bad input gets one line and exit 2, and a failed
request prints curl's error, never a line of zeros that looks like a measurement."""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import skip_or_fail
from test_deploy import self_signed_certificate

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "shell" / "request_timing.sh"
RECORDED = ROOT / "examples" / "shell" / "output" / "request_timing.txt"
LABELS = ["dns", "tcp", "tls", "first byte", "total"]


class Books(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the method name http.server looks for
        body = b'{"items": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


def serve(context: ssl.SSLContext | None = None) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Books)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_port() -> Iterator[int]:
    yield from serve()


@pytest.fixture
def https(tmp_path) -> Iterator[tuple[int, Path]]:
    cert, key = self_signed_certificate(tmp_path)  # for bookstore.example and 127.0.0.1
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    for port in serve(context):
        yield port, cert


def run(*args: str) -> subprocess.CompletedProcess:
    if shutil.which("curl") is None:
        skip_or_fail("curl missing: install Debian package curl")
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=30, check=False
    )


def times(stdout: str) -> dict[str, float]:
    found = dict(re.findall(r"^(dns|tcp|tls|first byte|total) +([0-9.]+)$", stdout, re.MULTILINE))
    assert list(found) == LABELS, stdout  # every step, in the order the page explains them
    return {label: float(value) for label, value in found.items()}


def test_https_times_are_cumulative_and_include_the_tls_handshake(https):
    port, cert = https
    result = run(
        f"https://bookstore.example:{port}/api/v1/books",
        "--cacert", str(cert), "--resolve", f"bookstore.example:{port}:127.0.0.1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seconds = times(result.stdout)
    values = [seconds[label] for label in LABELS]
    assert values == sorted(values)  # each time includes the steps before it
    assert seconds["tls"] > seconds["tcp"] > 0  # a TLS handshake happened after the TCP one
    assert re.search(r"^HTTP/1(\.[01])? 200$", result.stdout, re.MULTILINE)


def test_plain_http_has_no_tls_step(http_port):
    result = run(f"http://127.0.0.1:{http_port}/api/v1/books")
    assert result.returncode == 0, result.stderr
    seconds = times(result.stdout)
    assert seconds["tls"] == 0 and seconds["tcp"] > 0


def test_a_certificate_curl_cannot_verify_fails_the_run(https):
    port, _ = https  # no --cacert: the self-signed certificate is not trusted
    result = run(
        f"https://bookstore.example:{port}/", "--resolve", f"bookstore.example:{port}:127.0.0.1"
    )
    assert result.returncode == 60 and "curl: (60)" in result.stderr
    assert result.stdout == ""


def test_a_refused_connection_prints_curl_error_and_no_zeros():
    with socket.socket() as probe:  # a port nobody listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(f"http://127.0.0.1:{port}/")
    assert result.returncode == 7 and "curl: (7)" in result.stderr
    assert result.stdout == ""  # no "tcp 0.000000" that reads like a measurement


@pytest.mark.parametrize(
    "args",
    [
        [],
        [""],
        ["-v"],
        ["--write-out=x"],
        ["ftp://example.com/"],
        ["bookstore.example/api/v1/books"],
    ],
)
def test_bad_input_gets_one_line_and_exit_2(args):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert re.fullmatch(
        r'request_timing\.sh: ".*" is not an http\(s\) URL — fix: .+\n', result.stderr
    )


def test_the_recorded_output_is_what_the_script_prints_today():
    text = RECORDED.read_text(encoding="utf-8")
    assert re.match(r"# \d{4}-\d{2}-\d{2}, curl \d", text)  # the run is dated, with versions
    assert "$ ./request_timing.sh https://bookstore.example:8443/api/v1/books" in text
    seconds = times(text)
    assert list(seconds.values()) == sorted(seconds.values())
    assert re.search(r"^HTTP/2 200$", text, re.MULTILINE)  # nginx.conf listens with http2
