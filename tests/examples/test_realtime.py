"""Real-time data samples (examples/realtime/orders.py): short polling, long polling, server-sent
events and a WebSocket, each proving what the Real-Time Data page says about it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from realtime.orders import StatusBoard, create_app, sse_event, status_stream
from starlette.websockets import WebSocketDisconnect
from support import skip_or_fail


@pytest.fixture
def client():
    # One TestClient context keeps one event loop for every request of a test, as a server does.
    with TestClient(create_app(poll_timeout=0.2, heartbeat=0.05)) as test_client:
        yield test_client


def advance(client: TestClient, order_id: int, *statuses: str) -> None:
    for status in statuses:
        assert client.post(f"/orders/{order_id}/status", json={"status": status}).status_code == 201


def v(client: TestClient, number: int) -> str:
    """The version a client sees for change `number`: "<epoch>.<number>"."""
    return client.app.state.board.version(number)


def test_a_short_poll_answers_at_once_with_the_latest_version(client):
    missing = client.get("/orders/7/status")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "no such order"
    advance(client, 7, "paid", "packed")
    assert client.get("/orders/7/status").json() == {"version": v(client, 2), "status": "packed"}


# --8<-- [start:long_poll_test]
def test_a_long_poll_waits_for_a_change_and_answers_204_when_none_comes(client):
    advance(client, 7, "paid")
    # A new client sends no version and gets the newest change at once.
    assert client.get("/orders/7/status/next").json() == {"version": v(client, 1), "status": "paid"}
    # Up to date: the server holds the request for poll_timeout (0.2 s here), then answers 204.
    waited = client.get("/orders/7/status/next", params={"since": v(client, 1)})
    assert waited.status_code == 204 and waited.content == b""


def test_a_waiting_long_poll_is_answered_by_the_change():
    async def scenario():
        board = StatusBoard()
        await board.publish(7, "paid")
        waiting = asyncio.create_task(board.wait(7, 1, timeout=5))
        await asyncio.sleep(0.01)
        assert not waiting.done()  # held open: nothing new yet
        await board.publish(7, "packed")
        return await asyncio.wait_for(waiting, 1)

    assert asyncio.run(scenario()) == [(2, "packed")]
# --8<-- [end:long_poll_test]


@pytest.mark.parametrize("since", ["-1", "abc", "1", "1.0", "3f9a1c2b.01", "3F9A1C2B.1",
                                   "3f9a1c2b.10000000", " 3f9a1c2b.1"])
def test_a_long_poll_refuses_a_bad_since_with_422(client, since):
    answer = client.get("/orders/7/status/next", params={"since": since})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


# --8<-- [start:sse_test]
def test_server_sent_events_resume_after_the_last_event_id(client):
    advance(client, 7, "paid", "packed", "shipped", "delivered")
    with client.stream("GET", "/orders/7/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        body = response.read().decode()
    assert body.startswith("retry: 3000\n\n")
    assert body.count("event: status\n") == 4  # the stream ends after the final status
    # A browser that reconnects sends the last id it saw and gets only what came after it.
    resumed = client.get("/orders/7/events", headers={"Last-Event-ID": v(client, 2)}).text
    assert resumed == ("retry: 3000\n\n" + sse_event(v(client, 3), "shipped")
                       + sse_event(v(client, 4), "delivered"))
    assert sse_event("3f9a1c2b.4", "delivered") == \
        'id: 3f9a1c2b.4\nevent: status\ndata: {"status": "delivered"}\n\n'
    # After the final status the browser reconnects once more; 204 tells EventSource to stop.
    done = client.get("/orders/7/events", headers={"Last-Event-ID": v(client, 4)})
    assert done.status_code == 204 and done.content == b""


def test_an_idle_stream_sends_keep_alive_comments_until_something_happens():
    async def scenario():
        board = StatusBoard()
        stream = status_stream(board, 7, since=0, heartbeat=0.02)
        frames = [await anext(stream), await anext(stream), await anext(stream)]
        await board.publish(7, "cancelled")
        frames += [frame async for frame in stream]  # ends by itself after a final status
        return frames, board.version(1)

    frames, first = asyncio.run(scenario())
    assert frames == ["retry: 3000\n\n", ": keep-alive\n\n", ": keep-alive\n\n",
                      sse_event(first, "cancelled")]
# --8<-- [end:sse_test]


def test_an_unknown_order_gets_404_not_an_endless_stream(client):
    assert client.get("/orders/99/events").status_code == 404
    assert client.get("/orders/99/status/next").status_code == 404


def test_a_version_from_before_a_restart_gets_every_change_on_all_three_routes():
    # Regression: versions were bare numbers that start again from 1 after a restart. A client
    # that had "2" (packed) before it got 204 from SSE and from the long poll after the new board
    # gave out 1 (shipped) and 2 (delivered), and never saw either. The epoch tells them apart.
    with TestClient(create_app(poll_timeout=0.2, heartbeat=0.05)) as before:
        advance(before, 7, "paid", "packed")
        old = before.get("/orders/7/status").json()["version"]  # the client keeps this
    with TestClient(create_app(poll_timeout=0.2, heartbeat=0.05)) as after:  # a restart
        advance(after, 7, "shipped", "delivered")
        assert old != v(after, 2)
        assert after.get("/orders/7/status/next", params={"since": old}).json() == \
            {"version": v(after, 2), "status": "delivered"}
        resumed = after.get("/orders/7/events", headers={"Last-Event-ID": old})
        assert resumed.status_code == 200  # not 204: the client never saw this final status
        assert resumed.text == ("retry: 3000\n\n" + sse_event(v(after, 1), "shipped")
                                + sse_event(v(after, 2), "delivered"))
        with after.websocket_connect("/orders/7/live") as socket:
            socket.send_json({"since": old})
            assert socket.receive_json() == {"version": v(after, 1), "status": "shipped"}
            assert socket.receive_json() == {"version": v(after, 2), "status": "delivered"}


def test_a_client_ahead_of_the_board_gets_every_change(client):
    # A number this board never gave out, even in its own epoch, is stale too.
    advance(client, 7, "paid")
    assert client.get("/orders/7/status/next", params={"since": v(client, 3)}).json() == \
        {"version": v(client, 1), "status": "paid"}


def test_a_stream_ahead_of_the_server_ends_once_the_order_is_final():
    async def scenario():
        board = StatusBoard()
        await board.publish(7, "paid")
        stream = status_stream(board, 7, since=5, heartbeat=0.02)
        frames = [await anext(stream), await anext(stream)]
        await board.publish(7, "delivered")
        frames += [frame async for frame in stream]
        return frames, board

    frames, board = asyncio.run(scenario())
    assert frames == ["retry: 3000\n\n", sse_event(board.version(1), "paid"),
                      sse_event(board.version(2), "delivered")]


@pytest.mark.parametrize("last", ["x", "4", "1.0", "3f9a1c2b.+2"])
def test_a_bad_last_event_id_is_refused_with_422(client, last):
    advance(client, 7, "paid")
    answer = client.get("/orders/7/events", headers={"Last-Event-ID": last})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


# --8<-- [start:websocket_test]
def test_a_websocket_client_says_what_it_has_and_gets_the_rest(client):
    advance(client, 7, "paid", "packed", "shipped", "delivered")
    with client.websocket_connect("/orders/7/live") as socket:
        socket.send_json({"since": v(client, 2)})
        assert socket.receive_json() == {"version": v(client, 3), "status": "shipped"}
        assert socket.receive_json() == {"version": v(client, 4), "status": "delivered"}
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1000  # normal closure after the final status


@pytest.mark.parametrize("first", [
    "hello", '{"since": 2}', "[1]", '{"since": true}', '{"since": "2"}', '{"since": 1.0}',
    '{"since": null, "x": 1}', "[" * 100_000 + "]" * 100_000, b"{}",
    "é" * 60])  # 60 characters, 120 bytes
def test_a_websocket_that_does_not_subscribe_properly_is_closed_with_1008(client, first):
    advance(client, 7, "paid")
    with client.websocket_connect("/orders/7/live") as socket:
        if isinstance(first, bytes):
            socket.send_bytes(first)  # a binary frame, even with the right content
        else:
            socket.send_text(first)
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1008  # policy violation (RFC 6455, 7.4.1)


def test_a_websocket_from_another_sites_page_is_refused(client):
    advance(client, 7, "paid")
    evil = {"Origin": "https://evil.example"}
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(
            "/orders/7/live", headers=evil):
        pass
    assert refused.value.code == 1008  # a real server answers the handshake with 403
    own = {"Origin": "https://bookstore.example"}
    with client.websocket_connect("/orders/7/live", headers=own) as socket:
        socket.send_json({"since": v(client, 1)})  # the shop's own page is let in
        assert socket.receive_json() == {"keep_alive": True}
# --8<-- [end:websocket_test]


def test_an_idle_websocket_gets_keep_alive_messages(client):
    advance(client, 8, "paid")
    with client.websocket_connect("/orders/8/live") as socket:
        socket.send_json({})  # a new client: no version yet
        assert socket.receive_json() == {"version": v(client, 1), "status": "paid"}
        assert socket.receive_json() == {"keep_alive": True}
        advance(client, 8, "cancelled")
        message = socket.receive_json()
        while message == {"keep_alive": True}:
            message = socket.receive_json()
        assert message == {"version": v(client, 2), "status": "cancelled"}


def test_a_websocket_for_an_unknown_order_is_refused(client):
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/orders/99/live"):
        pass
    assert refused.value.code == 1008  # not an endless stream of keep-alive messages


def test_an_unknown_status_is_refused_with_422(client):
    answer = client.post("/orders/7/status", json={"status": "lost"})
    assert answer.status_code == 422
    assert answer.json()["type"] == "https://bookstore.example/problems/invalid-request"


def test_waiters_cancelled_twice_do_not_leave_the_board_locked():
    # Regression: wait() ran Condition.wait_for in a separate task (asyncio.wait_for). A waiter
    # cancelled again while that task was being cancelled released the lock, the inner task took
    # it back and died holding it, and every later publish() blocked forever.
    async def scenario():
        board = StatusBoard()
        waiters = [asyncio.create_task(board.wait(7, 0, timeout=5)) for _ in range(2)]
        await asyncio.sleep(0.01)
        for waiter in waiters:
            waiter.cancel()
        await asyncio.sleep(0)
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
        return await asyncio.wait_for(board.publish(7, "paid"), 1)

    assert asyncio.run(scenario()) == 1


def test_nginx_accepts_the_real_time_config(tmp_path):
    # examples/realtime/nginx.conf inside a minimal http block that this user can test.
    nginx = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
    if nginx is None:
        skip_or_fail("nginx missing: install Debian package nginx-light or nginx")
    include = Path(__file__).resolve().parents[2] / "examples" / "realtime" / "nginx.conf"
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
                    f"events {{}}\nhttp {{\n    access_log off;\n    include {include};\n}}\n",
                    encoding="utf-8")
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)],
                            check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = include.read_text(encoding="utf-8")
    assert "proxy_buffering off;" in text and "proxy_set_header Upgrade $http_upgrade;" in text


def test_the_browser_client_closes_its_event_source_after_a_final_status(tmp_path):
    # examples/realtime/client.mjs under Node with a stand-in EventSource that replays events.
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node missing: install Debian package nodejs")
    client = Path(__file__).resolve().parents[2] / "examples" / "realtime" / "client.mjs"
    script = tmp_path / "run.mjs"
    script.write_text(f"""
