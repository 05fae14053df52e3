"""Health checks and graceful shutdown of the real server (deployment files: test_deploy.py)."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bookstore.api import health
from bookstore.db.connection import connect

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


# --8<-- [start:health_tests]
def test_liveness_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_not_ready_while_migrations_are_pending(client, settings):
    conn = connect(settings.database)
    last = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    conn.execute("DELETE FROM schema_migrations WHERE version = ?", (last,))  # as if not applied
    conn.close()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert client.get("/healthz").status_code == 200  # alive, just not ready


# --8<-- [end:health_tests]


def test_still_ready_on_a_schema_a_newer_release_has_migrated(
    client, settings, caplog, monkeypatch
):
    # Regression: /readyz compared versions with `!=`, so in a rolling deployment every
    # old instance left the load balancer as soon as the first new one had migrated, and a
    # rollback could never become ready. Expand and contract keeps old code working on
    # the newer schema, so only an older schema (a pending migration) means "not ready".
    monkeypatch.setattr(health, "_newer_schemas_seen", set())  # as in a new process
    conn = connect(settings.database)
    newer = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] + 1
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'next')", (newer,))
    conn.close()
    with caplog.at_level(logging.WARNING, logger="bookstore.health"):
        answers = [client.get("/readyz") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].json() == {"status": "ready", "schema_version": newer}
    newer_schema = [r for r in caplog.records if r.getMessage().startswith("schema is newer")]
    assert len(newer_schema) == 1  # logged once, not at every probe
    assert (newer_schema[0].schema_version, newer_schema[0].code_schema_version) == (
        newer,
        newer - 1,
    )


def test_not_ready_when_the_database_cannot_be_opened(client, app, tmp_path):
    app.state.settings = app.state.settings.model_copy(
        update={"database": str(tmp_path / "no-such-dir" / "x.db")}
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["detail"] == "The database is not reachable."


# --8<-- [start:graceful_shutdown_test]
def test_sigterm_stops_the_real_server_cleanly(tmp_path, free_port):
    env = {
        **os.environ,
        "BOOKSTORE_PORT": str(free_port),
        "BOOKSTORE_DATABASE": str(tmp_path / "shutdown.db"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bookstore"],
        cwd=EXAMPLES,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{free_port}/healthz")
        server.send_signal(signal.SIGTERM)  # what systemd and Kubernetes send first
        _, stderr = server.communicate(timeout=20)
    finally:
        if server.poll() is None:  # pragma: no cover - only when the test fails
            server.kill()
            server.wait()
    assert server.returncode == 0
    messages = [json.loads(line)["message"] for line in stderr.splitlines() if line.startswith("{")]
    assert "started" in messages and "shutdown complete" in messages  # the lifespan ran


# --8<-- [end:graceful_shutdown_test]


def test_the_real_server_ignores_x_forwarded_for_and_host(tmp_path, free_port):
    # uvicorn as `python -m bookstore` runs it, a client on this machine, no proxy configured:
    # before the fix, every local client counted as a trusted proxy.
    env = {
        **os.environ,
        "BOOKSTORE_PORT": str(free_port),
        "BOOKSTORE_DATABASE": str(tmp_path / "proxy.db"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bookstore"],
        cwd=EXAMPLES,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{free_port}"
    try:
        wait_until_healthy(f"{base}/healthz")
        wrong = {"email": "ana@example.com", "password": "not the password"}
        statuses = [
            httpx.post(
                f"{base}/api/v1/sessions",
                json=wrong,
                headers={"X-Forwarded-For": f"203.0.113.{n}"},  # a new "address" each time
                timeout=30,
            ).status_code
            for n in range(6)
        ]
        books = httpx.get(f"{base}/api/v1/books?limit=2", headers={"Host": "evil.example"})
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert statuses == [401] * 5 + [429]
    assert books.headers["Link"].startswith(f"<{base}/api/v1/books?")


def wait_until_healthy(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)
