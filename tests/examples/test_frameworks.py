"""Tests of examples/frameworks/: the bare WSGI and ASGI applications, what FastAPI does with
methods it was not given, and a blocking call inside `async def` versus `def`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.validate import validator

import httpx
import pytest
from bookstore.db.connection import connect
from fastapi import FastAPI
from fastapi.testclient import TestClient
from frameworks.blocking import make_app
from frameworks.interfaces import asgi_app, wsgi_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def wsgi_client() -> httpx.Client:
    # wsgiref's validator raises if the application breaks a rule of PEP 3333.
    return httpx.Client(transport=httpx.WSGITransport(app=validator(wsgi_app)), base_url="http://t")


async def asgi_requests(*requests: tuple[str, str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return [await client.request(method, url) for method, url in requests]


REQUESTS = [("GET", "/health?probe=1"), ("HEAD", "/health"), ("POST", "/health"), ("GET", "/x")]


# --8<-- [start:interfaces_test]
@pytest.mark.parametrize("interface", ["wsgi", "asgi"])
def test_both_interfaces_answer_the_same(interface):
    if interface == "wsgi":
        with wsgi_client() as client:
            responses = [client.request(method, url) for method, url in REQUESTS]
    else:
        responses = asyncio.run(asgi_requests(*REQUESTS))
    get, head, post, other = responses

    assert (get.status_code, get.json()) == (200, {"status": "ok"})  # the query is not the path
    assert (head.status_code, head.content) == (200, b"")  # the headers of GET, no body
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD")
    assert (other.status_code, other.json()) == (404, {"error": "not found"})


# --8<-- [end:interfaces_test]


def serve(command: list[str], port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=EXAMPLES,
        env={**os.environ, "PORT": str(port), **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(200):  # up to about 20 s for the server to listen
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(process.communicate()[1].decode()) from None
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not start")


@pytest.mark.parametrize("interface", ["wsgi", "asgi"])
def test_the_documented_commands_serve_health(interface, free_port):
    command = {
        "wsgi": [sys.executable, "-m", "frameworks.interfaces"],
        "asgi": [sys.executable, "-m", "uvicorn", "frameworks.interfaces:asgi_app",
                 "--port", str(free_port), "--log-level", "warning"],
    }[interface]  # fmt: skip
    process = serve(command, free_port)
    try:
        response = httpx.get(f"http://127.0.0.1:{free_port}/health", timeout=5)
        assert (response.status_code, response.json()) == (200, {"status": "ok"})
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ctrl_c_stops_the_wsgi_server_without_a_traceback(free_port):
    # Regression: Ctrl+C (SIGINT) printed a 15-line KeyboardInterrupt traceback and the
    # process died of the signal (status -2). Now it exits with 130 (128 + SIGINT), quietly.
    # As a user runs it, with Ctrl+C's KeyboardInterrupt even where the test runner was
    # started with SIGINT ignored (in the background; Python then keeps it ignored).
    with_ctrl_c = (
        "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler);"
        " runpy.run_module('frameworks.interfaces', run_name='__main__')"
    )
    process = serve([sys.executable, "-c", with_ctrl_c], free_port)
    try:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # pragma: no cover - only if SIGINT did not stop it
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr, stderr.decode()


@pytest.mark.parametrize("port", ["abc", "0", "65536", "busy"])
def test_a_bad_or_busy_port_gets_a_message_not_a_traceback(port):
    # Regression: PORT=abc gave "ValueError: invalid literal for int()" and a busy port
    # "OSError: [Errno 98] Address already in use", each with a full traceback.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        if port == "busy":
            port = str(busy.getsockname()[1])
            code, start, end = 1, f"cannot listen on 127.0.0.1:{port} (", "— fix: use another PORT"
        else:
            code, start, end = 2, f"PORT={port} is not a port number", "— fix: use a number from 1"
        result = subprocess.run(
            [sys.executable, "-m", "frameworks.interfaces"],
            cwd=EXAMPLES,
            env={**os.environ, "PORT": port},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith(start) and end in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback


# --8<-- [start:framework_methods_test]
def test_fastapi_answers_only_the_methods_a_route_declares(client):
    # The same route, declared with .get(), in a bare FastAPI app and in the bookstore.
    bare = TestClient(FastAPI())
    bare.app.get("/healthz")(lambda: {"status": "ok"})
    # The framework alone: 405, an Allow header with the methods the route declares, and
    # HEAD refused too, because FastAPI does not add it to a GET route.
    post = bare.post("/healthz")
    assert (post.status_code, post.headers["Allow"]) == (405, "GET")
    assert post.json() == {"detail": "Method Not Allowed"}
    assert bare.head("/healthz").status_code == 405
    # The bookstore: its error handler lists every method of the path (allowed_methods)
    # and writes problem details; the HeadAsGet middleware answers HEAD like GET.
    post = client.post("/healthz")
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD")
    assert post.headers["Content-Type"] == "application/problem+json"
    head = client.head("/healthz")
    assert (head.status_code, head.content) == (200, b"")


# --8<-- [end:framework_methods_test]


# --8<-- [start:middleware_chain_test]
def test_the_middleware_chain_from_the_outside_in(app):
    chain, layer = [], app.build_middleware_stack()
    while layer is not app.router:  # each layer calls the next one: layer.app
        dispatch = getattr(layer, "dispatch_func", None)  # an @app.middleware("http") function
        chain.append(dispatch.__name__ if dispatch else type(layer).__name__)
        layer = layer.app
    assert chain == [
        "ServerErrorMiddleware",  # FastAPI's: the last resort for an unhandled error
        "ExceptionTelemetryMiddleware",
        "AppBodyLimitMiddleware",  # FastAPI(max_body_size=...), no limit when not set
        "ProxyHeadersMiddleware",  # create_app adds it last, so it is the outermost of ours
        "add_security_headers",
        "observe_requests",
        "check_origin",
        "BodySizeLimit",
        "HeadAsGet",  # added first, so the innermost of ours
        "ExceptionMiddleware",  # FastAPI's: runs the exception handlers (problem details)
        "AsyncExitStackMiddleware",
    ]


# --8<-- [end:middleware_chain_test]


def test_the_bookstore_keeps_its_own_body_limit_for_problem_details_and_logs(settings):
    # FastAPI 0.165's FastAPI(max_body_size=...) sits outside the app's middleware. For a
    # Content-Length above the limit it swaps the app's answer for a plain-text 413, and the
    # metrics keep the status the route gave. The bookstore's BodySizeLimit runs inside, so
    # its 413 is a problem with the usual headers, counted as a 413.
    from bookstore.app import create_app
    from bookstore.security.body_limit import BodySizeLimit

    big = b"x" * (settings.max_body_bytes + 1)

    def answers(app: FastAPI) -> tuple[list, list[str]]:
        with TestClient(app, base_url="https://testserver") as client:
            result = []
            for method, url in (("POST", "/api/v1/users"), ("GET", "/healthz"), ("POST", "/nope")):
                r = client.request(method, url, content=big)
                result.append(
                    (
                        r.status_code,
                        r.headers["content-type"],
                        "x-request-id" in r.headers,
                        "content-security-policy" in r.headers,
                    )
                )
            metrics = client.get("/metrics").text
        return result, sorted(
            re.findall(r'^http_requests_total\{.*status="(\d+)"\}', metrics, re.MULTILINE)
        )

    own = create_app(settings)
    assert answers(own) == (
        [(413, "application/problem+json", True, True)] * 3,
        ["413", "413"],  # GET and POST series
    )
    framework = create_app(settings)  # the same app with FastAPI's limit instead
    framework.user_middleware = [m for m in framework.user_middleware if m.cls is not BodySizeLimit]
    framework.max_body_size = settings.max_body_bytes
    assert answers(framework) == (
        [(413, "text/plain; charset=utf-8", False, False)] * 3,
        ["200", "404", "413"],  # what the routes answered: /healthz 200, /nope 404
    )


def test_a_request_may_use_its_connection_from_several_threads(app, client, tmp_path):
    # FastAPI runs get_db (a generator) and a `def` route as separate jobs in its thread
    # pool, so under load one request opens, uses and closes its connection on different
    # threads. The bookstore's connect() allows that with check_same_thread=False; with
    # sqlite3's default, 95 of these 100 requests answered 500 in one run ("SQLite objects
    # created in a thread can only be used in that same thread"). How many depends on which
    # threads the pool hands out, so the rule itself is checked on two threads below.
    async def many() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            return await asyncio.gather(*(c.get("/api/v1/books/1") for _ in range(100)))

    assert {response.status_code for response in asyncio.run(many())} == {200}
    for open_db, refused in ((sqlite3.connect, True), (connect, False)):
        conn, errors = open_db(str(tmp_path / "threads.db")), []

        def use_elsewhere(conn=conn, errors=errors) -> None:
            try:
                conn.execute("SELECT 1")
            except sqlite3.ProgrammingError as error:
                errors.append(error)

        worker = threading.Thread(target=use_elsewhere)
        worker.start()
        worker.join()
        conn.close()
        assert bool(errors) is refused, open_db


RECORDED = EXAMPLES / "frameworks" / "output" / "head_and_405.txt"


def test_the_recorded_head_and_405_match_a_live_bookstore(tmp_path, free_port):
    """The curl transcript the page shows (frameworks/output/head_and_405.txt) is what
    `python -m bookstore` answers today; only the date and the request id change."""
    env = {"BOOKSTORE_PORT": str(free_port), "BOOKSTORE_DATABASE": str(tmp_path / "r.db")}
    server = serve([sys.executable, "-m", "bookstore"], free_port, env)
    try:
        base = f"http://127.0.0.1:{free_port}"
        live = [httpx.head(base + "/api/v1/books/1"), httpx.post(base + "/healthz")]
    finally:
        server.terminate()
        server.wait(timeout=20)

    def shown(response: httpx.Response) -> list[str]:  # what curl -sI / -si prints
        status = f"HTTP/1.1 {response.status_code} {response.reason_phrase}"
        fields = [f"{name.decode()}: {value.decode()}" for name, value in response.headers.raw]
        return [status, *fields, "", *response.text.splitlines()]

    recorded = RECORDED.read_text(encoding="utf-8").strip("\n").split("\n")
    blocks = "\n".join(line for line in recorded if not line.startswith("$ "))
    varying = re.compile(r"^(date|x-request-id): .*$", re.MULTILINE)
    live_text = "\n".join("\n".join(shown(response)) for response in live)
    assert varying.sub(r"\1: ...", live_text).strip() == varying.sub(r"\1: ...", blocks)


# --8<-- [start:blocking_test]
async def wait_then_signal(path: str, app: FastAPI | None = None) -> bool:
    """Start `path`, send /signal once that route has started, return what it saw."""
    app = app or make_app()
    app.state.started.clear()
    transport = httpx.ASGITransport(app=app)  # one event loop, as under uvicorn
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        waiting = asyncio.create_task(client.get(path))
        async with asyncio.timeout(10):  # a route that never starts fails, not hangs
            while not app.state.started.is_set():
                await asyncio.sleep(0.01)  # let the route start
        await client.get("/signal")
        return (await waiting).json()["other_request_ran"]


def test_a_blocking_call_in_async_def_stops_every_other_request():
    assert asyncio.run(wait_then_signal("/wait-async")) is False  # /signal had to wait
    assert asyncio.run(wait_then_signal("/wait-sync")) is True  # it ran meanwhile


# --8<-- [end:blocking_test]


def test_the_experiment_gives_the_same_answer_every_time():
    # Regression: the events were set once per app and never cleared, so after the first
    # /signal every later /wait-async answered true at once, under uvicorn as here.
    app = make_app()
    for path in ("/wait-async", "/wait-sync", "/wait-async", "/wait-async", "/wait-sync"):
        assert asyncio.run(wait_then_signal(path, app)) is (path == "/wait-sync"), path


def test_the_json_is_parsed_before_the_dependencies_and_validated_after(client):
    # The note under the page's diagram: without a token, broken JSON is a 422 (parsed
    # first), while well-formed JSON of the wrong shape is a 401 (the dependency runs
    # before pydantic checks the shape).
    headers = {"Content-Type": "application/json", "Origin": "https://testserver"}
    assert client.post("/api/v1/orders", content="{", headers=headers).status_code == 422
    wrong_shape = client.post("/api/v1/orders", content='{"items": []}', headers=headers)
    assert wrong_shape.status_code == 401
