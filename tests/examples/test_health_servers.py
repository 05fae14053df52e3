"""The same GET /health endpoint in six languages. Each server is started on a free 127.0.0.1
port and asked the same questions: /health (with a query string, in absolute form, with HEAD),
other paths and odd targets, another method, request lines that are not HTTP, a client that never
finishes its request, clients that are too slow, a flood of connections, and a bad or busy PORT."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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
# Every server gives a client 10 s to send its request; waiting six times as long only keeps
# a broken server from hanging the test run.
HANG_GUARD = 60.0


# The pid of each running server, by base URL: a test can wait on what /proc shows of it.
PIDS: dict[str, int] = {}


def wait_until(condition, what: str) -> None:
    """Poll a condition on another process (the server) until it holds. A threading.Event
    cannot cross into that process; /proc shows its state instead."""
    guard = time.monotonic() + HANG_GUARD
    while not condition():
        if time.monotonic() > guard:  # a hang guard, never a measured budget
            raise AssertionError(f"still waiting for {what} after {HANG_GUARD} s")
        time.sleep(0.01)


def tcp_queues() -> dict[tuple[int, int], int]:
    """(local port, remote port) -> bytes waiting to be read, for every IPv4 TCP socket; for
    a listening socket (remote port 0), the connections waiting to be accepted."""
    queues = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):  # the JVM listens on an IPv6 socket
        for line in Path(table).read_text().splitlines()[1:]:
            _, local, remote, _, queue, *_ = line.split()
            rx = int(queue.split(":")[1], 16)
            queues[int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)] = rx
    return queues


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(f"server exited early: {log.read_text()}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="session")
def go_binary(tmp_path_factory) -> Path:
    """The Go server, built once (then run as itself, not as `go run`'s child)."""
    if shutil.which("go") is None:
        pytest.skip("go not found: install Debian package golang-go")
    binary = tmp_path_factory.mktemp("go") / "health"
    subprocess.run(
        ["go", "build", "-o", str(binary), "."],
        cwd=HEALTH / "go",
        check=True,
        capture_output=True,
        timeout=300,
    )
    return binary


def command(language: str, port: int | str, request) -> list[str]:
    runtime, package, parts = SERVERS[language]
    if shutil.which(runtime) is None:
        pytest.skip(f"{runtime} not found: install Debian package {package}")
    binary = request.getfixturevalue("go_binary") if language == "go" else ""
    return [part.format(port=port, binary=binary) for part in parts]


@contextmanager
def running(language: str, request, tmp: Path, files: int | None = None) -> Iterator[str]:
    """Start one server and yield its base URL; stop it with SIGTERM afterwards. `files`
    lowers its limit of open file descriptors once it runs (soft and hard: the JVM and Go
    raise the soft limit to the hard one when they start)."""
    port = unused_port()
    log = tmp / f"{language}-{port}.log"
    # stderr goes to a file: php -S logs every connection, and a pipe nobody reads fills up
    # and stops the server.
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            command(language, port, request),
            cwd=HEALTH / language,
            env={**os.environ, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process, log)
        PIDS[base] = process.pid
        if files:
            resource.prlimit(process.pid, resource.RLIMIT_NOFILE, (files, files))
        yield base
        assert process.poll() is None, f"{language} server died: {log.read_text()}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if SIGTERM is ignored
            process.kill()
            process.wait()


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(language, base URL) of a running server, shared by the tests of this module."""
    with running(request.param, request, tmp_path_factory.mktemp(request.param)) as base:
        yield request.param, base


def address(base: str) -> tuple[str, int]:
    return "127.0.0.1", int(base.rsplit(":", 1)[1])


def raw_request(base: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send one raw HTTP request; return the status line, the headers (names in lower case)
    and every byte after them. httpx never reads a body after HEAD, so it could not see one
    sent by mistake, and it never sends a target in absolute form."""
    with socket.create_connection(address(base), timeout=HANG_GUARD) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):  # the server closes: the request said Connection: close
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return status, headers, rest


