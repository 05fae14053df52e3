"""Tests of examples/frameworks/: the bare WSGI and ASGI applications, what FastAPI does with
methods it was not given, and a blocking call inside `async def` versus `def`."""

from __future__ import annotations

import asyncio
import os
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


# --8<-- [start:framework_methods_test]
def test_fastapi_answers_only_the_methods_a_route_declares(client):
    # /healthz is declared with @router.get. Another method gets 405 and an Allow header
    # without a line of our code in the route.
    post = client.post("/healthz")
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD")
    assert post.headers["Content-Type"] == "application/problem+json"  # our error handler
    # FastAPI does not add HEAD to a GET route: on its own it answers HEAD with 405. The
    # bookstore answers it because create_app adds the HeadAsGet middleware.
    bare = FastAPI()
    bare.get("/healthz")(lambda: {"status": "ok"})
    assert TestClient(bare).head("/healthz").status_code == 405
    head = client.head("/healthz")
    assert (head.status_code, head.content) == (200, b"")


# --8<-- [end:framework_methods_test]


# --8<-- [start:blocking_test]
async def wait_then_signal(path: str) -> bool:
    """Start `path`, send /signal once that route has started, return what it saw."""
    app = make_app()
    transport = httpx.ASGITransport(app=app)  # one event loop, as under uvicorn
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        waiting = asyncio.create_task(client.get(path))
        while not app.state.started.is_set():
            await asyncio.sleep(0.01)  # let the route start
        await client.get("/signal")
        return (await waiting).json()["other_request_ran"]


def test_a_blocking_call_in_async_def_stops_every_other_request():
    assert asyncio.run(wait_then_signal("/wait-async")) is False  # /signal had to wait
    assert asyncio.run(wait_then_signal("/wait-sync")) is True  # it ran meanwhile


# --8<-- [end:blocking_test]
