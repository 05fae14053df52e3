"""Re-record the coverage report that the testing-and-debugging page shows.

    cd examples && ../.venv/bin/python -m testing.record_coverage

It runs the whole example test suite once, with the command the page shows (plus a JSON
report), which takes several minutes, and writes three files to testing/output/:

- coverage.txt: a first line with the date and versions, then the report pytest-cov prints
  at the end of the run, from `Name` to `Required test coverage`;
- coverage_summary.json: the `coverage json` summary of every file in that report, with the
  number of branches never taken, which the text report does not show;
- coverage_arithmetic.txt: how the Cover figure of api/orders.py, the row the page
  explains, comes out of those numbers.

Nothing is written when a test failed: the page must not show the report of a red run.
The run leaves out tests/examples/test_testing_coverage_recording.py, the checks of the
recording itself (a stale recording must not stop its own re-recording; those checks never
run bookstore code, so the report is the same). After writing, it runs those checks, which
compare the figures the page quotes with the new recording; if they fail, it prints which
part of which page to update (STEPS). Then commit the three files (and the pages).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

from coverage.results import display_covered

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the repository: the tests run from there, as in `make check`
OUTPUT = HERE / "output"
PREFIX = "examples/bookstore/"
EXPLAINED = "api/orders.py"  # the row the page explains
CHECKS = "tests/examples/test_testing_coverage_recording.py"  # run after, not during
COMMAND = [  # the command the page shows, as `make check` runs it
    "pytest",
    "tests/examples",
    "-q",
    "--cov=bookstore",
    "--cov-report=term",
    "--cov-fail-under=90",
]
PAGES = [f"docs/{lang}/duties/testing-and-debugging.md" for lang in ("id", "en")]
STEPS = (
    "Steps: (1) from examples/, run `../.venv/bin/python -m testing.record_coverage`: it runs "
    "the whole suite (several minutes), rewrites testing/output/coverage.txt, "
    "coverage_summary.json and coverage_arithmetic.txt, then runs "
    f"{CHECKS}; (2) if those checks still fail, the page's explanation no longer fits the "
    f"code: update the section `Tests in CI` (#tests-in-ci) and the hint of Exercise 2 in "
    f"{PAGES[0]} and {PAGES[1]}, or set EXPLAINED in examples/testing/record_coverage.py to "
    f"another row and rewrite the section around it; (3) run `pytest {CHECKS}` until it "
    "passes, then commit the three files and the pages."
)


def run_suite(json_report: Path) -> tuple[int, list[str]]:
    """Run the suite, echoing its output as it comes; return the exit code and the lines.

    The coverage data files go next to the JSON report, in a temporary directory: the
    servers and scripts the tests start in subprocesses write one data file each
    (`patch = ["subprocess"]` in pyproject.toml), and a run that is interrupted would
    otherwise leave them at the top of the repository."""
    env = {
        **os.environ,
        "COVERAGE_FILE": str(json_report.with_name(".coverage")),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    args = [
        sys.executable,
        "-m",
        *COMMAND,
        f"--cov-report=json:{json_report}",
        f"--ignore={CHECKS}",
    ]
    lines = []
    with subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as run:
        for line in run.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    return run.returncode, lines


def extract_report(lines: Iterable[str]) -> list[str]:
    """The text report: from the `Name` header to `Required test coverage`, without the
    line about the JSON file (its path is a temporary one)."""
    report, inside = [], False
    for line in lines:
        inside = inside or line.startswith("Name ")
        if inside and not line.startswith("Coverage JSON written"):
            report.append(line)
        if inside and line.startswith("Required test coverage"):
            return report
    raise ValueError("no coverage report with `Required test coverage` in the output")


def report_rows(report: Iterable[str]) -> dict[str, list[str]]:
    """File name (without examples/bookstore/) -> the columns after it, TOTAL included."""
    rows = {}
    for line in report:
        if line.startswith((PREFIX, "TOTAL ")):
            name, *columns = line.split()
            rows[name.removeprefix(PREFIX)] = columns
    return rows


def summarize(coverage_json: dict, names: Iterable[str]) -> dict:
    """The summaries of the files the report lists, and the totals."""
    files = coverage_json["files"]
    return {
        "coverage.py": coverage_json["meta"]["version"],
        "files": {name: files[PREFIX + name]["summary"] for name in names if name != "TOTAL"},
        "totals": coverage_json["totals"],
    }


def arithmetic(name: str, summary: dict) -> str:
    """The Cover column of one row, worked out: statements run plus branches taken, over
    statements plus branches (coverage.py's own formula, shown as coverage.py rounds it)."""
    stmts, miss = summary["num_statements"], summary["missing_lines"]
    branches, untaken = summary["num_branches"], summary["missing_branches"]
    partial = summary["num_partial_branches"]
    covered, possible = stmts - miss + branches - untaken, stmts + branches
    percent = 100 * covered / possible
    return (
        f"{name}: Stmts {stmts}, Miss {miss}, Branch {branches}, "
        f"branches never taken {untaken} (on {partial} BrPart lines)\n"
        f"Cover = (Stmts - Miss + Branch - branches never taken) / (Stmts + Branch)\n"
        f"      = ({stmts} - {miss} + {branches} - {untaken}) / ({stmts} + {branches})"
        f" = {covered} / {possible} = {percent:.2f} %, shown as "
        f"{display_covered(percent, 0)}%\n"
    )


def run_checks() -> int:
    """Run the checks of the recording (and of the figures the pages quote from it)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", CHECKS]
    return subprocess.run(args, cwd=ROOT, env=env, check=False).returncode


def operating_system() -> str:
    try:
        return platform.freedesktop_os_release()["PRETTY_NAME"]
    except (OSError, KeyError):
        return platform.system()


def versions_line(today: datetime.date) -> str:
    return (
        f"Recorded {today.isoformat()}: CPython {platform.python_version()}, "
        f"pytest {version('pytest')}, pytest-cov {version('pytest-cov')}, "
        f"coverage.py {version('coverage')}, {operating_system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )


def record(
    run: Callable[[Path], tuple[int, list[str]]] = run_suite,
    output: Path = OUTPUT,
    today: datetime.date | None = None,
    check: Callable[[], int] = run_checks,
) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        json_report = Path(scratch, "coverage.json")
        returncode, lines = run(json_report)
        if returncode != 0:
            failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
            print(
                f"record_coverage: the test run ended with exit code {returncode}; nothing "
                "written — fix: make these pass, then run again:",
                *(failed or ["(see the output above)"]),
                sep="\n",
                file=sys.stderr,
            )
            return 1
        try:
            report = extract_report(lines)
        except ValueError as exc:  # e.g. a plugin or an option changed what pytest prints
            print(
                f"record_coverage: {exc}; nothing written — fix: check that pytest-cov runs "
                f"with --cov-report=term (the command is COMMAND in {Path(__file__).name})",
                file=sys.stderr,
            )
            return 1
        coverage_json = json.loads(json_report.read_text(encoding="utf-8"))
    rows = report_rows(report)
    if EXPLAINED not in rows:
        print(
            f"record_coverage: {PREFIX}{EXPLAINED} is fully covered now, so the page's "
            "example of a branch never taken is gone; nothing written — fix: set EXPLAINED "
            "to another row of the report above and rewrite the pages around it. " + STEPS,
            file=sys.stderr,
        )
        return 1
    summary = summarize(coverage_json, rows)
    today = today or datetime.date.today()
    text = "\n".join([versions_line(today), *report]) + "\n"
    (output / "coverage.txt").write_text(text, encoding="utf-8")
    (output / "coverage_summary.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    worked = arithmetic(EXPLAINED, summary["files"][EXPLAINED])
    (output / "coverage_arithmetic.txt").write_text(worked, encoding="utf-8")
    for name in ("coverage.txt", "coverage_summary.json", "coverage_arithmetic.txt"):
        print(f"wrote {(output / name).relative_to(ROOT) if output == OUTPUT else name}")
    if check() != 0:
        print(
            "record_coverage: the new recording is written, but the pages no longer agree "
            f"with it (see the failures above) — fix: {STEPS}",
            file=sys.stderr,
        )
        return 1
    print(f"record_coverage: {CHECKS} passed; commit the three files")
    return 0


if __name__ == "__main__":
    sys.exit(record())
