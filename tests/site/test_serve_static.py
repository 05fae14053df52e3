"""scripts/serve_static.py survives hostile and broken clients: idle and half-sent requests are
timed out, threads are bounded, and every malformed request gets a status code (issue 16).

The server runs on a small site in a temporary folder; clients are raw sockets, so the requests
can be as broken as an attacker makes them. Waits are hang guards (a test fails instead of hanging
when the server never answers), not time budgets."""

from __future__ import annotations

import re
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from serve_static import PREFIX, StaticServer
from support import ROOT

GUARD = 30.0  # seconds a client waits before it decides the server will never answer


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("<h1>Beranda</h1>" + "x" * 400, encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Tidak ada</h1>", encoding="utf-8")
    (tmp_path / "en" / "404.html").write_text("<h1>Not found</h1>", encoding="utf-8")
    return tmp_path


def port_of(base: str) -> int:
    return int(re.match(r"http://127\.0\.0\.1:(\d+)/", base).group(1))


def connect(base: str) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port_of(base)), timeout=GUARD)
    return client


def read_all(client: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    data = b""
    while chunk := client.recv(65536):
        data += chunk
    return data


def status_of(raw: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", raw)
    assert match, f"no status line in {raw[:120]!r}"
    return int(match.group(1))


def exchange(base: str, request: bytes) -> bytes:
    with connect(base) as client:
        client.sendall(request)
        return read_all(client)


def get(target: bytes, extra: bytes = b"") -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + b"\r\n"


P = PREFIX.encode()
MALFORMED = {
    "NUL in the path": (get(P + b"%00"), 400),
    "NUL after a real name": (get(P + b"index.html%00.png"), 400),
    "CR LF in the path (header injection)": (get(P + b"%0d%0aSet-Cookie:%20a=b"), 400),
    "a name longer than the file system allows": (get(P + b"a" * 300), 404),
    "a name of 300 multi-byte characters": (get(P + b"%C3%A9" * 300), 404),
    "a deep path over the target limit": (get(P + b"a/" * 3000), 414),
    "a request line over 64 KiB": (get(b"/" + b"a" * 70000), 414),
    "a header line over 64 KiB": (get(P, b"X-Long: " + b"a" * 70000 + b"\r\n"), 431),
    "101 header fields": (get(P, b"".join(b"X-%d: 1\r\n" % i for i in range(101))), 431),
    "not a request line": (b"HELLO\r\n\r\n", 400),
    "an HTTP version that does not exist": (b"GET / HTTP/7.0\r\n\r\n", 505),
    "an unsupported method": (b"POST " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                              b"\r\n", 501),
    "a path out of the site": (get(P + b"../../../../etc/passwd"), 404),
    "an encoded path out of the site": (get(P + b"..%2f..%2f..%2fetc%2fpasswd"), 404),
    "bytes that are not UTF-8": (get(P + b"%ff%fe.html"), 404),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_every_malformed_request_gets_a_status_code(site, capfd, name):
    request, expected = MALFORMED[name]
    with StaticServer(site) as base:
        answer = exchange(base, request)
    assert status_of(answer) == expected, answer[:300]
    assert b"root:" not in answer
    assert "Traceback" not in capfd.readouterr().err


def test_good_requests_are_still_served_with_keep_alive(site):
    with StaticServer(site) as base, connect(base) as client:
        reader = client.makefile("rb")
        for path, status in ((P, 200), (P + b"nope.html", 404), (P + b"en/nope/", 404)):
            client.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n"
                           b"\r\n")
            assert status_of(reader.readline()) == status
            headers = {}
            while (line := reader.readline()) != b"\r\n":
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip()
            body = reader.read(int(headers["content-length"]))
            assert len(body) == int(headers["content-length"])
        assert headers["content-type"].startswith("text/html")


def test_a_request_with_a_body_it_ignores_ends_the_connection(site):
    """A GET body is not read; the bytes must not be taken as the next request (smuggling)."""
    with StaticServer(site) as base:
        smuggled = b"GET " + P + b"en/ HTTP/1.1\r\nHost: x\r\n\r\n"
        answer = exchange(base, b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          + str(len(smuggled)).encode() + b"\r\n\r\n" + smuggled)
    assert status_of(answer) == 200
    assert answer.count(b"HTTP/1.1 ") == 1


def test_an_idle_connection_is_closed(site):
    with StaticServer(site, timeout=0.3) as base, connect(base) as client:
        assert read_all(client) == b""  # closed, no response to a request never made


def test_an_idle_keep_alive_connection_is_closed_after_its_response(site):
    with StaticServer(site, timeout=0.3) as base, connect(base) as client:
        client.sendall(b"GET " + P + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_all(client)
    assert answer.count(b"HTTP/1.1 200 OK") == 1


def test_a_half_sent_request_gets_408_and_is_closed(site):
    with StaticServer(site, timeout=0.3) as base, connect(base) as client:
        client.sendall(b"GET " + P + b" HTTP/1.1\r\nHost: x\r\n")  # no empty line: never ends
        assert status_of(read_all(client)) == 408


def test_a_request_sent_byte_by_byte_cannot_hold_the_connection(site):
    """A slowloris client: every byte arrives well within the timeout, but the head as a whole
    does not; the server ends it with 408 long before the last byte."""
    request = b"GET " + P + b" HTTP/1.1\r\nHost: x\r\nUser-Agent: slow\r\n\r\n"
    with StaticServer(site, timeout=0.5) as base, connect(base) as client:
        sent = 0
        for byte in request:
            if select.select([client], [], [], 0)[0]:  # the server answered (or closed)
                break
            client.sendall(bytes([byte]))
            sent += 1
            time.sleep(0.1)
        answer = read_all(client)
    assert sent < len(request)
    assert status_of(answer) == 408


def test_threads_are_bounded_and_the_rest_get_503(site):
    """300 half-open connections (the probe of issue 16 made 301 threads): 8 are served, each
    of the other 292 gets 503 with Retry-After at once, and the thread count stays bounded."""
    baseline = threading.active_count()
    clients, peak = [], 0
    with StaticServer(site, timeout=GUARD, max_threads=8) as base:
        try:
            for _ in range(300):
                client = connect(base)
                client.sendall(b"GET " + P + b" HTTP/1.1\r\n")
                clients.append(client)
                peak = max(peak, threading.active_count())
            answered: set[socket.socket] = set()
            deadline = time.monotonic() + GUARD
            while len(answered) < 292 and time.monotonic() < deadline:
                ready = select.select([c for c in clients if c not in answered], [], [], 0.2)[0]
                answered.update(ready)
            assert len(answered) == 292  # the 8 others are held by the 8 threads
            for client in answered:
                answer = client.recv(4096)
                assert status_of(answer) == 503 and b"Retry-After: 1" in answer
            assert peak <= baseline + 1 + 8  # the server's own thread and 8 handlers
        finally:
            for client in clients:
                client.close()
        deadline = time.monotonic() + GUARD
        while True:  # once the held connections are gone, the server serves again
            answer = exchange(base, get(P))
            if status_of(answer) == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert status_of(answer) == 200


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "serve_static.py"), *args],
                          capture_output=True, text=True, timeout=GUARD, check=False)


def test_the_command_explains_a_missing_site_and_a_busy_port(site, tmp_path):
    result = run_script("--site", str(tmp_path / "nothing"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no built site in" in result.stderr and "fix: run `make build` first" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_script("--site", str(site), "--port", str(taken.getsockname()[1]))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot listen on 127.0.0.1:" in result.stderr and "fix: " in result.stderr
