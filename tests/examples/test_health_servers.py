"""The same GET /health endpoint in six languages: each server is started on a free
127.0.0.1 port, asked for /health, and stopped."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

HEALTH = Path(__file__).resolve().parents[2] / "examples" / "health"

# language: (runtime needed, Debian package that provides it, command; {port} is filled in)
SERVERS = {
    "python": (sys.executable, "python3", [sys.executable, "health.py"]),
    "javascript": ("node", "nodejs", ["node", "health.js"]),
    # Running a source file needs the JDK's compiler, so check for javac, not only java.
    "java": ("javac", "openjdk-17-jdk-headless", ["java", "Health.java"]),
    "php": ("php", "php-cli", ["php", "-S", "127.0.0.1:{port}", "health.php"]),
    "ruby": ("ruby", "ruby", ["ruby", "health.rb"]),
    "go": ("go", "golang-go", ["{binary}"]),
}


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if process.poll() is not None:
                raise AssertionError(f"server exited early: {process.communicate()}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.mark.parametrize("language", SERVERS)
def test_health_endpoint(language, free_port, tmp_path):
    runtime, package, command = SERVERS[language]
    if shutil.which(runtime) is None:
        pytest.skip(f"{runtime} not found: install Debian package {package}")
    workdir = HEALTH / language
    binary = tmp_path / "health"
    if language == "go":  # build once, then run the binary itself (not `go run`'s child)
        subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=120,
        )
    command = [part.format(port=free_port, binary=binary) for part in command]
    server = subprocess.Popen(
        command,
        cwd=workdir,
        env={**os.environ, "PORT": str(free_port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = wait_for(f"http://127.0.0.1:{free_port}/health", server)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{free_port}/nope", timeout=2).status_code == 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if SIGTERM is ignored
            server.kill()
            server.wait()
