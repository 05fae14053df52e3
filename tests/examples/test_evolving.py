"""Evolving a running architecture (examples/evolving/): the strangler-fig router behind a real
nginx, and the sidecar-style proxy. Each test proves what the page says about them."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from evolving import strangler
from evolving.sidecar import MAX_ANSWER, MAX_BODY, create_sidecar
from evolving.strangler import RouteError, apply_routes, render_routes
from support import skip_or_fail

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
NGINX = shutil.which("nginx", path=SEARCH_PATH)
WAIT = 30.0  # seconds: a deadline for waiting on a process, never a measured budget


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


# One client for the whole module: httpx.get() would build a new client, and load the CA bundle,
# for every request (about 0.1 s of CPU each). No keep-alive: each request opens a new connection.
HTTP = httpx.Client(timeout=5, limits=httpx.Limits(max_keepalive_connections=0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- strangler fig: unit


def test_render_routes_matches_a_prefix_and_what_is_below_it():
    assert render_routes({"/books": "catalog"}).splitlines()[1:] == ["~^/books(/|$) catalog;"]
    assert render_routes({}).count("\n") == 1  # only the comment: everything goes to legacy


def test_render_routes_puts_the_longest_prefix_first():
    # nginx's map takes the first matching regex: /books first would swallow /books/admin
    assert render_routes({"/books": "catalog", "/books/admin": "legacy", "/authors": "catalog"}
                         ).splitlines()[1:] == ["~^/books/admin(/|$) legacy;",
                                                "~^/authors(/|$) catalog;", "~^/books(/|$) catalog;"]  # longest first, then a-z


@pytest.mark.parametrize("prefix", [
    "books", "/", "/books/", "/Books", "/books;", "/b{x}", '/books" x', "/books (.*)",
    "/books\nlegacy", "/../etc", "/books$", "",
])
def test_render_routes_refuses_what_nginx_would_read_as_code(prefix):
    with pytest.raises(RouteError, match="fix: use lowercase segments"):
        render_routes({prefix: "catalog"})


def test_render_routes_refuses_an_unknown_upstream():
    with pytest.raises(RouteError, match="unknown upstream 'evil'.*fix: use one of catalog, legacy"):
        render_routes({"/books": "evil"})


def test_a_failing_nginx_check_puts_the_previous_routes_back(tmp_path):
    routes = tmp_path / "strangler-routes.conf"
    routes.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RouteError, match="nginx -t -q failed, routes left as they were: boom"):
        apply_routes({"/books": "catalog"}, routes, ["sh", "-c", "echo boom >&2; exit 1", "nginx"])
    assert routes.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["strangler-routes.conf"]


def test_the_command_line_answers_bad_input_with_a_fix(tmp_path, capsys):
    routes = str(tmp_path / "r.conf")
    assert strangler.main(["--routes-file", routes, "/books"]) == 2
    assert "expected PREFIX=UPSTREAM — fix: write e.g. /books=catalog" in capsys.readouterr().err
    assert strangler.main(["--routes-file", routes, "/books;=catalog"]) == 1
    assert "fix: use lowercase segments" in capsys.readouterr().err
    assert strangler.main(["--routes-file", routes, "--nginx", "/nonexistent/nginx",
                           "/books=catalog"]) == 1
    err = capsys.readouterr().err
    assert "No such file" in err and "— fix: run `/nonexistent/nginx -t` to see the full error" in err
    assert not Path(routes).exists()
    assert strangler.main(["--routes-file", str(tmp_path / "missing" / "r.conf"),
                           "/books=catalog"]) == 1
    assert "No such file or directory — fix: check that the directory exists" in (
        capsys.readouterr().err)


def test_a_prefix_given_twice_or_an_empty_nginx_command_is_refused(tmp_path, capsys):
    routes = tmp_path / "r.conf"
    assert strangler.main(["--routes-file", str(routes), "--nginx", "true",
                           "/books=catalog", "/books=legacy"]) == 2
    assert "route /books given twice — fix: give each prefix once" in capsys.readouterr().err
    assert strangler.main(["--routes-file", str(routes), "--nginx", "", "/books=catalog"]) == 2
    assert "--nginx is empty — fix: give the nginx command" in capsys.readouterr().err
    assert not routes.exists()


def test_each_run_gives_the_complete_list_and_a_route_left_out_goes_back(tmp_path):
    routes = tmp_path / "r.conf"
    assert strangler.main(["--routes-file", str(routes), "--nginx", "true", "/books=catalog"]) == 0
    assert strangler.main(["--routes-file", str(routes), "--nginx", "true", "/authors=catalog"]) == 0
    assert routes.read_text(encoding="utf-8").splitlines()[1:] == ["~^/authors(/|$) catalog;"]


def test_only_one_run_at_a_time_changes_the_routes(tmp_path):
    # the fake nginx succeeds only if it cannot take the lock on the directory: apply_routes holds it
    fake = ["sh", "-c", 'if flock -n "$0" true; then echo "not locked" >&2; exit 1; fi', str(tmp_path)]
    apply_routes({"/books": "catalog"}, tmp_path / "strangler-routes.conf", fake)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["strangler-routes.conf"]  # no temp left


# ---------------------------------------------------------------- strangler fig: real nginx


class Backend(ThreadingHTTPServer):
    """A stand-in for the legacy application or the new service: it names itself."""

    daemon_threads = True

    def __init__(self, name: str) -> None:
        self.name = name

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"service": name, "path": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Facade:
    """nginx with strangler.conf (only ports and paths changed), run by this user in a temp dir."""

    def __init__(self, directory: Path, legacy: Backend, catalog: Backend) -> None:
        self.port = free_port()
        self.routes = directory / "strangler-routes.conf"
        self.routes.write_text(render_routes({}), encoding="utf-8")
        text = (EXAMPLES / "evolving" / "strangler.conf").read_text(encoding="utf-8")
        for old, new in {
            "server 127.0.0.1:8001;": f"server 127.0.0.1:{legacy.server_address[1]};",
            "server 127.0.0.1:8002;": f"server 127.0.0.1:{catalog.server_address[1]};",
            "include /etc/nginx/strangler-routes.conf;": f"include {self.routes};",
            "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{self.port};",
        }.items():
            assert text.count(old) == 1, f"strangler.conf changed: update this test for {old!r}"
            text = text.replace(old, new)
        temp = "".join(f"{kind}_temp_path {directory / kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = directory / "nginx.conf"
        conf.write_text(
            f"pid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'} notice;\n"
            f"worker_processes 1;\nevents {{}}\nhttp {{\naccess_log off;\n{temp}{text}}}\n",
            encoding="utf-8")
        self.command = [NGINX, "-e", str(directory / "error.log"), "-c", str(conf)]
        self.process = subprocess.Popen([*self.command, "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, "nginx to answer")

    def answers(self) -> bool:
        assert self.process.poll() is None, "nginx exited: see error.log in the test's temp dir"
        try:
            return HTTP.get(self.url("/")).status_code == 200
        except httpx.TransportError:
            return False

    def workers(self) -> set[int]:
        """Process ids of nginx's workers (the children of the master), read from /proc."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # a process that just exited
                continue
            if parent == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def apply(self, routes: dict[str, str]) -> None:
        """apply_routes, then wait until every old worker has exited. `nginx -s reload` returns
        once the signal is sent; for a short moment after the new workers start, an old worker
        that has not yet handled its shutdown signal still accepts connections (old routes)."""
        old = self.workers()
        apply_routes(routes, self.routes, self.command)
        wait_until(lambda: (new := self.workers()) and not new & old, "the old workers to exit")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def service_for(self, path: str) -> str:
        return HTTP.get(self.url(path)).json()["service"]

    def raw_get(self, target: bytes) -> tuple[int, bytes]:
        """A raw request line, so that no client library normalizes the target first."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: x\r\n\r\n")
            raw = b"".join(iter(lambda: sock.recv(65536), b""))
        head, _, body = raw.partition(b"\r\n\r\n")
        return int(head.split()[1]), body


@pytest.fixture(scope="module")
def facade(tmp_path_factory) -> Iterator[Facade]:
    if NGINX is None:
        skip_or_fail("nginx missing: install Debian package nginx-light or nginx"
                     " (sudo apt-get install nginx-light)")
    legacy, catalog = Backend("legacy"), Backend("catalog")
    facade = Facade(tmp_path_factory.mktemp("strangler"), legacy, catalog)
    yield facade
    facade.process.terminate()
    facade.process.wait(timeout=WAIT)
    for backend in (legacy, catalog):
        backend.shutdown()
        backend.server_close()


# --8<-- [start:switch_test]
def test_moving_one_route_and_rolling_back_loses_no_request(facade):
    answers: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def client() -> None:  # keeps asking, a new connection each time, while the routes change
        while not stop.is_set():
            for path in ("/books/7", "/orders/3"):
                try:
                    response = HTTP.get(facade.url(path))
                    answers.append((path, response.status_code, response.json()["service"]))
                except (httpx.HTTPError, ValueError) as error:
                    answers.append((path, 0, repr(error)))

    thread = threading.Thread(target=client)
    thread.start()
    try:
        wait_until(lambda: len(answers) >= 20, "requests before the switch")
        apply_routes({"/books": "catalog"}, facade.routes, facade.command)
        wait_until(lambda: facade.service_for("/books/7") == "catalog", "the switch")
        seen = len(answers)
        wait_until(lambda: len(answers) >= seen + 20, "requests after the switch")
        apply_routes({}, facade.routes, facade.command)  # rollback: the previous routes
        wait_until(lambda: facade.service_for("/books/7") == "legacy", "the rollback")
    finally:
        stop.set()
        thread.join()
    assert [a for a in answers if a[1] != 200] == []  # not one request failed
    assert {a[2] for a in answers if a[0] == "/orders/3"} == {"legacy"}  # never moved
    assert {a[2] for a in answers if a[0] == "/books/7"} == {"legacy", "catalog"}
# --8<-- [end:switch_test]


def test_only_the_prefix_moves_and_the_longest_prefix_wins(facade):
    facade.apply({"/books": "catalog", "/books/admin": "legacy"})
    try:
        assert facade.service_for("/books") == "catalog"
        assert facade.service_for("/books/7/reviews") == "catalog"
        assert facade.service_for("/bookstore") == "legacy"  # not below /books
        assert facade.service_for("/books/admin") == "legacy"  # the longer prefix wins
        assert facade.service_for("/books/admin/users") == "legacy"
    finally:
        facade.apply({})


def test_a_path_the_router_and_the_service_could_read_differently_is_refused(facade):
    facade.apply({"/books": "catalog"})
    try:
        for target in (b"/orders/..%2Fbooks/7", b"/books/../orders/3", b"/books/./7",
                       b"//books/7", b"/books/%2e%2e/orders/3", b"/orders%5c..%5cbooks/7",
                       b"/books/admin;x", b"/books/..;/internal", b"/books/admin%3Bx"):
            status, body = facade.raw_get(target)
            assert status == 400 and json.loads(body)["detail"] == "ambiguous path", target
        status, body = facade.raw_get(b"/books/7?q=a%20b")  # the service gets what was routed
        assert status == 200 and json.loads(body) == {"service": "catalog", "path": "/books/7?q=a%20b"}
    finally:
        facade.apply({})


def test_a_request_nginx_cannot_parse_is_its_own_400_not_a_500(facade):
    """Regression: `error_page 400 @ambiguous` also caught nginx's own 400s (a request it cannot
    parse runs no location) and turned them into a 500; only the facade's refusal is a problem."""
    for line in (b"GET /books/a%00 HTTP/1.0\r\nHost: x\r\n\r\n",
                 b"GET /books/admin%2 HTTP/1.0\r\nHost: x\r\n\r\n",
                 b"GET /books/7 FOO/1.1\r\nHost: x\r\n\r\n",
                 b"GET /books/7 HTTP/1.1\r\n\r\n"):  # no Host
        with socket.create_connection(("127.0.0.1", facade.port), timeout=5) as sock:
            sock.sendall(line)
            raw = b"".join(iter(lambda: sock.recv(65536), b""))
        assert raw.split()[1] == b"400", line
        assert b"ambiguous path" not in raw, line


