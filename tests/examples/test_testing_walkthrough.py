"""The bug-report walkthrough on the testing-and-debugging page is real: the failure and the
debugger session it shows are what pytest and pdb print for examples/testing/reproduce_report.py
today. To record them again after a change, run this file with RECORD_WALKTHROUGH=1."""

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT_TEST = "examples/testing/reproduce_report.py"
OUTPUT = ROOT / "examples" / "testing" / "output"
PDB_COMMANDS = ["p 19.99 * 50 / 100", 'p f"{19.99 * 50 / 100:.20f}"', "q"]


def run_pytest(*options: str, stdin: str = "") -> str:
    # Without the schemathesis and Hypothesis plugins pytest starts seconds sooner; they
    # change only the header line that lists plugins, which the recordings leave out.
    quick = ["-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *quick, *options, REPORT_TEST],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "80"},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (1, 2), result.stdout + result.stderr  # failed / quit pdb
    return result.stdout


@cache
def failure_block() -> str:
    """From the test's `def` line to pytest's `file:line: AssertionError` line."""
    out = run_pytest()
    start = out.index("    def test_half_price")
    end = out.index("AssertionError\n", start) + len("AssertionError\n")
    return out[start:end]


@cache
def pdb_session() -> str:
    """pdb's own lines, with each command shown after its prompt as a terminal shows it.

    pdb prints the absolute path of the file; the checkout's location becomes "/…"."""
    out = run_pytest("--pdb", "-q", stdin="\n".join(PDB_COMMANDS) + "\n")
    session = out[out.index(">>>>>>>>>>>>>>>>>> PDB post_mortem") :]
    session = session[: session.rindex("(Pdb) ") + len("(Pdb) ")]
    commands = iter(PDB_COMMANDS)
    session = re.sub(r"\(Pdb\) ", lambda _: f"(Pdb) {next(commands)}\n", session)
    return session.replace(str(ROOT), "/…")


@pytest.mark.parametrize(
    ("name", "make"), [("reproduce_report.txt", failure_block), ("pdb_session.txt", pdb_session)]
)
def test_recorded_walkthrough_output_is_what_pytest_prints_today(name, make):
    recorded = OUTPUT / name
    if os.environ.get("RECORD_WALKTHROUGH"):
        recorded.write_text(make(), encoding="utf-8")
    assert make() == recorded.read_text(encoding="utf-8"), (
        f"examples/testing/output/{name} is out of date: run "
        "RECORD_WALKTHROUGH=1 .venv/bin/python -m pytest tests/examples/test_testing_walkthrough.py"
    )


def test_the_report_test_is_not_collected_with_the_suite():
    # It fails on purpose, so it must never run as part of `pytest tests` or `make check`.
    assert not Path(REPORT_TEST).name.startswith("test_")
    assert not Path(REPORT_TEST).stem.endswith("_test")
