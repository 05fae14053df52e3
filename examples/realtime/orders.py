"""An order's status pushed to a client four ways: short polling, long polling, server-sent events
and a WebSocket (the Real-Time Data page).

Every change of an order's status gets a number, counting from 1, and the client sees it as a
version `<epoch>.<number>`: the `version` a poll answers with, the `since` of a long poll, the
`id:` of a server-sent event (which a browser sends back as `Last-Event-ID` when it reconnects)
and the `since` a WebSocket client asks for. A client that lost its connection asks only for what
it missed. The epoch is new at every start of the board, because the numbers start again from 1:
a version from another epoch tells the board that the client must get everything again.

One process keeps the changes in memory (StatusBoard), which is enough to show each technique's
exchange. Several processes need a shared channel instead, such as PostgreSQL's LISTEN/NOTIFY or
Redis pub/sub, because a change published in one process never wakes a client waiting in another.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from typing import Literal

from bookstore.api.problems import install_problem_handlers
from fastapi import FastAPI, Header, HTTPException, Query, Response, WebSocket
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError
from starlette.websockets import WebSocketDisconnect

Status = Literal["paid", "packed", "shipped", "delivered", "cancelled"]
FINAL = {"delivered", "cancelled"}
VERSION = r"^[0-9a-f]{8}\.(0|[1-9][0-9]{0,6})$"  # "<epoch>.<number>", e.g. "3f9a1c2b.2"


# --8<-- [start:board]
class StatusBoard:
    """Each order's status changes, numbered from 1, and a way to wait for the next one."""

    def __init__(self) -> None:
        self._changes: dict[int, list[str]] = {}
        self._changed = asyncio.Condition()
        # The changes live in memory, so after a restart the numbers start again from 1 and a
        # client's "2" could name another change. A random epoch per start tells them apart.
        self.epoch = secrets.token_hex(4)

    def version(self, number: int) -> str:
        return f"{self.epoch}.{number}"

    def number(self, version: str | None) -> int:
        """The change number a client's version names; 0 (send everything) for none or for a
        version from another epoch. `version` has already matched VERSION."""
        if not version:
            return 0
        epoch, number = version.split(".")
        return int(number) if epoch == self.epoch else 0
    # --8<-- [end:board]

    # --8<-- [start:board_changes]
    async def publish(self, order_id: int, status: str) -> int:
        async with self._changed:
            changes = self._changes.setdefault(order_id, [])
            changes.append(status)
            self._changed.notify_all()  # wake every waiting poll, stream and socket
            return len(changes)

    def since(self, order_id: int, version: int) -> list[tuple[int, str]]:
        changes = self._changes.get(order_id, [])
        if version > len(changes):  # a number this board never gave out: send every change
            version = 0
        return list(enumerate(changes, start=1))[version:]

    async def wait(self, order_id: int, version: int, timeout: float) -> list[tuple[int, str]]:
        """The changes after `version`, waiting up to `timeout` seconds for one; [] if none came."""
        try:
            # asyncio.timeout, not asyncio.wait_for: the wait stays in this task, so a second
            # cancellation cannot leave the lock held by a task that no longer runs.
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: self.since(order_id, version))
                return self.since(order_id, version)
        except TimeoutError:
            return []

    def final_version(self, order_id: int) -> int | None:
        """The version of the order's final status, or None while it can still change."""
        changes = self._changes.get(order_id, [])
        return len(changes) if changes and changes[-1] in FINAL else None
# --8<-- [end:board_changes]


# --8<-- [start:sse_stream]
def sse_event(version: str, status: str) -> str:
    # One event: fields, one per line, and a blank line that ends it (WHATWG HTML, 9.2).
    return f"id: {version}\nevent: status\ndata: {json.dumps({'status': status})}\n\n"


async def status_stream(board: StatusBoard, order_id: int, since: int,
                        heartbeat: float) -> AsyncIterator[str]:
    yield "retry: 3000\n\n"  # reconnect after 3 s if the connection drops
    version = since
    while True:
        changes = await board.wait(order_id, version, heartbeat)
        if not changes:
            yield ": keep-alive\n\n"  # a comment: clients ignore it, proxies see traffic
            continue
        for version, status in changes:
            yield sse_event(board.version(version), status)
        if changes[-1][1] in FINAL:
            return  # nothing more will happen to this order: end the stream