def test_the_command_line_moves_routes_silently(facade):
    old = facade.workers()
    code = strangler.main(["--routes-file", str(facade.routes), "--nginx", " ".join(facade.command),
                           "/books=catalog", "/authors=catalog"])
    try:
        assert code == 0
        assert facade.routes.read_text(encoding="utf-8").splitlines()[1:] == [
            "~^/authors(/|$) catalog;", "~^/books(/|$) catalog;"]  # longest first, then a-z
        wait_until(lambda: (new := facade.workers()) and not new & old, "the old workers to exit")
        assert facade.service_for("/authors/1") == "catalog"
    finally:
        facade.apply({})


# ---------------------------------------------------------------- the sidecar


class Service:
    """A scripted service behind the sidecar: answers[i] is what its i-th call gets."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.calls: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        if isinstance(answer, float):
            await asyncio.sleep(answer)  # a slow service
            return httpx.Response(200, json={"late": True})
        if isinstance(answer, Exception):
            raise answer
        return answer


def call(service, method: str, path: str, deadline: float = 2.0, **kwargs):
    async def scenario():
        upstream = httpx.AsyncClient(transport=httpx.MockTransport(service),
                                     base_url="http://catalog.internal")
        app, metrics = create_sidecar(upstream, ["/books", "/books/search"], deadline)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://sidecar") as client:
            response = await client.request(method, path, **kwargs)
        await upstream.aclose()
        return response, metrics
    return asyncio.run(scenario())


# --8<-- [start:sidecar_test]
def test_an_idempotent_request_is_retried_once():
    service = Service(httpx.Response(503), httpx.Response(200, json={"title": "Bumi Manusia"}))
    response, metrics = call(service, "GET", "/books/7?fields=title")
    assert response.status_code == 200 and response.json() == {"title": "Bumi Manusia"}
    assert [str(c.url) for c in service.calls] == ["http://catalog.internal/books/7?fields=title"] * 2
    assert metrics.requests == {("/books", "GET", 200): 1}


def test_a_post_is_never_retried():
    service = Service(httpx.Response(503), httpx.Response(201))
    response, metrics = call(service, "POST", "/books", json={"title": "Laskar Pelangi"})
    assert response.status_code == 503 and len(service.calls) == 1  # the caller decides
    assert metrics.requests == {("/books", "POST", 503): 1}


def test_one_deadline_covers_both_attempts():
    service = Service(1.0)  # every call takes a second
    response, _ = call(service, "GET", "/books/7", deadline=0.1)
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no answer from the service in 0.1 s"
    assert len(service.calls) == 1  # the deadline ran out during the first attempt
# --8<-- [end:sidecar_test]


def test_an_unreachable_service_is_a_502_problem_after_one_retry():
    service = Service(httpx.ConnectError("connection refused"))
    response, metrics = call(service, "DELETE", "/books/7")
    assert response.status_code == 502 and len(service.calls) == 2
    assert response.json()["title"] == "Bad Gateway"
    assert metrics.requests == {("/books", "DELETE", 502): 1}


def test_a_real_connection_failure_is_a_502_problem():
    async def scenario():
        upstream = httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}")
        app, _ = create_sidecar(upstream, ["/books"])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://sidecar") as client:
            response = await client.get("/books/7")
        await upstream.aclose()
        return response
    response = asyncio.run(scenario())
    assert response.status_code == 502 and "ConnectError" in response.json()["detail"]


# --8<-- [start:metrics_test]
def test_metric_labels_come_from_the_route_list_not_the_raw_path():
    service = Service(httpx.Response(404))
    paths = ["/books/search?q=tere", "/wp-login.php", "/.env", "/a%00b", "/booksxyz"]
    metrics = None
    for path in paths:
        _, metrics = call(service, "GET", path)
        assert set(metrics.requests) <= {("/books/search", "GET", 404), ("other", "GET", 404)}
    assert [c.url.raw_path.decode() for c in service.calls] == ["/books/search?q=tere", "/wp-login.php",
                                                        "/.env", "/a%00b", "/booksxyz"]
    _, metrics = call(service, "BREW", "/books/1")
    assert metrics.requests == {("/books", "OTHER", 404): 1}
    assert 'sidecar_requests_total{route="/books",method="OTHER",status="404"} 1' in (
        metrics.render())
# --8<-- [end:metrics_test]


def test_hostile_requests_get_a_clear_4xx_and_never_reach_the_service():
    service = Service(httpx.Response(200))
    response, metrics = call(service, "PUT", "/books/7", content=b"x" * (MAX_BODY + 1))
    assert response.status_code == 413 and response.json()["title"] == "Content Too Large"
    assert service.calls == [] and metrics.requests == {("/books", "PUT", 413): 1}


def test_headers_are_copied_faithfully_both_ways():
    body = gzip.compress(b'{"ok": true}')
    service = Service(httpx.Response(200, content=body, headers=[
        ("Content-Encoding", "gzip"), ("Content-Type", "application/json"),
        ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Connection", "close")]))
    response, _ = call(service, "GET", "/books/7", headers={"X-Request-ID": "r-1",
                                                           "Keep-Alive": "timeout=99"})
    assert response.json() == {"ok": True}  # decoded once, not announced as gzip any more
    assert "content-encoding" not in response.headers
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    sent = service.calls[0].headers
    assert sent["x-request-id"] == "r-1" and sent["host"] == "catalog.internal"
    assert "keep-alive" not in sent  # one hop's header, not forwarded


def test_non_ascii_header_bytes_pass_through_both_ways():
    title = "Bumi Manusia, édition".encode()  # UTF-8 bytes in a header value
    service = Service(httpx.Response(200, headers=[(b"X-Title", title)]))
    response, metrics = call(service, "GET", "/books/1", headers=[(b"X-Author", "Pramoedya é".encode())])
    assert response.status_code == 200 and metrics.requests == {("/books", "GET", 200): 1}
    assert dict(response.headers.raw)[b"x-title"] == title
    assert dict(service.calls[0].headers.raw)[b"x-author"] == "Pramoedya é".encode()


def test_a_scheme_relative_path_cannot_send_the_request_to_another_host():
    service = Service(httpx.Response(200))
    # built by hand: httpx itself would read "//evil.example" as a host, as the proxy once did
    url = httpx.URL("http://sidecar").copy_with(raw_path=b"//evil.example/steal?x=1")
    response, metrics = call(service, "GET", url)
    assert response.status_code == 200
    assert str(service.calls[0].url) == "http://catalog.internal//evil.example/steal?x=1"
    assert metrics.requests == {("other", "GET", 200): 1}


# a control byte or a non-ASCII byte: h11 refuses both before the proxy, other servers may not
@pytest.mark.parametrize("scope_path", [b"/books/\x01", b"/books/\xff"])
def test_a_target_httpx_refuses_is_a_400_problem_not_a_500(scope_path):
    service = Service(httpx.Response(200))
    url = httpx.URL("http://sidecar").copy_with(raw_path=b"/books/1")

    async def scenario():
        upstream = httpx.AsyncClient(transport=httpx.MockTransport(service),
                                     base_url="http://catalog.internal")
        app, metrics = create_sidecar(upstream, ["/books"])

        async def raw_path_app(scope, receive, send):
            await app({**scope, "raw_path": scope_path}, receive, send)

        async with httpx.AsyncClient(transport=httpx.ASGITransport(raw_path_app),
                                     base_url="http://sidecar") as client:
            response = await client.get(url)
        await upstream.aclose()
        return response, metrics

    response, metrics = asyncio.run(scenario())
    assert response.status_code == 400 and response.json()["title"] == "Bad Request"
    assert service.calls == [] and metrics.requests == {("/books", "GET", 400): 1}


def test_the_services_date_and_server_are_dropped_so_each_header_appears_once():
    service = Service(httpx.Response(200, json={"ok": True}, headers=[
        ("Date", "Mon, 07 Dec 2026 22:52:57 GMT"), ("Server", "BaseHTTP/0.6"), ("ETag", '"v1"')]))
    response, _ = call(service, "GET", "/books/7")
    names = [k.lower() for k, _ in response.headers.raw]
    assert b"date" not in names and b"server" not in names  # the server running us adds its own
    assert len(names) == len(set(names)) and response.headers["etag"] == '"v1"'


def test_a_client_that_leaves_mid_body_is_counted_499_and_never_forwarded():
    service = Service(httpx.Response(200))
    messages = iter([{"type": "http.request", "body": b"abc", "more_body": True},
                     {"type": "http.disconnect"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    async def scenario():
        upstream = httpx.AsyncClient(transport=httpx.MockTransport(service),
                                     base_url="http://catalog.internal")
        app, metrics = create_sidecar(upstream, ["/books"])
        scope = {"type": "http", "method": "PUT", "path": "/books/7", "raw_path": b"/books/7",
                 "query_string": b"", "headers": [(b"content-length", b"100")],
                 "scheme": "http", "server": ("sidecar", 80), "root_path": ""}
        await app(scope, receive, send)  # no exception escapes: no traceback in the log
        await upstream.aclose()
        return metrics

    metrics = asyncio.run(scenario())
    assert service.calls == [] and metrics.requests == {("/books", "PUT", 499): 1}


def test_six_requests_render_exactly_the_metrics_shown_on_the_page():
    async def service(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/wp-login.php" or request.method == "BREW":
            return httpx.Response(404)
        return httpx.Response(201 if request.method == "POST" else 200)

    async def scenario():
        upstream = httpx.AsyncClient(transport=httpx.MockTransport(service),
                                     base_url="http://catalog.internal")
        app, metrics = create_sidecar(upstream, ["/books", "/books/search"])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://sidecar") as client:
            for method, path in [("GET", "/books"), ("GET", "/books"), ("POST", "/books"),
                                 ("BREW", "/books/1"), ("GET", "/books/search?q=tere"),
                                 ("GET", "/wp-login.php")]:
                await client.request(method, path)
        await upstream.aclose()
        return metrics

    assert asyncio.run(scenario()).render() == """\
