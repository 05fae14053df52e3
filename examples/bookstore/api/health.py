"""Operations endpoints: liveness, readiness and metrics (not versioned, not public:
the reverse proxy in deploy/nginx.conf does not forward /metrics)."""

from __future__ import annotations

import logging
import sqlite3
from typing import Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

from bookstore.api.problems import problem, problem_responses
from bookstore.db.connection import connect
from bookstore.db.migrate import current_version, latest_version

router = APIRouter(tags=["operations"])
log = logging.getLogger("bookstore.health")


class Ready(BaseModel):
    status: Literal["ready"]
    schema_version: int


def database_version(path: str) -> int:
    conn = connect(path)
    try:
        conn.execute("SELECT 1")
        return current_version(conn)
    finally:
        conn.close()


# --8<-- [start:health_checks]
# `async def`: these run on the event loop itself, so they answer even while every worker
# thread is busy (FastAPI runs plain `def` routes in a pool of 40 threads).
@router.get("/healthz")
async def liveness() -> dict[str, str]:
    """Liveness: the process is up and answering. Checks nothing else, so a
    database outage does not make the orchestrator restart healthy processes."""
    return {"status": "ok"}


@router.get("/readyz", responses={200: {"model": Ready}, **problem_responses(503)})
async def readiness(request: Request) -> JSONResponse:
    """Readiness: can this instance serve traffic now? The database must answer and
    hold at least the schema this code expects; otherwise 503 and no traffic."""
    settings, health_threads = request.app.state.settings, request.app.state.health_threads
    try:  # SQLite blocks, so in a thread, from a small pool of its own
        version = await anyio.to_thread.run_sync(
            database_version, settings.database, limiter=health_threads
        )
    except sqlite3.Error as exc:
        log.warning("readiness check failed", extra={"error": str(exc)})
        return problem(request, 503, "Service Unavailable", "The database is not reachable.")
    expected = latest_version()
    if version < expected:  # this code needs tables or columns that are not there yet
        return problem(request, 503, "Service Unavailable", "Database migrations are pending.")
    if version > expected:
        # A newer release has migrated first. Its migrations keep the old code working
        # (expand and contract), so this instance stays in the pool until it is replaced.
        _note_newer_schema(version, expected)
    return JSONResponse({"status": "ready", "schema_version": version})


# --8<-- [end:health_checks]


_newer_schemas_seen: set[int] = set()  # log each newer version once, not at every probe


def _note_newer_schema(version: int, expected: int) -> None:
    if version not in _newer_schemas_seen:
        _newer_schemas_seen.add(version)
        log.warning(
            "schema is newer than this code (a newer release has migrated)",
            extra={"schema_version": version, "code_schema_version": expected},
        )


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> PlainTextResponse:
    """Prometheus text exposition format, version 0.0.4."""
    return PlainTextResponse(
        request.app.state.metrics.render(), media_type="text/plain; version=0.0.4"
    )
