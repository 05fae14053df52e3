"""The systemd units of the background jobs (examples/deploy/bookstore-worker.service,
bookstore-sweep.service and .timer) fit the service unit and the worker's own rules."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bookstore.jobs.queue import RETRY_DELAYS_MS

DEPLOY = Path(__file__).resolve().parents[2] / "examples" / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(strict=True, interpolation=None)
    parsed.optionxform = str  # systemd keys are case-sensitive
    parsed.read(DEPLOY / name, encoding="utf-8")
    return parsed


def seconds(value: str) -> int:
    """A systemd time span such as "45s" or "2min" in seconds (the forms used here)."""
    number, suffix = re.fullmatch(r"(\d+)(s|min)", value).groups()
    return int(number) * (60 if suffix == "min" else 1)


def test_the_worker_runs_beside_the_service_and_stops_after_its_job():
    service, worker = unit("bookstore.service")["Service"], unit("bookstore-worker.service")
    run = worker["Service"]
    assert run["ExecStart"].endswith("-m bookstore.jobs worker --name %H-worker")
    for key in ("User", "Group", "WorkingDirectory", "StateDirectory", "NoNewPrivileges"):
        assert run[key] == service[key], key  # the same user and data directory
    assert f"BOOKSTORE_DATABASE={run['Environment'].split('=', 1)[1]}" in service["Environment"]
    assert run["Restart"] == "on-failure" and run["KillSignal"] == "SIGTERM"
    lease = RETRY_DELAYS_MS[0] // 1000  # a handler finishes within its 30 s lease
    assert seconds(run["TimeoutStopSec"]) > lease  # so SIGTERM lets the job in hand end
    assert "bookstore.service" in worker["Unit"]["After"]  # the service migrates first


def test_the_sweep_runs_hourly_on_the_database_only():
    sweep, timer = unit("bookstore-sweep.service")["Service"], unit("bookstore-sweep.timer")
    assert sweep["Type"] == "oneshot"
    assert sweep["ExecStart"].endswith("-m bookstore.jobs sweep")
    assert sweep["User"] == unit("bookstore.service")["Service"]["User"]
    assert timer["Timer"]["OnCalendar"] == "hourly" and timer["Timer"]["Persistent"] == "yes"
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze missing: install Debian package systemd",
)
def test_systemd_analyze_finds_no_unknown_settings_in_the_job_units(tmp_path):
    # ExecStart points at this Python, so `verify` checks the units, not this machine's /opt.
    names = ["bookstore-worker.service", "bookstore-sweep.service", "bookstore-sweep.timer"]
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = re.sub(r"^ExecStart=\S+", f"ExecStart={sys.executable}", text, flags=re.MULTILINE)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / name) for name in names)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    unknown = [line for line in result.stderr.splitlines() if "Unknown" in line]
    assert unknown == [] and result.returncode == 0, result.stderr