# --8<-- [end:sse_stream]


class StatusChange(BaseModel):
    status: Status


class Subscribe(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: StrictStr | None = Field(None, pattern=VERSION)  # none yet: {} or {"since": null}


MAX_MESSAGE = 100  # bytes of UTF-8; {"since": "3f9a1c2b.1000000"} needs 30


def create_app(board: StatusBoard | None = None, *, poll_timeout: float = 25.0,
               heartbeat: float = 15.0,
               allowed_origins: frozenset[str] = frozenset({"https://bookstore.example"})) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)  # every error is problem details (skills/apis)
    board = board or StatusBoard()
    app.state.board = board

    @app.post("/orders/{order_id}/status", status_code=201)
    async def change_status(order_id: int, change: StatusChange) -> dict:
        return {"version": board.version(await board.publish(order_id, change.status))}

    # --8<-- [start:short_poll]
    @app.get("/orders/{order_id}/status")
    async def current_status(order_id: int) -> dict:
        changes = board.since(order_id, 0)
        if not changes:
            raise HTTPException(404, "no such order")
        version, status = changes[-1]
        return {"version": board.version(version), "status": status}
    # --8<-- [end:short_poll]

    # --8<-- [start:long_poll]
    @app.get("/orders/{order_id}/status/next")
    async def next_status(order_id: int,
                          since: str | None = Query(None, pattern=VERSION)) -> Response:
        if not board.since(order_id, 0):
            raise HTTPException(404, "no such order")
        changes = await board.wait(order_id, board.number(since), poll_timeout)
        if not changes:
            return Response(status_code=204)  # nothing new: the client asks again at once
        version, status = changes[-1]
        return Response(json.dumps({"version": board.version(version), "status": status}),
                        media_type="application/json")
    # --8<-- [end:long_poll]

    # --8<-- [start:sse_route]
    @app.get("/orders/{order_id}/events")
    async def events(order_id: int, last_event_id: str | None = Header(
            None, alias="Last-Event-ID", pattern=VERSION)) -> Response:
        if not board.since(order_id, 0):
            raise HTTPException(404, "no such order")
        seen = board.number(last_event_id)  # 0 for a version from before a restart
        final = board.final_version(order_id)
        if final is not None and seen == final:
            # The client has the final status. 204 is the one answer that stops EventSource from
            # reconnecting (WHATWG HTML, 9.2); a 200 would start an endless stream of keep-alive comments.
            return Response(status_code=204)
        return StreamingResponse(
            status_stream(board, order_id, seen, heartbeat),
            media_type="text/event-stream",
            # no cache may keep a live stream; nginx must pass each event on at once
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    # --8<-- [end:sse_route]

    # --8<-- [start:websocket]
    @app.websocket("/orders/{order_id}/live")
    async def live(websocket: WebSocket, order_id: int) -> None:
        # A browser sends Origin; another site's page may not use the visitor's cookies here
        # (RFC 6455, 10.2). Closing before accept() refuses the handshake with 403.
        origin = websocket.headers.get("origin")
        if (origin is not None and origin not in allowed_origins) or not board.since(order_id, 0):
            await websocket.close(code=1008)  # another site's page, or no such order
            return
        await websocket.accept()
        # The client speaks first: which changes it already has.
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        try:
            if text is None or len(text.encode()) > MAX_MESSAGE:  # a binary frame, or too long
                raise ValueError(text)
            # the length cap has already refused deep nesting: 100 bytes hold at most 49 levels
            subscribe = Subscribe.model_validate_json(text)
        except (ValidationError, ValueError):  # not {"since": "<epoch>.<number>"} or {}
            await websocket.close(code=1008, reason='send {"since": "<version>"}')
            return
        version = board.number(subscribe.since)
        try:
            while True:
                changes = await board.wait(order_id, version, heartbeat)
                if not changes:  # a message now and then: a dead client shows up as an error
                    await websocket.send_json({"keep_alive": True})
                for version, status in changes:
                    await websocket.send_json({"version": board.version(version),
                                               "status": status})
                if changes and changes[-1][1] in FINAL:
                    await websocket.close(code=1000)  # normal closure (RFC 6455, 7.4.1)
                    return
        except WebSocketDisconnect:
            return  # the client left; nothing to clean up
    # --8<-- [end:websocket]

    return app
