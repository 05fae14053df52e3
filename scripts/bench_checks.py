"""Time `check.py all` on the built site against its budget: every content check together in
10 s (the site build and external links excluded).

    python scripts/bench_checks.py [--site site] [--runs 3] [--budget 10]

Runs the command as make runs it (a separate process, so start-up counts), --runs times, and
reports the median with the time of each check (from check.py's own summary). The test suite
only asserts that the checks pass (tests/checks/test_checks_handbook.py); how long they take is
measured here, because a time limit in a test fails on a busy machine for no defect.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from bench_support import ROOT, Bench, Figure, fail

SUMMARY = re.compile(r"^check (?P<check>\w+): .* in (?P<seconds>[\d.]+) s$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds (default: 10)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        return fail(f"bench-checks: no built site at {args.site}; run `make build` first")
    command = [sys.executable, str(ROOT / "scripts" / "check.py"), "all", "--site",
               str(args.site)]
    totals: list[float] = []
    parts: dict[str, list[float]] = {}
    for _ in range(args.runs):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        totals.append(time.perf_counter() - started)
        if result.returncode != 0:
            return fail("bench-checks: the checks found problems, so their time means little; "
                        "fix them first:\n" + result.stdout[-3000:] + result.stderr[-2000:])
        for line in result.stderr.splitlines():
            if match := SUMMARY.match(line.strip()):
                parts.setdefault(match["check"], []).append(float(match["seconds"]))
    bench = Bench("checks")
    bench.add(Figure("check.py all (wall clock, process start-up included)", totals, "s",
                     args.budget))
    for name, values in parts.items():
        bench.add(Figure(f"  check {name}", values, "s"))
    return bench.finish()


if __name__ == "__main__":
    sys.exit(main())
