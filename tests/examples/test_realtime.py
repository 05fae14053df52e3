"""Real-time data samples (examples/realtime/orders.py): short polling, long polling, server-sent
events and a WebSocket, each proving what the Real-Time Data page says about it."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from realtime.orders import StatusBoard, create_app, sse_event, status_stream
from starlette.websockets import WebSocketDisconnect


@pytest.fixture
def client():
    # One TestClient context keeps one event loop for every request of a test, as a server does.
    with TestClient(create_app(poll_timeout=0.2, heartbeat=0.05)) as test_client:
        yield test_client


def advance(client: TestClient, order_id: int, *statuses: str) -> None:
    for status in statuses:
        assert client.post(f"/orders/{order_id}/status", json={"status": status}).status_code == 201


def test_a_short_poll_answers_at_once_with_the_latest_version(client):
    assert client.get("/orders/7/status").status_code == 404
    advance(client, 7, "paid", "packed")
    assert client.get("/orders/7/status").json() == {"version": 2, "status": "packed"}


# --8<-- [start:long_poll_test]
def test_a_long_poll_waits_for_a_change_and_answers_204_when_none_comes(client):
    advance(client, 7, "paid")
    # Already behind: the answer comes at once, with the newest change.
    assert client.get("/orders/7/status/next", params={"since": 0}).json() == \
        {"version": 1, "status": "paid"}
    # Up to date: the server holds the request for poll_timeout (0.2 s here), then answers 204.
    waited = client.get("/orders/7/status/next", params={"since": 1})
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


@pytest.mark.parametrize("since", ["-1", "abc", "1000001"])
def test_a_long_poll_refuses_a_bad_since_with_422(client, since):
    assert client.get("/orders/7/status/next", params={"since": since}).status_code == 422


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
    resumed = client.get("/orders/7/events", headers={"Last-Event-ID": "2"}).text
    assert resumed == "retry: 3000\n\n" + sse_event(3, "shipped") + sse_event(4, "delivered")
    assert sse_event(4, "delivered") == 'id: 4\nevent: status\ndata: {"status": "delivered"}\n\n'


def test_an_idle_stream_sends_keep_alive_comments_until_something_happens():
    async def scenario():
        board = StatusBoard()
        stream = status_stream(board, 7, since=0, heartbeat=0.02)
        frames = [await anext(stream), await anext(stream), await anext(stream)]
        await board.publish(7, "cancelled")
        frames += [frame async for frame in stream]  # ends by itself after a final status
        return frames

    assert asyncio.run(scenario()) == ["retry: 3000\n\n", ": keep-alive\n\n",
                                       ": keep-alive\n\n", sse_event(1, "cancelled")]
# --8<-- [end:sse_test]


def test_a_bad_last_event_id_is_refused_with_422(client):
    assert client.get("/orders/7/events", headers={"Last-Event-ID": "x"}).status_code == 422


# --8<-- [start:websocket_test]
def test_a_websocket_client_says_what_it_has_and_gets_the_rest(client):
    advance(client, 7, "paid", "packed", "shipped", "delivered")
    with client.websocket_connect("/orders/7/live") as socket:
        socket.send_json({"since": 2})
        assert socket.receive_json() == {"version": 3, "status": "shipped"}
        assert socket.receive_json() == {"version": 4, "status": "delivered"}
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1000  # normal closure after the final status


@pytest.mark.parametrize("first", ["hello", '{"since": -1}', "[1]"])
def test_a_websocket_that_does_not_subscribe_properly_is_closed_with_1008(client, first):
    with client.websocket_connect("/orders/7/live") as socket:
        socket.send_text(first)
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1008  # policy violation (RFC 6455, 7.4.1)
# --8<-- [end:websocket_test]


def test_an_idle_websocket_gets_keep_alive_messages(client):
    with client.websocket_connect("/orders/8/live") as socket:
        socket.send_json({"since": 0})
        assert socket.receive_json() == {"keep_alive": True}
        advance(client, 8, "cancelled")
        message = socket.receive_json()
        while message == {"keep_alive": True}:
            message = socket.receive_json()
        assert message == {"version": 1, "status": "cancelled"}


def test_an_unknown_status_is_refused_with_422(client):
    assert client.post("/orders/7/status", json={"status": "lost"}).status_code == 422
