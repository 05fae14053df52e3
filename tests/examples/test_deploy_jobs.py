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
    # Not strict: bookstore@.service has two Environment= lines (the last one wins here).
    parsed = configparser.ConfigParser(strict=False, interpolation=None)
    parsed.optionxform = str  # systemd keys are case-sensitive
    parsed.read(DEPLOY / name, encoding="utf-8")
    return parsed


def seconds(value: str) -> int:
    """A systemd time span such as "45s" or "2min" in seconds (the forms used here)."""
    number, suffix = re.fullmatch(r"(\d+)(s|min)", value).groups()
    return int(number) * (60 if suffix == "min" else 1)


def release_link(service: configparser.SectionProxy) -> str:
    """The link a unit runs its release through: WorkingDirectory=LINK/examples and
    ExecStart=LINK/.venv/bin/python -m ..., as bookstore@.service does with port-%i."""
    link = service["WorkingDirectory"].removesuffix("/examples")
    assert service["WorkingDirectory"] == f"{link}/examples"
    assert service["ExecStart"].startswith(f"{link}/.venv/bin/python -m ")
    return link


def test_the_jobs_run_a_release_through_a_link_as_the_instances_do():
    # /opt/bookstore/releases/v1.3.0/{examples,.venv} is all a release has (the playbook makes
    # no /opt/bookstore/examples or /opt/bookstore/.venv), and a port link points at one.
    ports = release_link(unit("bookstore@.service")["Service"])  # /opt/bookstore/port-%i
    jobs = release_link(unit("bookstore-worker.service")["Service"])
    assert Path(jobs).parent == Path(ports).parent and jobs != ports  # /opt/bookstore/jobs
    assert release_link(unit("bookstore-sweep.service")["Service"]) == jobs  # one link for both
    # The release commands in the worker unit's header move that same link.
    header = (DEPLOY / "bookstore-worker.service").read_text(encoding="utf-8")
    moved = re.findall(r"ln -sfn /opt/bookstore/releases/\S+ (\S+)", header)
    assert moved and set(moved) == {jobs}


def test_the_worker_runs_beside_the_service_and_stops_after_its_job():
    # bookstore@.service differs from bookstore.service only in its %i lines (test_deploy.py).
    service, worker = unit("bookstore.service")["Service"], unit("bookstore-worker.service")
    run = worker["Service"]
    assert run["ExecStart"].endswith("-m bookstore.jobs worker --name %H-worker")
    for key in ("User", "Group", "StateDirectory", "NoNewPrivileges"):
        assert run[key] == service[key], key  # the same user and data directory
    assert f"BOOKSTORE_DATABASE={run['Environment'].split('=', 1)[1]}" in service["Environment"]
    assert run["Restart"] == "on-failure" and run["KillSignal"] == "SIGTERM"
    lease = RETRY_DELAYS_MS[0] // 1000  # a handler finishes within its 30 s lease
    assert seconds(run["TimeoutStopSec"]) > lease  # so SIGTERM lets the job in hand end
    after = worker["Unit"]["After"].split()  # the instances migrate first
    assert {"bookstore@8001.service", "bookstore@8002.service"} <= set(after)


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