# TYPE sidecar_requests_total counter
sidecar_requests_total{route="/books",method="GET",status="200"} 2
sidecar_requests_total{route="/books",method="OTHER",status="404"} 1
sidecar_requests_total{route="/books",method="POST",status="201"} 1
sidecar_requests_total{route="/books/search",method="GET",status="200"} 1
sidecar_requests_total{route="other",method="GET",status="404"} 1
"""


def test_a_body_that_does_not_decode_is_a_502_problem_not_a_500():
    service = Service(httpx.Response(200, stream=httpx.ByteStream(b"not gzip at all"),
                                     headers={"Content-Encoding": "gzip"}))
    response, metrics = call(service, "GET", "/books/7")
    assert response.status_code == 502 and "does not decode" in response.json()["detail"]
    assert metrics.requests == {("/books", "GET", 502): 1}


def test_the_service_is_asked_for_identity_and_an_unknown_coding_is_a_502():
    service = Service(httpx.Response(200, stream=httpx.ByteStream(b"(\xb5/\xfdgarbage"), headers={
        "Content-Encoding": "zstd", "Content-Type": "application/json"}))
    response, _ = call(service, "GET", "/books/7", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert service.calls[0].headers.get_list("accept-encoding") == ["identity"]
    assert response.status_code == 502 and "zstd" in response.json()["detail"]


def test_headers_named_in_connection_are_not_forwarded_either_way():
    service = Service(httpx.Response(200, headers=[("Connection", "x-internal"),
                                                   ("X-Internal", "service-only"), ("X-Ok", "1")]))
    response, _ = call(service, "GET", "/books/7", headers={"Connection": "x-secret",
                                                           "X-Secret": "drop-me", "X-Keep": "1"})
    sent = service.calls[0].headers
    assert "x-secret" not in sent and sent["x-keep"] == "1"
    assert "x-internal" not in response.headers and response.headers["x-ok"] == "1"


def test_head_keeps_the_length_a_get_would_have():
    service = Service(httpx.Response(200, headers={"Content-Length": "1234"}))
    response, _ = call(service, "HEAD", "/books/7")
    assert response.status_code == 200 and response.headers.get_list("content-length") == ["1234"]


def test_an_answer_larger_than_the_cap_is_a_502_problem():
    service = Service(httpx.Response(200, content=b"x" * (MAX_ANSWER + 1)))
    response, _ = call(service, "GET", "/books/7")
    assert response.status_code == 502 and f"exceeds {MAX_ANSWER} bytes" in response.json()["detail"]


def test_an_idempotent_request_is_retried_after_a_read_timeout():
    service = Service(httpx.ReadTimeout("no answer"), httpx.Response(204))
    response, _ = call(service, "PUT", "/books/7", content=b"{}")
    assert response.status_code == 204 and len(service.calls) == 2
