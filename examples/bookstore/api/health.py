"""Operations endpoints: liveness, readiness and metrics (not versioned, not public:
the reverse proxy in deploy/nginx.conf does not forward /metrics)."""

from __future__ import annotations

import logging
import sqlite3

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from bookstore.api.problems import problem
from bookstore.db.connection import connect
from bookstore.db.migrate import current_version, latest_version

router = APIRouter(tags=["operations"])
log = logging.getLogger("bookstore.health")


# --8<-- [start:health_checks]
@router.get("/healthz")
def liveness() -> dict:
    """Liveness: the process is up and answering. Checks nothing else, so a
    database outage does not make the orchestrator restart healthy processes."""
    return {"status": "ok"}


@router.get("/readyz")
def readiness(request: Request) -> JSONResponse:
    """Readiness: can this instance serve traffic now? The database must answer
    and hold the schema this code expects; otherwise 503 and no traffic."""
    try:
        conn = connect(request.app.state.settings.database)
        try:
            conn.execute("SELECT 1")
            version = current_version(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        log.warning("readiness check failed", extra={"error": str(exc)})
        return problem(request, 503, "Not ready", "The database is not reachable.")
    if version != latest_version():
        return problem(request, 503, "Not ready", "Database migrations are pending.")
    return JSONResponse({"status": "ready", "schema_version": version})


# --8<-- [end:health_checks]


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(request: Request) -> PlainTextResponse:
    """Prometheus text exposition format, version 0.0.4."""
    return PlainTextResponse(
        request.app.state.metrics.render(), media_type="text/plain; version=0.0.4"
    )
