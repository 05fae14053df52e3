"""Re-record the coverage report that the testing-and-debugging page shows.

    cd examples && ../.venv/bin/python -m testing.record_coverage

It runs the whole example test suite once, with the command the page shows (plus a JSON
report), which takes about 15 minutes on a two-core machine, and writes three files to
testing/output/:

- coverage.txt: a first line with the date, the versions and the tests skipped, then the
  report pytest-cov prints at the end of the run, from `Name` to `Required test coverage`;
- coverage_summary.json: the `coverage json` summary of every file in that report, with the
  number of branches never taken, which the text report does not show;
- coverage_arithmetic.txt: how the Cover figure of api/orders.py, the row the page
  explains, comes out of those numbers.

Nothing is written when a test failed: the page must not show the report of a red run. Nor
when a test skipped because something it needs is missing (PostgreSQL, Redis, nginx, Go...:
scripts/setup-system.sh installs them all, as CI does): without those tests, the report
measures less than CI's and differs from it. Only the skips in ALLOWED_SKIPS, which depend on
the Python or Hypothesis version and run no bookstore code, are recorded, on the first line.
The run leaves out tests/examples/test_testing_coverage_recording.py, the checks of the
recording itself (a stale recording must not stop its own re-recording; those checks never
run bookstore code, so the report is the same). After writing, it runs those checks, which
compare the figures the page quotes with the new recording; if they fail, it prints which
part of which page to update (STEPS). Then commit the three files (and the pages).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
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
    "the whole suite (about 15 minutes on a two-core machine, with PostgreSQL, Redis, nginx "
    "and the other packages scripts/setup-system.sh installs), rewrites "
    "testing/output/coverage.txt, coverage_summary.json and coverage_arithmetic.txt, then "
    f"runs {CHECKS}; (2) if those checks still fail, the page's explanation no longer fits "
    f"the code: update the section `Tests in CI` (#tests-in-ci) and the hint of Exercise 2 in "
    f"{PAGES[0]} and {PAGES[1]}, or set EXPLAINED in examples/testing/record_coverage.py to "
    "another row and rewrite the section around it; (3) if you changed the Indonesian page, "
    "make the English one say the same and, from the repository, run "
    f"`.venv/bin/python scripts/translations.py sync {PAGES[1]}` (`make check` fails on an "
    f"English page that no longer matches its original); (4) run `pytest {CHECKS}` until it "
    "passes, then commit the three files and the pages."
)
# Skips that depend only on the versions installed, not on a missing package, and whose tests
# run no bookstore code, so the report is the same with or without them: test file -> the
# start of the skip reason.
ALLOWED_SKIPS = {
    "tests/examples/test_time_and_zones.py": "deprecated in Python 3.12",
    "tests/examples/test_testing_properties.py": "recorded with ",  # other versions
}
SKIPPED = re.compile(r"SKIPPED \[(\d+)\] (.+?):\d+: (.*)")  # a line of pytest's -ra summary
RESULT = re.compile(r"\b\d+ passed\b.* in \d")  # pytest's last line: "9 passed, 1 skipped in 2s"


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
        f"branches never taken {untaken} (on {partial} BrPart line{'' if partial == 1 else 's'})\n"
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


def skipped_tests(lines: Iterable[str]) -> tuple[int, list[tuple[int, str, str]]]:
    """How many tests the run skipped (from pytest's last line), and the skip lines of the
    -ra summary as (count, file, reason); one line stands for every skip with the same place
    and reason."""
    results = [line for line in lines if RESULT.search(line)]
    count = re.search(r"\b(\d+) skipped\b", results[-1]) if results else None
    found = [SKIPPED.match(line.strip()) for line in lines]
    listed = [(int(m[1]), m[2], m[3]) for m in found if m]
    return (int(count[1]) if count else 0), listed


def allowed(skip: tuple[int, str, str]) -> bool:
    _count, path, reason = skip
    return path in ALLOWED_SKIPS and reason.startswith(ALLOWED_SKIPS[path])


def tests(count: int) -> str:
    return f"{count} test{'' if count == 1 else 's'}"


def versions_line(today: datetime.date, skips: Iterable[tuple[int, str, str]] = ()) -> str:
    skips = list(skips)
    count = sum(n for n, _path, _reason in skips)
    reasons = "; ".join(reason for _n, _path, reason in skips)
    skipped = f"{tests(count)} skipped ({reasons})" if count else "no test skipped"
    return (
        f"Recorded {today.isoformat()}: CPython {platform.python_version()}, "
        f"pytest {version('pytest')}, pytest-cov {version('pytest-cov')}, "
        f"coverage.py {version('coverage')}, {operating_system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs; {skipped}"
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
        count, skips = skipped_tests(lines)
        missing = [skip for skip in skips if not allowed(skip)]
        listed = sum(n for n, _path, _reason in skips)
        if missing or count > listed:  # more skipped than the summary names: unknown ones
            count = max(count, listed)
            print(
                f"record_coverage: {tests(count)} skipped, so this "
                "run measured less than CI does; nothing written — fix: install what each "
                "reason names (as root, scripts/setup-system.sh installs everything the suite "
                "uses), then run again:",
                *(
                    [f"{path}: {reason} ({tests(n)})" for n, path, reason in missing]
                    or ["(pytest's summary does not name them: is -ra still in addopts?)"]
                ),
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
    text = "\n".join([versions_line(today, skips), *report]) + "\n"
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


def main(argv: list[str]) -> int:
    """No options: any argument gets the usage line (exit 2), --help the usage (exit 0),
    and neither starts the 15-minute run."""
    parser = argparse.ArgumentParser(
        prog="python -m testing.record_coverage",
        description="Run the whole example test suite (about 15 minutes) and re-record the "
        "coverage report the testing-and-debugging page shows. Run it from examples/.",
    )
    parser.parse_args(argv)
    return record()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
