"""Tests of examples/frameworks/: the bare WSGI and ASGI applications, what FastAPI does with
methods it was not given, and a blocking call inside `async def` versus `def`."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.validate import validator

import httpx
import pytest
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


def serve(command: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=EXAMPLES,
        env={**os.environ, "PORT": str(port)},
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
