"""The CDN half of the Shared Caches and CDNs page: examples/shared_cache/edge.conf in a real
nginx in front of a stub origin. Each test proves one sentence of the page about what an edge
stores (RFC 9111) and what it serves when the origin fails (RFC 5861)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from support import ROOT, skip_or_fail

EDGE_CONF = ROOT / "examples" / "shared_cache" / "edge.conf"


class Origin(BaseHTTPRequestHandler):
    """The bookstore stand-in: answers each path with the headers a test set, counts requests."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], str]]] = {}
    hits: ClassVar[Counter] = Counter()
    seen: ClassVar[dict[str, dict[str, str]]] = {}  # path -> the last request's headers

    def do_GET(self) -> None:
        Origin.hits[self.path] += 1
        Origin.seen[self.path] = {k.lower(): v for k, v in self.headers.items()}
        status, headers, body = Origin.routes.get(self.path.split("?")[0], (404, {}, "none"))
        if status == 0:  # the origin is down: the connection closes before any answer
            self.close_connection = True
            return
        # An origin that builds its answer from request headers, as many frameworks do.
        user = (self.headers.get("Authorization", "").removeprefix("Bearer ")
                or self.headers.get("Cookie", "").removeprefix("__Host-session="))
        host = self.headers.get("X-Forwarded-Host") or self.headers.get("Host", "")
        data = body.replace("{user}", user).replace("{host}", host).encode()
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(data))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def edge():
    nginx = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if nginx is None:
        skip_or_fail("nginx missing: install Debian package nginx-light or nginx")
    origin = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    home = Path(tempfile.mkdtemp(prefix="edge-", dir="/tmp"))
    home.chmod(0o755)  # as root, nginx's workers run as nobody and must reach the cache folder
    public, purge = free_port(), free_port()
    conf = (EDGE_CONF.read_text(encoding="utf-8")
            .replace("/var/cache/nginx/edge", str(home / "cache"))
            .replace("127.0.0.1:8001", f"127.0.0.1:{origin.server_address[1]}")
            .replace("127.0.0.1:8080", f"127.0.0.1:{public}")
            .replace("127.0.0.1:8081", f"127.0.0.1:{purge}"))
    (home / "nginx.conf").write_text(
        f"pid {home}/nginx.pid;\nerror_log {home}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{conf}\n}}\n", encoding="utf-8")
    server = subprocess.Popen([nginx, "-p", str(home), "-c", str(home / "nginx.conf"),
                               "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:  # wait until it listens (a bound, not an assertion about speed)
            try:
                socket.create_connection(("127.0.0.1", public), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {server.stderr.read()}") from None
                time.sleep(0.05)
        host = {"Host": "toko.example"}  # the name edge.conf serves; other hosts are closed
        with httpx.Client(base_url=f"http://127.0.0.1:{public}", headers=host) as client, \
                httpx.Client(base_url=f"http://127.0.0.1:{purge}", headers=host) as purger:
            yield client, purger
    finally:
        server.terminate()
        server.wait(timeout=10)
        origin.shutdown()
        shutil.rmtree(home, ignore_errors=True)


def serve(path: str, cache_control: str, body: str, status: int = 200, **extra: str) -> None:
    headers = {"Cache-Control": cache_control, "Content-Type": "text/html; charset=utf-8"}
    Origin.routes[path] = (status, {**headers, **extra}, body)


# --8<-- [start:s_maxage_test]
def test_the_edge_keeps_what_s_maxage_allows_and_the_browser_gets_max_age(edge):
    client, _ = edge
    serve("/books/42", "public, max-age=0, s-maxage=600", "<h1>Laskar Pelangi</h1>")
    first, second = client.get("/books/42"), client.get("/books/42")
    assert [first.headers["x-cache-status"], second.headers["x-cache-status"]] == ["MISS", "HIT"]
    assert Origin.hits["/books/42"] == 1 and second.text == "<h1>Laskar Pelangi</h1>"
    assert second.headers["cache-control"] == "public, max-age=0, s-maxage=600"  # passed on


def test_every_query_string_is_its_own_entry(edge):
    client, _ = edge
    serve("/books", "public, s-maxage=600", "<ul>...</ul>")
    for url in ("/books?page=2", "/books?page=2", "/books?page=2&utm_source=newsletter"):
        client.get(url)
    assert Origin.hits["/books?page=2"] == 1
    assert Origin.hits["/books?page=2&utm_source=newsletter"] == 1  # a second copy
# --8<-- [end:s_maxage_test]


# --8<-- [start:not_cached_test]
def test_private_and_set_cookie_responses_are_never_stored(edge):
    client, _ = edge
    serve("/account", "private, max-age=60", "<p>Halo, Sari</p>")
    serve("/welcome", "public, s-maxage=600", "<p>Selamat datang</p>",
          **{"Set-Cookie": "session=abc123; Secure; HttpOnly; SameSite=Lax"})
    for path in ("/account", "/account", "/welcome", "/welcome"):
        assert client.get(path).headers["x-cache-status"] == "MISS"
    assert Origin.hits["/account"] == 2 and Origin.hits["/welcome"] == 2


def test_answers_to_requests_with_authorization_are_never_shared(edge):
    client, _ = edge
    serve("/api/me", "max-age=60", '{"user":"{user}"}')  # the origin forgot "private"
    anonymous = client.get("/api/me")  # stored: no Authorization, max-age=60
    sari = client.get("/api/me", headers={"Authorization": "Bearer sari"})
    budi = client.get("/api/me", headers={"Authorization": "Bearer budi"})
    assert (sari.text, budi.text) == ('{"user":"sari"}', '{"user":"budi"}')
    assert [r.headers["x-cache-status"] for r in (anonymous, sari, budi)] == [
        "MISS", "BYPASS", "BYPASS"]  # never read from, never written to the cache
    assert client.get("/api/me").text == '{"user":""}'  # the anonymous entry is untouched


def test_a_logged_in_reader_is_never_served_from_the_cache(edge):
    client, _ = edge
    serve("/cart", "max-age=60", '{"user":"{user}"}')  # the origin forgot "private" again
    sari = client.get("/cart", headers={"Cookie": "__Host-session=sari"})
    budi = client.get("/cart", headers={"Cookie": "__Host-session=budi"})
    assert (sari.text, budi.text) == ('{"user":"sari"}', '{"user":"budi"}')
    assert {sari.headers["x-cache-status"], budi.headers["x-cache-status"]} == {"BYPASS"}
# --8<-- [end:not_cached_test]


# --8<-- [start:poisoning_test]
def test_unknown_hosts_are_closed_and_forwarded_headers_are_overwritten(edge):
    client, _ = edge
    serve("/books/77", "public, s-maxage=600", '<a href="https://{host}/books/77">')
    hostile = {"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example",
               "X-Forwarded-Port": "1337", "X-Forwarded-Prefix": "/evil",
               "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "gopher"}
    poisoned = client.get("/books/77", headers=hostile)
    assert poisoned.text == '<a href="https://toko.example/books/77">'  # not evil.example
    seen = Origin.seen["/books/77"]  # what the origin got: set by the edge, or nothing
    assert (seen["x-forwarded-host"], seen["x-forwarded-proto"]) == ("toko.example", "http")
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert not {"forwarded", "x-forwarded-port", "x-forwarded-prefix"} & seen.keys()
    with pytest.raises(httpx.RemoteProtocolError):  # 444: closed without an answer
        client.get("/books/77", headers={"Host": "evil.example"})
    assert Origin.hits["/books/77"] == 1
# --8<-- [end:poisoning_test]


# --8<-- [start:stale_test]
def first_answer_after_expiry(client: httpx.Client, path: str) -> httpx.Response:
    """Ask until the entry (s-maxage=1) is no longer fresh; nginx counts in whole seconds."""
    guard = time.monotonic() + 60  # a hang guard, never a measured budget
    while (answer := client.get(path)).headers["x-cache-status"] == "HIT":
        if time.monotonic() > guard:
            raise AssertionError("the entry never went stale")
        time.sleep(0.1)
    return answer


def test_stale_while_revalidate_answers_at_once_and_refreshes_behind(edge):
    client, _ = edge
    serve("/books/10", "public, s-maxage=1, stale-while-revalidate=600", "<h1>v1</h1>")
    client.get("/books/10")
    serve("/books/10", "public, s-maxage=1, stale-while-revalidate=600", "<h1>v2</h1>")
    stale = first_answer_after_expiry(client, "/books/10")
    assert (stale.headers["x-cache-status"], stale.text) == ("STALE", "<h1>v1</h1>")
    guard = time.monotonic() + 60  # the background request stores v2 shortly after
    while (fresh := client.get("/books/10")).text != "<h1>v2</h1>":
        if time.monotonic() > guard:  # a hang guard, never a measured budget
            raise AssertionError("the background refresh never landed")
        time.sleep(0.05)
    assert fresh.headers["x-cache-status"] == "HIT" and Origin.hits["/books/10"] == 2


def test_stale_if_error_serves_the_old_page_while_the_origin_is_down(edge):
    client, _ = edge
    serve("/books/7", "public, s-maxage=1, stale-if-error=600", "<h1>Bumi Manusia</h1>")
    serve("/books/8", "public, s-maxage=1, stale-if-error=600", "<h1>Cantik Itu Luka</h1>")
    client.get("/books/7"), client.get("/books/8")
    serve("/books/7", "", "", status=0)  # connection closed, no answer: the origin is down
    serve("/books/8", "no-store", "<h1>500</h1>", status=500)  # the origin answers 500
    for path, title in (("/books/7", "Bumi Manusia"), ("/books/8", "Cantik Itu Luka")):
        answer = first_answer_after_expiry(client, path)
        assert answer.status_code == 200 and answer.text == f"<h1>{title}</h1>"
        assert answer.headers["x-cache-status"] == "STALE" and Origin.hits[path] == 2
# --8<-- [end:stale_test]


# --8<-- [start:purge_test]
def test_the_purge_port_replaces_an_entry_at_once(edge):
    client, purger = edge
    serve("/books/9", "public, s-maxage=86400", "<p>Rp89.000</p>")
    client.get("/books/9")
    serve("/books/9", "public, s-maxage=86400", "<p>Rp79.000</p>")  # a price change
    assert client.get("/books/9").text == "<p>Rp89.000</p>"  # fresh for a day at the edge
    assert purger.get("/books/9").headers["x-cache-status"] == "BYPASS"
    after = client.get("/books/9")
    assert after.text == "<p>Rp79.000</p>" and after.headers["x-cache-status"] == "HIT"


def test_the_purge_port_cannot_remove_a_withdrawn_page(edge):
    client, purger = edge
    serve("/books/13", "public, s-maxage=86400", "<p>Diskon 50%</p>")
    client.get("/books/13")
    serve("/books/13", "no-store", "<p>not found</p>", status=404)  # the book is withdrawn
    assert purger.get("/books/13").status_code == 404  # fetched, but not storable...
    still = client.get("/books/13")  # ...so the old entry stays until s-maxage or inactive
    assert (still.status_code, still.text, still.headers["x-cache-status"]) == (
        200, "<p>Diskon 50%</p>", "HIT")


def test_a_purge_with_a_token_or_cookie_never_stores_a_private_answer(edge):
    # Regression: the purge port passed Authorization on, stored Sari's answer, and the
    # public port served it to everyone as a HIT.
    client, purger = edge
    serve("/api/profile", "max-age=60", '{"user":"{user}"}')  # the origin forgot "private"
    purger.get("/api/profile", headers={"Authorization": "Bearer sari"})
    purger.get("/api/profile", headers={"Cookie": "__Host-session=sari"})
    assert client.get("/api/profile").text == '{"user":""}'
    assert "authorization" not in Origin.seen["/api/profile"]
# --8<-- [end:purge_test]



def test_the_recorded_transcript_is_what_edge_demo_prints(edge):
    # output/edge.txt is the output of `python -m shared_cache.edge_demo`; it must stay so.
    from shared_cache import edge_demo

    if shutil.which("curl") is None:
        skip_or_fail("curl missing: install Debian package curl")
    port = free_port()
    recorded = (ROOT / "examples" / "shared_cache" / "output" / "edge.txt").read_text("utf-8")
    assert edge_demo.transcript(port).replace(f":{port}/", ":8080/") == recorded
    with pytest.raises(SystemExit):
        edge_demo.main(["--port", "70000"])


def test_edge_demo_ends_with_one_line_when_the_port_is_taken_or_curl_fails(edge, monkeypatch):
    # Regression: with another server on the port, curl hung and a TimeoutExpired traceback
    # came out after 10 s.
    from shared_cache import edge_demo

    if shutil.which("curl") is None:
        skip_or_fail("curl missing: install Debian package curl")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(SystemExit, match=r"port \d+ is in use — fix: --port N"):
            edge_demo.main(["--port", str(other.getsockname()[1])])

    def hung_curl(command, **kwargs):
        raise subprocess.TimeoutExpired(command, 10)

    monkeypatch.setattr(edge_demo.subprocess, "run", hung_curl)
    with pytest.raises(SystemExit, match=r"^edge_demo: curl \S+ failed"):
        edge_demo.transcript(free_port())
