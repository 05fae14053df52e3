"""Health checks, graceful shutdown of the real server, deployment files."""

import configparser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from bookstore.db.connection import connect

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DEPLOY = EXAMPLES / "deploy"


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


# --8<-- [start:systemd_unit_test]
def test_systemd_unit_has_the_essentials():
    unit = configparser.ConfigParser(strict=True, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "bookstore.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("-m bookstore")
    assert service["User"] == "bookstore"  # never root
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["NoNewPrivileges"] == "yes"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


# --8<-- [end:systemd_unit_test]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze missing: install Debian package systemd",
)
def test_systemd_analyze_finds_no_unknown_settings(tmp_path):
    # Copy the unit and point ExecStart at a binary that exists here, so `verify`
    # checks the unit's syntax and settings, not this machine's /opt.
    text = (DEPLOY / "bookstore.service").read_text(encoding="utf-8")
    text = re.sub(
        r"^ExecStart=.*$", f"ExecStart={sys.executable} -m bookstore", text, flags=re.MULTILINE
    )
    unit = tmp_path / "bookstore.service"
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    unknown = [line for line in result.stderr.splitlines() if "Unknown" in line]
    assert unknown == [], result.stderr


def nginx_directives(text: str) -> list[str]:
    """Lines of the config without comments (the file has no "#" inside strings)."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_nginx_config_is_balanced_and_proxies_to_loopback():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    code = "\n".join(nginx_directives(text))
    assert code.count("{") == code.count("}")
    assert "proxy_pass http://bookstore;" in code
    assert "server 127.0.0.1:8001;" in code
    assert re.search(r"location = /metrics \{\s*deny all;", code)
    assert "proxy_set_header X-Request-ID $request_id;" in code
    assert "limit_req zone=login" in code
    for line in code.splitlines():  # a line ending in ' continues a quoted string
        assert line.endswith(("{", "}", ";", "'")), f"unterminated directive: {line}"


@pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx missing: install Debian package nginx"
)
def test_nginx_accepts_the_config(tmp_path):  # pragma: no cover - needs nginx
    # Self-signed certificate in place of the real one, so `nginx -t` can load it.
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=bookstore.example",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    text = text.replace("/etc/ssl/bookstore/fullchain.pem", str(tmp_path / "cert.pem"))
    text = text.replace("/etc/ssl/bookstore/privkey.pem", str(tmp_path / "key.pem"))
    version = subprocess.run(["nginx", "-v"], check=False, capture_output=True, text=True).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", version)
    if found and tuple(map(int, found.groups())) < (1, 25, 1):  # e.g. Debian 12's 1.22
        text = text.replace("http2 on;", "").replace(" ssl;", " ssl http2;")
    conf = tmp_path / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            "nginx",
            "-t",
            "-c",
            str(conf),
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-g",
            f"pid {tmp_path / 'nginx.pid'};",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