def get(target: str, method: str = "GET") -> bytes:
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def test_health_answers_200_with_json(server):
    _, base = server
    response = httpx.get(base + "/health", timeout=HANG_GUARD)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_a_query_string_does_not_change_the_path(server):
    # A load balancer or a person may add ?something; the path is still /health.
    _, base = server
    response = httpx.get(base + "/health?probe=1", timeout=HANG_GUARD)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_absolute_form_of_the_target_is_the_same_path(server):
    # RFC 9112, section 3.2.2: a server MUST accept the absolute form (what a client sends to
    # a proxy). Regression: the JavaScript and Ruby servers answered it with 404.
    _, base = server
    status, headers, _ = raw_request(base, get(base + "/health?probe=1"))
    assert status.split(" ")[1] == "200", status
    assert headers["content-type"].startswith("application/json")


def test_any_other_path_is_a_json_404(server):
    _, base = server
    for path in ("/nope", "/health/", "/healthz", "/HEALTH"):
        response = httpx.get(base + path, timeout=HANG_GUARD)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"].startswith("application/json"), path
        assert response.json() == {"error": "not found"}, path


# Odd targets the server library answers itself, before the handler runs (the page says so):
# the JDK reads //health as a host name without a path, and the JDK and Go refuse /%zz (not a
# valid percent-encoding) with their own 400.
LIBRARY_ANSWERS = {("java", "//health"): 404, ("java", "/%zz"): 400, ("go", "/%zz"): 400}
# Two targets the page names, with each server's answer. //health: http.server turns it into
# /health (CPython's fix against open redirects, 3.11 and later), so Python says 200. /%68ealth
# is /health with the "h" percent-encoded, the same path under RFC 3986, section 6.2.2.2: the
# JDK's getPath() and Go's r.URL.Path decode it and say 200; the other four say 404. Dot
# segments: the WHATWG URL parser behind Node's `new URL` removes "." and ".." (also written
# %2e and %2e%2e, RFC 3986, section 5.2.4), so only Node.js says 200.
DOTS = {"javascript": 200}
NAMED_ANSWERS = {
    "//health": {"python": 200},
    "/%68ealth": {"java": 200, "go": 200},
    "/./health": DOTS,
    "/x/../health": DOTS,
    "/health/../health": DOTS,
    "/%2e/health": DOTS,
    "/x/%2e%2e/health": DOTS,
}


def test_odd_targets_get_no_redirect_and_no_5xx(server):
    # Regression: Go's ServeMux answered //health and /./health with a 301 redirect to /health.
    language, base = server
    for target in ("/%zz", *NAMED_ANSWERS):
        status, headers, _ = raw_request(base, get(target))
        code = int(status.split(" ")[1])
        if target in NAMED_ANSWERS:  # the exact answer the page gives for each server
            assert code == NAMED_ANSWERS[target].get(language, 404), (target, status)
        if (language, target) in LIBRARY_ANSWERS:
            assert code == LIBRARY_ANSWERS[language, target], (target, status)
        else:
            assert code in (200, 404), (target, status)
            assert headers["content-type"].startswith("application/json"), target


def answer_or_nothing(base: str, request: bytes) -> bytes:
    """What the server sends back within 2 s: b"" if it closes or keeps waiting silently."""
    with socket.create_connection(address(base), timeout=2) as conn:
        conn.sendall(request)
        data = b""
        try:
            while chunk := conn.recv(65536):
                data += chunk
        except TimeoutError:
            pass  # still waiting for a request line (php -S, Node.js and the JDK on b"\r\n")
    return data