import {{ followOrder }} from {json.dumps(client.as_uri())};
class FakeSource {{
  constructor(url) {{ this.url = url; this.closed = false; this.listeners = {{}}; }}
  addEventListener(type, listener) {{ this.listeners[type] = listener; }}
  close() {{ this.closed = true; }}
  emit(status) {{ this.listeners.status({{ data: JSON.stringify({{ status }}) }}); }}
}}
const seen = [];
const source = followOrder(7, (status) => seen.push(status), FakeSource);
source.emit("packed");
const openAfterPacked = !source.closed;
source.emit("delivered");
console.log(JSON.stringify({{ url: source.url, seen, openAfterPacked, closed: source.closed }}));
""", encoding="utf-8")
    result = subprocess.run([node, str(script)], check=False, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"url": "/orders/7/events", "seen": ["packed", "delivered"],
                                         "openAfterPacked": True, "closed": True}


@pytest.fixture(scope="module")
def real_server():
    """The app under a real uvicorn with the pinned `websockets` package, once for this module.
    The socket listens before the server thread starts, so no client has to wait or retry."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # a free port
    listener.listen()
    server = uvicorn.Server(uvicorn.Config(create_app(heartbeat=5.0), ws="auto",
                                           lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


def test_a_real_uvicorn_refuses_another_origin_with_403_and_updates_its_own(real_server):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    http = httpx.Client(base_url=f"http://{real_server}", timeout=5)
    first = http.post("/orders/9/status", json={"status": "paid"}).json()["version"]
    url = f"ws://{real_server}/orders/9/live"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin="https://evil.example", open_timeout=5).close()
    assert refused.value.response.status_code == 403
    with connect(url, origin="https://bookstore.example", open_timeout=5) as live:
        live.send(json.dumps({"since": first}))
        http.post("/orders/9/status", json={"status": "delivered"})
        update = json.loads(live.recv(timeout=5))
        assert update["status"] == "delivered" and update["version"].endswith(".2")
