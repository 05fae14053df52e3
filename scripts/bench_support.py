"""Shared by the benchmarks (`make bench-checks`, `bench-search`, `bench-examples`): each
measures, compares with its budget, prints one line per figure and writes
reports/bench-<name>.json. A budget lives here and in the benchmarks, never in a test: a test
asserts behaviour and must pass on a slow or busy machine; a benchmark says how fast, on this
machine, now.

Exit status of a benchmark: 0 within every budget, 1 over a budget, 2 when it cannot measure.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"


@dataclass
class Figure:
    """One measured figure and, if it has one, its budget (same unit)."""

    name: str
    values: list[float]
    unit: str
    budget: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def over(self) -> bool:
        return self.budget is not None and self.median > self.budget

    def line(self) -> str:
        spread = (f" (range {min(self.values):.3g}–{max(self.values):.3g}, {len(self.values)} "
                  "runs)" if len(self.values) > 1 else "")
        text = f"{self.name}: median {self.median:.3g} {self.unit}{spread}"
        if self.budget is not None:
            verdict = "OVER BUDGET" if self.over else "within budget"
            text += f"; budget {self.budget:g} {self.unit}: {verdict}"
        return text + (f" — {self.note}" if self.note else "")


@dataclass
class Bench:
    name: str
    figures: list[Figure] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    reports: Path | None = None  # default: reports/ of the repository

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def finish(self) -> int:
        """Write reports/bench-<name>.json; 1 when a figure is over its budget."""
        reports = self.reports or REPORTS
        reports.mkdir(exist_ok=True)
        report = {
            "measured": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "load_1min": _load(),
                        "python": platform.python_version(), "system": platform.platform()},
            "figures": [{"name": f.name, "unit": f.unit, "median": round(f.median, 4),
                         "values": [round(v, 4) for v in f.values], "budget": f.budget,
                         "over_budget": f.over} for f in self.figures],
            **self.extra,
        }
        path = reports / f"bench-{self.name}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        over = [f.name for f in self.figures if f.over]
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"bench-{self.name}: " + (f"over budget: {', '.join(over)}" if over else
                                        "every figure within its budget")
              + f" (report: {shown})", flush=True)
        return 1 if over else 0


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def fail(message: str) -> int:
    """The benchmark cannot measure: say why, exit 2."""
    print(message, file=sys.stderr)
    return 2
