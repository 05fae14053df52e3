"""Three defences against the ways a busy service fails (the Resilience Under Load page).

SingleFlight stops a thundering herd: when a popular cached value expires, every concurrent request
misses at once and all of them would hit the database; here they share one computation.
`with_fallback` is graceful degradation: an optional dependency that is slow or down costs the page
one feature, not the whole answer. JobIntake is backpressure: a bounded queue that answers
"503, retry after N seconds" when full, so that a burst slows its senders instead of growing memory
until the process dies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import FastAPI
from fastapi.responses import JSONResponse

T = TypeVar("T")


# --8<-- [start:single_flight]
class SingleFlight:
    """Concurrent calls for the same key share one computation and its result or error."""

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Task] = {}

    async def do(self, key: str, compute: Callable[[], Awaitable[T]]) -> T:
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(compute())
            self._running[key] = task
            task.add_done_callback(lambda _done: self._running.pop(key, None))
        # shield: one caller giving up (a client disconnects) does not cancel it for the others
        return await asyncio.shield(task)
# --8<-- [end:single_flight]


# --8<-- [start:fallback]
async def with_fallback(fetch: Callable[[], Awaitable[T]], fallback: T,
                        timeout: float) -> tuple[T, bool]:
    """The dependency's answer, or `fallback` and degraded=True if it is slow or failing."""
    try:
        return await asyncio.wait_for(fetch(), timeout), False
    except (TimeoutError, ConnectionError, OSError):
        return fallback, True
# --8<-- [end:fallback]


# --8<-- [start:backpressure]
class Overloaded(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"queue full, retry after {retry_after} s")
        self.retry_after = retry_after


class JobIntake:
    """A bounded queue: a full queue refuses new work at once instead of growing."""

    def __init__(self, capacity: int, retry_after: int = 5) -> None:
        self.queue: asyncio.Queue[dict] = asyncio.Queue(maxsize=capacity)
        self.retry_after = retry_after

    def submit(self, job: dict) -> None:
        try:
            self.queue.put_nowait(job)
        except asyncio.QueueFull:
            raise Overloaded(self.retry_after) from None


def create_app(intake: JobIntake) -> FastAPI:
    app = FastAPI()

    @app.post("/reports", status_code=202)
    async def order_report(job: dict) -> dict:
        intake.submit(job)
        return {"queued": intake.queue.qsize()}

    @app.exception_handler(Overloaded)
    async def overloaded(_request, error: Overloaded) -> JSONResponse:
        return JSONResponse({"title": "Too busy, try again later", "status": 503},
                            status_code=503, media_type="application/problem+json",
                            headers={"Retry-After": str(error.retry_after)})

    return app
# --8<-- [end:backpressure]
