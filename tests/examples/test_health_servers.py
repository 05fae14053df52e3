"""The same GET /health endpoint in six languages. Each server is started once on a free
127.0.0.1 port and asked the same questions: /health (with and without a query string), another
path, another method, and /health while another client sits on an unfinished request."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HEALTH = Path(__file__).resolve().parents[2] / "examples" / "health"

# language: (runtime needed, Debian package that provides it, command; {port} is filled in)
SERVERS = {
    "python": (sys.executable, "python3", [sys.executable, "health.py"]),
    "javascript": ("node", "nodejs", ["node", "health.js"]),
    # Running a source file needs the JDK's compiler, so check for javac, not only java.
    "java": ("javac", "openjdk-17-jdk-headless", ["java", "Health.java"]),
    "php": ("php", "php-cli", ["php", "-S", "127.0.0.1:{port}", "health.php"]),
    "ruby": ("ruby", "ruby", ["ruby", "health.rb"]),
    "go": ("go", "golang-go", ["{binary}"]),
}


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(f"server exited early: {process.communicate()}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(language, base URL) of a running server; stopped with SIGTERM after its tests."""
    language = request.param
    runtime, package, command = SERVERS[language]
    if shutil.which(runtime) is None:
        pytest.skip(f"{runtime} not found: install Debian package {package}")
    workdir = HEALTH / language
    binary = tmp_path_factory.mktemp(language) / "health"
    if language == "go":  # build once, then run the binary itself (not `go run`'s child)
        subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = unused_port()
    process = subprocess.Popen(
        [part.format(port=port, binary=binary) for part in command],
        cwd=workdir,
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process)
        yield language, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if SIGTERM is ignored
            process.kill()
            process.wait()


def test_health_answers_200_with_json(server):
    _, base = server
    response = httpx.get(base + "/health", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_a_query_string_does_not_change_the_path(server):
    # A load balancer or a person may add ?something; the path is still /health.
    _, base = server
    response = httpx.get(base + "/health?probe=1", timeout=5)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_any_other_path_is_a_json_404(server):
    _, base = server
    for path in ("/nope", "/health/", "/healthz"):
        response = httpx.get(base + path, timeout=5)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"].startswith("application/json"), path
        assert response.json() == {"error": "not found"}, path


def test_another_method_on_health_is_refused(server):
    # 405 with the Allow header (RFC 9110, section 15.5.6). Python's http.server answers 501
    # for a method it has no do_* function for: the difference exercise 1 looks at.
    language, base = server
    response = httpx.post(base + "/health", timeout=5)
    if language == "python":
        assert response.status_code == 501
    else:
        assert response.status_code == 405
        assert response.headers["Allow"] == "GET"
        assert response.json() == {"error": "method not allowed"}


def raw_request(base: str, request: bytes) -> tuple[str, bytes]:
    """Send one raw HTTP request; return the status line and every byte after the headers.
    httpx never reads a body after HEAD, so it could not see one sent by mistake."""
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=5) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):  # the server closes: the request said Connection: close
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode(), rest


def test_head_gets_the_headers_and_never_a_body(server):
    # RFC 9110, section 9.3.2: HEAD is GET without the content, and a server MUST NOT send
    # content in the response. Python's do_HEAD answers like GET (without it: 501); the other
    # five refuse HEAD like any method but GET (405 + Allow: GET). Before the fix the Ruby
    # server wrote its JSON after the headers anyway.
    language, base = server
    status, rest = raw_request(
        base, b"HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    assert status.split(" ")[1] == ("200" if language == "python" else "405"), status
    assert rest == b""
    if language == "python":
        response = httpx.head(base + "/health?probe=1", timeout=5)
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Content-Length"] == str(len(b'{"status": "ok"}'))
    else:
        assert httpx.head(base + "/health", timeout=5).headers["Allow"] == "GET"


def test_a_client_that_never_finishes_its_request_does_not_block_the_others(server):
    # One connection that sends nothing and one that stops halfway through its headers:
    # a server that handles one connection at a time would never answer the third client.
    _, base = server
    address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))
    with socket.create_connection(address) as idle, socket.create_connection(address) as half:
        half.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.2)  # let the server accept both before the real request
        response = httpx.get(base + "/health", timeout=10)
        assert response.status_code == 200
        assert idle.fileno() != -1 and half.fileno() != -1  # both still open meanwhile
