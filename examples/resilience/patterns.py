"""Three defenses against the ways a busy service fails (the Resilience Under Load page).

SingleFlight stops a thundering herd: when a popular cached value expires, every concurrent request
misses at once and all of them would hit the database; here they share one computation.
`with_fallback` is graceful degradation: an optional dependency that is slow or down costs the page
one feature, not the whole answer. JobIntake is backpressure: a bounded queue that answers
"503, retry after N seconds" when full, so that a burst slows its senders instead of growing memory
until the process dies.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
logger = logging.getLogger(__name__)


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
            task.add_done_callback(lambda done: self._finished(key, done))
        # shield: one caller giving up (a client disconnects) does not cancel it for the others
        return await asyncio.shield(task)

    def _finished(self, key: str, task: asyncio.Task) -> None:
        self._running.pop(key, None)
        # Read the error here: if every waiter gave up, nobody else would, and asyncio would log
        # "Task exception was never retrieved" when the task is garbage-collected.
        if not task.cancelled() and task.exception() is not None:
            logger.warning("single flight %r failed: %r", key, task.exception())
# --8<-- [end:single_flight]


# --8<-- [start:fallback]
async def with_fallback(fetch: Callable[[], Awaitable[T]], fallback: T,
                        timeout: float) -> tuple[T, bool]:
    """The dependency's answer, or `fallback` and degraded=True if it is slow or failing.

    Only for an optional feature: any Exception counts as failing (httpx.ConnectError is not an
    OSError, bad JSON is a ValueError, a bug is anything else), and it is logged. Cancellation
    is a BaseException, not an Exception, so a caller that gives up still stops the fetch."""
    try:
        return await asyncio.wait_for(fetch(), timeout), False
    except Exception:
        logger.warning("optional dependency failed; answering without it", exc_info=True)
        return fallback, True
# --8<-- [end:fallback]


# --8<-- [start:backpressure]
class Overloaded(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"queue full, retry after {retry_after} s")
        self.retry_after = retry_after


class ReportJob(BaseModel):
    """A job is a month, not an arbitrary document, so each queued job is a few bytes."""
    model_config = ConfigDict(extra="forbid")
    month: int = Field(ge=1, le=12)


class JobIntake:
    """A bounded queue: a full queue refuses new work at once instead of growing."""

    def __init__(self, capacity: int, retry_after: int = 5) -> None:
        self.queue: asyncio.Queue[ReportJob] = asyncio.Queue(maxsize=capacity)
        self.retry_after = retry_after

    def submit(self, job: ReportJob) -> None:
        try:
            self.queue.put_nowait(job)
        except asyncio.QueueFull:
            raise Overloaded(self.retry_after) from None


# --8<-- [end:backpressure]


# --8<-- [start:backpressure_app]
def create_app(intake: JobIntake) -> FastAPI:
    app = FastAPI()

    @app.post("/reports", status_code=202)
    async def order_report(job: ReportJob) -> dict:
        intake.submit(job)
        return {"queued": intake.queue.qsize()}

    @app.exception_handler(Overloaded)
    async def overloaded(_request, error: Overloaded) -> JSONResponse:
        return JSONResponse({"title": "Too busy, try again later", "status": 503},
                            status_code=503, media_type="application/problem+json",
                            headers={"Retry-After": str(error.retry_after)})

    @app.exception_handler(RequestValidationError)
    async def invalid(_request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"title": "Invalid report request", "status": 422,
                             "errors": [{"loc": e["loc"], "msg": e["msg"]} for e in error.errors()]},
                            status_code=422, media_type="application/problem+json")

    return app
# --8<-- [end:backpressure_app]
