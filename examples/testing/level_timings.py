"""How long a test takes at each level of the bookstore's test pyramid, on this machine.

    python -m testing.level_timings          # from examples/; about half a minute

It runs a few tests of each level (the ones the page's table names) in one pytest run and
prints, per level, the fastest and the slowest test, setup and teardown included (pytest's
JUnit XML report gives each test's total in milliseconds). The first line says when, with
which Python and how busy the machine was: on a busy machine every figure grows, the
end-to-end ones most, because they start a server process and wait for it.

A benchmark, not a test: the figures depend on the machine and its load. The page shows a
recorded run, testing/output/level_timings.txt.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: tests run from there
T = "tests/examples/"
LEVELS = {
    "unit": [
        T + "test_bookstore_orders.py::test_three_copies_get_ten_percent_off",
        T + "test_bookstore_orders.py::test_two_copies_pay_full_price",
        T + "test_bookstore_discount_bug.py::test_decimal_discount_rounds_half_up_to_the_cent",
        T + "test_bookstore_integrations.py::test_signature_within_the_window_is_accepted",
    ],
    "integration": [
        T + "test_bookstore_orders.py::test_invalid_orders_are_refused_before_any_work",
        T + "test_bookstore_database.py::test_twenty_buyers_five_copies_exactly_five_orders",
        T + "test_testing_doubles.py::test_paid_at_the_provider_means_paid_here",
        T + "test_testing_doubles.py::test_a_long_outage_is_a_502_and_changes_nothing",
    ],
    "contract": [
        T + "test_apicontract.py::test_breaking_changes_are_caught",
        T + "test_apicontract.py::test_the_running_api_keeps_the_published_v1_contract",
    ],
    "end-to-end": [
        T + "test_bookstore_server.py::test_sigterm_stops_the_real_server_cleanly",
        T + "test_shell_samples.py::test_wait_for_ready_succeeds_when_up",
    ],
}


def plain_environment() -> dict[str, str]:
    """This environment without coverage.py's variables: a run measured for coverage (the
    suite under `--cov`) passes them on, and the timed tests would then be measured too, which
    slows them down and writes coverage data files of their own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1"}


def level_of(case: ET.Element) -> str | None:
    """The level of one <testcase> of the JUnit report (None: not one of ours)."""
    path = case.get("classname", "").replace(".", "/") + ".py"
    node = f"{path}::{case.get('name', '').split('[')[0]}"
    for level, node_ids in LEVELS.items():
        if node in node_ids:
            return level
    return None


def durations(junit_xml: str) -> dict[str, list[float]]:
    """Seconds per test, grouped by level, from a JUnit XML report that pytest wrote."""
    found: dict[str, list[float]] = {level: [] for level in LEVELS}
    for case in ET.fromstring(junit_xml).iter("testcase"):
        if case.find("skipped") is not None:
            continue  # a skipped test took no real time
        level = level_of(case)
        if level is not None:
            found[level].append(float(case.get("time", "0")))
    return found


def shown(seconds: float) -> str:
    if seconds < 0.001:
        return "<1 ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def table(found: dict[str, list[float]]) -> str:
    lines = [f"{'level':<12} {'tests':>5}  {'fastest':>8}  {'slowest':>8}"]
    for level, times in found.items():
        if times:
            row = f"{len(times):>5}  {shown(min(times)):>8}  {shown(max(times)):>8}"
        else:
            row = f"{0:>5}  {'-':>8}  {'-':>8}"
        lines.append(f"{level:<12} {row}")
    return "\n".join(lines) + "\n"


def header(today: datetime.date, load: float, cpus: int | None) -> str:
    return (
        f"{today.isoformat()}, CPython {platform.python_version()}, {cpus} CPUs, "
        f"load average {load:.1f} at the start (setup + test + teardown, each test)\n"
    )


def main() -> int:
    load = os.getloadavg()[0]
    node_ids = [node for nodes in LEVELS.values() for node in nodes]
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch, "junit.xml")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", *node_ids],
            cwd=ROOT,
            env=plain_environment(),
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n", file=sys.stderr)
            print(
                f"level_timings: pytest ended with exit code {run.returncode} — fix: make "
                "the tests above pass, or update LEVELS if a test was renamed",
                file=sys.stderr,
            )
            return 1
        found = durations(report.read_text(encoding="utf-8"))
    print(header(datetime.date.today(), load, os.cpu_count()) + table(found), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
