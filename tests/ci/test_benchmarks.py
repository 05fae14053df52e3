"""Time budgets live in the benchmarks (`make bench`), never in a test: a benchmark compares a
median with its budget and fails only when run as a benchmark; the test suite asserts behaviour
and passes on a slow or busy machine (issue 16)."""

from __future__ import annotations

import json
import re

from bench_support import Bench, Figure
from support import ROOT


def test_a_benchmark_fails_only_over_its_budget(tmp_path, capsys):
    within = Bench("within", reports=tmp_path)
    within.add(Figure("fast", [0.2, 0.1, 0.3], "s", budget=0.25))
    within.add(Figure("informational", [5.0], "s"))
    assert within.finish() == 0
    over = Bench("over", reports=tmp_path)
    over.add(Figure("slow", [0.3, 0.4, 0.2], "s", budget=0.25))
    assert over.finish() == 1
    out = capsys.readouterr().out
    assert "fast: median 0.2 s (range 0.1–0.3, 3 runs); budget 0.25 s: within budget" in out
    assert "slow: median 0.3 s (range 0.2–0.4, 3 runs); budget 0.25 s: OVER BUDGET" in out
    report = json.loads((tmp_path / "bench-over.json").read_text(encoding="utf-8"))
    assert report["figures"][0] | {"values": None} == {
        "name": "slow", "unit": "s", "median": 0.3, "values": None, "budget": 0.25,
        "over_budget": True}
    assert report["machine"]["cpus"] >= 1


# An assertion that reads a clock: `assert time.perf_counter() - start < 5`, `assert elapsed <
# BUDGET`, `assert seconds < 0.35`.
CLOCKED = re.compile(r"^\s*assert\b.*(perf_counter\(|monotonic\(|time\.time\(|\belapsed\b.*<|"
                     r"\bseconds\b\s*<|_ms\b.*<)")


def test_no_test_holds_a_time_budget():
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CLOCKED.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, ("a time budget in a test fails on a busy machine; move it to a "
                           "benchmark (scripts/bench_*.py, make bench):\n" + "\n".join(offenders))