def test_a_request_that_is_not_http_gets_a_400_or_no_answer(server):
    # RFC 9112, section 3: an invalid request line gets a 400. Regression: the Ruby server
    # answered GARBAGE, and a request line without its version, with a JSON 404. Go and the
    # JDK answer GARBAGE with their own 400, Node.js with a bare 400, and http.server with an
    # HTML page that says "Error code: 400" and no status line: with no version in the line,
    # it answers as HTTP/0.9 does. php -S waits for more. (A line without a version is an
    # HTTP/0.9 request, which Python, PHP and Node.js still answer with 200.)
    language, base = server
    answer = answer_or_nothing(base, b"GARBAGE\r\n\r\n")
    if language == "python":
        assert answer.startswith(b"<!DOCTYPE HTML>") and b"Error code: 400" in answer, answer
    elif language == "php":
        assert answer == b"", answer[:80]
    else:  # regression: the test accepted silence from every server
        assert answer.startswith(b"HTTP/1.1 400 "), answer[:80]
    # Only empty lines: every server waits for a request line or gives up with a 400.
    answer = answer_or_nothing(base, b"\r\n\r\n")
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400 "), answer[:80]
    if language == "ruby":
        assert answer_or_nothing(base, b"GET /health\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_lines_that_end_in_a_bare_lf(server):
    # RFC 9112, section 2.2: a server MAY accept a bare LF as a line terminator. Python, PHP,
    # Ruby and Go do; Node.js answers 400; the JDK waits for a CRLF (here: no answer in 2 s).
    language, base = server
    answer = answer_or_nothing(base, get("/health").replace(b"\r\n", b"\n"))
    expected = {"javascript": b"HTTP/1.1 400 ", "java": b"", "python": b"HTTP/1.0 200 "}.get(
        language, b"HTTP/1.1 200 "
    )
    assert answer.startswith(expected) and (expected or answer == b""), answer[:80]
    if expected.endswith(b" 200 "):
        assert answer.rstrip().endswith(b'"ok"}'), answer[-80:]  # the whole answer came


def test_an_empty_line_before_the_request_line_is_skipped(server):
    # RFC 9112, section 2.2: a server SHOULD ignore at least one empty line before the request
    # line. Regression: the Ruby server answered this request with a 404. http.server closes
    # the connection without an answer, and Go answers 400 (both named on the page).
    language, base = server
    answer = answer_or_nothing(base, b"\r\n" + get("/health"))
    expected = {"python": b"", "go": b"HTTP/1.1 400 "}.get(language, b"HTTP/1.1 200 ")
    assert answer.startswith(expected) and (expected or answer == b""), answer[:80]


def test_another_method_on_health_is_refused(server):
    # 405 with the Allow header (RFC 9110, section 15.5.6). Python's http.server answers 501
    # for a method it has no do_* function for: the difference exercise 1 looks at.
    language, base = server
    response = httpx.post(base + "/health", timeout=HANG_GUARD)
    if language == "python":
        assert response.status_code == 501
    else:
        assert response.status_code == 405
        assert response.headers["Allow"] == "GET, HEAD"  # regression: it said only GET
        assert response.json() == {"error": "method not allowed"}


def test_head_gets_the_headers_of_get_and_never_a_body(server):
    # RFC 9110, section 9.1: every general-purpose server MUST support GET and HEAD; 9.3.2:
    # HEAD is GET without the content. Regression: five of the six answered 405.
    _, base = server
    _, got, body = raw_request(base, get("/health"))
    for target, code in (("/health", "200"), ("/health?probe=1", "200"), ("/nope", "404")):
        status, headers, rest = raw_request(base, get(target, "HEAD"))
        assert status.split(" ")[1] == code, (target, status)
        assert rest == b"", target  # headers only
        assert headers["content-type"].startswith("application/json"), target
        if target == "/health" and "content-length" in headers:  # a server MAY leave it out
            assert headers["content-length"] == got["content-length"] == str(len(body))


def test_a_client_that_never_finishes_its_request_does_not_block_the_others(server):
    # One connection that sends nothing and one that stops halfway through its headers:
    # a server that handles one connection at a time answers the third client only after it
    # has cut the slow ones off (10 s later), so they would be closed by then.
    _, base = server
    with (
        socket.create_connection(address(base)) as idle,
        socket.create_connection(address(base)) as half,
    ):
        half.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        port, half_port = address(base)[1], half.getsockname()[1]
        # Before the real request, the server must have accepted both connections (none left
        # in its listen queue) and read the half request (no byte left in that socket).
        wait_until(
            lambda: (queues := tcp_queues()).get((port, 0)) == 0 and queues[port, half_port] == 0,
            "the server to accept both connections and read the half request",
        )
        response = httpx.get(base + "/health", timeout=HANG_GUARD)
        assert response.status_code == 200
        for conn in (idle, half):  # still open on the server's side: no answer, no end
            conn.settimeout(0.1)
            with pytest.raises(TimeoutError):
                conn.recv(1)


# What a too slow client sends at once, then what it sends one byte every half second, never
# reaching the end (the check below paces it): nothing at all; half its headers; a request
# line and headers, byte by byte; whole headers, then a body byte by byte; a whole request,
# after which it keeps the connection open and says nothing.
SLOW_CLIENTS = {
    "silent": (b"", b""),
    "half": (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n", b""),
    "trickle": (b"", b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000),
    "trickle_body": (
        b"POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n",
        b"a" * 10_000,
    ),
    "kept_alive": (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b""),
}


def cut_off(base: str, kind: str) -> float | None:
    """Play one slow client; return the seconds from connecting until the server closed the
    connection (seen within half a second), or None if it was still open after HANG_GUARD."""
    first, slowly = SLOW_CLIENTS[kind]
    trickle = iter(slowly)
    with socket.create_connection(address(base), timeout=HANG_GUARD) as conn:
        start = time.monotonic()
        conn.sendall(first)
        conn.settimeout(0.5)
        while time.monotonic() < start + HANG_GUARD:
            try:
                if (byte := next(trickle, None)) is not None:
                    conn.sendall(bytes([byte]))
                if conn.recv(65536) == b"":  # an answer (200, 408) may come first
                    return time.monotonic() - start
            except TimeoutError:
                continue
            except OSError:  # reset by the server
                return time.monotonic() - start
    return None


def test_every_server_cuts_off_slow_clients(request, tmp_path):
    # A deadline for the whole request, not a timeout per read: the trickling client sends a
    # byte every half second, so a per-read timeout (http.server's `timeout`) never fires.
    # Regression: after 60 s, Java and Ruby still held the half-sent and trickling clients,
    # Ruby the silent one too, Python the trickling one, and Node.js (60 s for the headers,
    # checked every 30 s) all three unfinished ones. Then Go still held the trickled body
    # (ReadHeaderTimeout covers the headers only; net/http drains an unread body with no
    # deadline). php -S is left out: it has no timeout at all, and the page says it is for
    # development only.
    languages = [name for name, (runtime, _, _) in SERVERS.items() if shutil.which(runtime)]
    languages.remove("php")
    with ExitStack() as stack:
        bases = {name: stack.enter_context(running(name, request, tmp_path)) for name in languages}
        results: dict[tuple[str, str], float | None] = {}

        def play(name: str, kind: str) -> None:
            results[name, kind] = cut_off(bases[name], kind)

        threads = [
            threading.Thread(target=play, args=(name, kind))
            for name in languages
            for kind in SLOW_CLIENTS
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    still_open = sorted(key for key, seconds in results.items() if seconds is None)
    assert len(results) == len(threads) and not still_open, still_open
    # The JDK reads maxReqTime and idleInterval in seconds, although the Java 25 module docs
    # say milliseconds for maxReqTime (JDK-8387598). Read as milliseconds, or set to 1 s, they
    # would cut these clients off long before 5 s. So no Java connection may close in its
    # first 5 seconds: a behavior check, not a time budget (a slower machine closes them
    # later, never sooner).
    if "java" in languages:
        too_soon = {kind: results["java", kind] for kind in SLOW_CLIENTS}
        assert all(seconds >= 5 for seconds in too_soon.values()), too_soon


@pytest.mark.parametrize("language", sorted(SERVERS))
def test_a_flood_of_connections_does_not_stop_the_server(language, request, tmp_path):
    # Regression: with 64 file descriptors and 100 connections, the Ruby server died with
    # "Too many open files - accept(2) (Errno::EMFILE)" and refused every client after that.
    with running(language, request, tmp_path, files=64) as base:
        flood = [socket.socket() for _ in range(100)]
        for conn in flood:  # without waiting: a full accept queue delays a blocking connect
            conn.setblocking(False)
            conn.connect_ex(address(base))
        # Wait until the server has no file descriptor left. http.server never gets there: its
        # listen queue holds 5 connections, and the rest wait for TCP to retry (1 s, 3 s, 7 s...)
        # while the first ones time out after 10 s; it only has to empty its queue once.
        fds, port = Path(f"/proc/{PIDS[base]}/fd"), address(base)[1]
        wait_until(
            lambda: (
                len(list(fds.iterdir())) >= 64
                or (language == "python" and tcp_queues().get((port, 0)) == 0)
            ),
            "the server to use up its 64 file descriptors",
        )
        for conn in flood:
            conn.close()
        response = httpx.get(base + "/health", timeout=HANG_GUARD)
        assert response.status_code == 200


# php -S takes its port on its own command line and reports a bad one itself.
@pytest.mark.parametrize("language", sorted(set(SERVERS) - {"php"}))
def test_a_bad_or_busy_port_gets_a_message_not_a_traceback(language, request):
    # Regression: PORT=abc gave a traceback in Python, Ruby, Java and Node.js, and PORT=0 made
    # Node.js listen on a random port.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = str(busy.getsockname()[1])
        for port, code, start, end in (
            ("abc", 2, "PORT=abc is not a port number", "fix: use a number from 1 to 65535"),
            ("0", 2, "PORT=0 is not a port number", "fix: use a number from 1 to 65535"),
            # Regression: Go's strconv.Atoi took the sign and printed http://127.0.0.1:+80.
            ("+80", 2, "PORT=+80 is not a port number", "fix: use a number from 1 to 65535"),
            (taken, 1, f"cannot listen on 127.0.0.1:{taken} (", ") — fix: use another PORT"),
        ):
            result = subprocess.run(
                command(language, port, request),
                cwd=HEALTH / language,
                env={**os.environ, "PORT": port},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == code, (port, result.stderr)
            assert result.stderr.startswith(start) and result.stderr.endswith(end + "\n"), (
                port,
                result.stderr,
            )
            assert result.stderr.count("\n") == 1, result.stderr  # one line, no stack trace


def test_ctrl_c_stops_the_python_server_without_a_traceback(request, tmp_path):
    # Regression: Ctrl+C (SIGINT) printed a 15-line KeyboardInterrupt traceback and the
    # process died of the signal (status -2). Now it exits with 130 (128 + SIGINT), quietly.
    port, log = unused_port(), tmp_path / "python.log"
    with open(log, "wb") as stderr:
        # As a user runs it, with Ctrl+C's KeyboardInterrupt even where the test runner was
        # started with SIGINT ignored (in the background; Python then keeps it ignored).
        with_ctrl_c = (
            "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler);"
            " runpy.run_path('health.py', run_name='__main__')"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", with_ctrl_c],
            cwd=HEALTH / "python",
            env={**os.environ, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, log)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=HANG_GUARD) == 130, log.read_text()
    finally:
        if process.poll() is None:  # pragma: no cover - only if SIGINT did not stop it
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


# RFC 9112, section 3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header
# line or with more than one. Go does both; Node.js (requireHostHeader, on by default since
# 20.0.0) refuses only a missing Host. The JDK, php -S and http.server (an HTTP/1.0 server)
# answer both with 200 (the page says so).
HOST_ANSWERS = {
    "no Host": (
        b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n",
        {"javascript": "400", "go": "400", "ruby": "400"},
    ),
    "two Host lines": (
        b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
        {"go": "400", "ruby": "400"},
    ),
}


@pytest.mark.parametrize("case", sorted(HOST_ANSWERS))
def test_an_http11_request_needs_exactly_one_host(server, case):
    # Regression: the Ruby server answered both requests with 200.
    language, base = server
    request, answers = HOST_ANSWERS[case]
    status, _, _ = raw_request(base, request)
    assert status.split(" ")[1] == answers.get(language, "200"), status


@pytest.mark.parametrize("size", [9_000, 20_000])
def test_headers_over_the_limit_get_a_431_not_a_reset(server, size):
    # The Ruby server allows 8 KiB of request line and headers, Node.js 16 KiB (its default
    # max-http-header-size); the others allow more. RFC 6585, section 5: 431 Request Header
    # Fields Too Large. Regression: Ruby read up to 4 KiB past its limit (12,000 bytes got a
    # 200), then closed without an answer, with the rest unread, so the client got a reset.
    language, base = server
    request = get("/health").replace(b"\r\n\r\n", b"\r\nX-Big: " + b"a" * size + b"\r\n\r\n")
    status, headers, body = raw_request(base, request)
    limit = {"ruby": 8192, "javascript": 16384}.get(language)
    if limit and size > limit:
        assert status.split(" ")[1] == "431", status
        if language == "ruby":
            assert headers["content-type"] == "application/json"
            assert body == b'{"error":"headers too large"}'
    else:
        assert status.split(" ")[1] == "200", status
