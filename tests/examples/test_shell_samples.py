"""Shell samples: syntax (bash -n), shellcheck when installed, and the commands that are
safe to run here, against a real server on 127.0.0.1."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHELL = EXAMPLES / "shell"
SCRIPTS = sorted(SHELL.glob("*.sh"))


@pytest.fixture
def health_server(free_port):
    """The stdlib health server from examples/health/python on a free port."""
    server = subprocess.Popen(
        [sys.executable, "health.py"],
        cwd=EXAMPLES / "health" / "python",
        env={**os.environ, "PORT": str(free_port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{free_port}/health"
    for _ in range(200):
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    yield free_port
    server.terminate()
    server.wait(timeout=10)


def bash(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_there_are_scripts():
    assert {p.name for p in SCRIPTS} >= {"server_checks.sh", "wait_for_ready.sh"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bash_syntax(script):
    result = bash("-n", str(script))
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    shutil.which("shellcheck") is None,
    reason="shellcheck missing: install Debian package shellcheck",
)
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(script):
    result = subprocess.run(
        ["shellcheck", str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout


def test_health_function_prints_the_body(health_server):
    result = bash(
        str(SHELL / "server_checks.sh"), "health", f"http://127.0.0.1:{health_server}/health"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"status": "ok"}'


def test_health_function_fails_on_http_errors(health_server):
    result = bash(
        str(SHELL / "server_checks.sh"), "health", f"http://127.0.0.1:{health_server}/missing"
    )
    assert result.returncode != 0  # curl -f: a 404 is a failure, not a page to print


def test_headers_function(health_server):
    result = bash(
        str(SHELL / "server_checks.sh"), "headers", f"http://127.0.0.1:{health_server}/health"
    )
    assert result.stdout.startswith("HTTP/1.0 200")
    assert "Content-Type: application/json" in result.stdout


@pytest.mark.skipif(
    shutil.which("ss") is None, reason="ss missing: install Debian package iproute2"
)
def test_port_owner_finds_the_listener(health_server):
    result = bash(str(SHELL / "server_checks.sh"), "port_owner", str(health_server))
    assert result.returncode == 0
    assert f"127.0.0.1:{health_server}" in result.stdout


def test_resources_function_runs():
    result = bash(str(SHELL / "server_checks.sh"), "resources")
    assert result.returncode == 0 and "Mem:" in result.stdout


def test_usage_without_a_function_name():
    assert bash(str(SHELL / "server_checks.sh")).returncode == 2


def test_wait_for_ready_succeeds_when_up(health_server):
    result = bash(str(SHELL / "wait_for_ready.sh"), f"http://127.0.0.1:{health_server}/health", "5")
    assert result.returncode == 0 and result.stdout.startswith("ready:")


def test_wait_for_ready_gives_up_at_the_deadline(free_port):
    result = bash(str(SHELL / "wait_for_ready.sh"), f"http://127.0.0.1:{free_port}/readyz", "1")
    assert result.returncode == 1
    # One line, not a curl error for every second of waiting, with curl's last error in it.
    [line] = result.stderr.splitlines()
    assert line.startswith("wait_for_ready.sh: not ready after 1 s: ")
    assert "(last error: curl: (7) " in line and " — fix: read the service's log" in line


@pytest.mark.parametrize(
    ("function", "command"),
    [
        ("follow_logs", "journalctl"),
        ("recent_problems", "journalctl"),
        ("errors_with_request_ids", "journalctl"),
        ("service_status", "systemctl"),
    ],
)
def test_service_helpers_cover_every_blue_green_instance(function, command, tmp_path):
    # Releases run bookstore@8001 and bookstore@8002 (deploy/bookstore@.service): a helper
    # that asked for the unit "bookstore" would find no log and no status at all.
    fake = tmp_path / command
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path / "args"}\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    for given, unit in (((), "bookstore@*"), (("bookstore@8002",), "bookstore@8002")):
        subprocess.run(
            ["bash", str(SHELL / "server_checks.sh"), function, *given],
            env=env, capture_output=True, text=True, timeout=20, check=False,
        )  # fmt: skip
        args = (tmp_path / "args").read_text(encoding="utf-8").splitlines()
        assert unit in args, args


def test_errors_with_request_ids_reads_past_lines_that_are_not_json(tmp_path):
    # journalctl -u also prints systemd's own messages about the unit and the service's plain
    # text lines (a refused setting); `jq -c 'select(...)'` stopped at the first one
    # ("parse error: Invalid numeric literal"), exit code 4, and showed no error at all.
    journal = [
        "Started bookstore@8001.service - Bookstore API on port 8001 (FastAPI + uvicorn).",
        '{"time": "10:00:01", "level": "INFO", "message": "started", "request_id": null}',
        '{"time": "10:00:02", "level": "ERROR", "message": "payment failed", "request_id": "r1"}',
        "bookstore: BOOKSTORE_PORTT is not a bookstore setting",
        "42",
        '{"time": "10:00:03", "level": "ERROR", "message": "timeout", "request_id": "r2"}',
    ]
    (tmp_path / "journal").write_text("\n".join(journal) + "\n", encoding="utf-8")
    fake = tmp_path / "journalctl"
    fake.write_text(f"#!/bin/sh\ncat {tmp_path / 'journal'}\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(SHELL / "server_checks.sh"), "errors_with_request_ids"],
        env=env, capture_output=True, text=True, timeout=20, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        '{"time":"10:00:02","request_id":"r1","message":"payment failed"}',
        '{"time":"10:00:03","request_id":"r2","message":"timeout"}',
    ]


# Hostile or mistyped input: a clear message and exit code 2, never a surprise.
def test_server_checks_runs_only_its_own_functions():
    result = bash(str(SHELL / "server_checks.sh"), "echo", "pwned")
    assert result.returncode == 2
    assert "pwned" not in result.stdout  # the old `"$@"` ran any command it was given
    assert result.stderr.startswith('server_checks.sh: "echo" is not one of its functions')
    assert "fix: use one of: " in result.stderr and "port_owner" in result.stderr


def test_health_treats_its_argument_as_a_url():
    result = bash(str(SHELL / "server_checks.sh"), "health", "--version")
    assert result.returncode != 0  # before `--`, curl printed its version and succeeded
    assert not result.stdout.strip().startswith("curl ")


@pytest.mark.parametrize("port", ["1 or sport = :22", "99999", "65536", "0"])
def test_port_owner_refuses_what_is_not_a_port(port):
    result = bash(str(SHELL / "server_checks.sh"), "port_owner", port)
    assert result.returncode == 2
    assert f'"{port}" is not a TCP port — fix: pass 1-65535' in result.stderr


@pytest.mark.parametrize("seconds", ["abc", "0", "-5", "a[$(touch pwned)]", "99999"])
def test_wait_for_ready_refuses_a_bad_number_of_seconds(seconds, free_port, tmp_path):
    result = subprocess.run(
        ["bash", str(SHELL / "wait_for_ready.sh"), f"http://127.0.0.1:{free_port}/", seconds],
        capture_output=True, text=True, timeout=20, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f'"{seconds}" is not a number of seconds — fix: use 1-9999' in result.stderr
    assert not (tmp_path / "pwned").exists()


def test_wait_for_ready_refuses_what_is_not_a_url():
    result = bash(str(SHELL / "wait_for_ready.sh"), "-K/dev/null", "1")
    assert result.returncode == 2  # before: curl read it as an option and the loop ran on
    assert "is not an http(s) URL — fix:" in result.stderr
