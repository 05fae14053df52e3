"""Build cost: a clean build of both languages, ours against stock, in the same run.

    python scripts/bench_build.py [--runs 5] [--ratio 2]

Builds the same pages, in a copy of the project (the working tree is never touched), with our
mkdocs.yml and with the stock configuration (Material + static-i18n + the same Markdown
extensions, nothing of ours; see handbook/bench.py), interleaved, each into an empty site folder.
CPU time counts every process a build starts (git for the "last updated" dates, the
compression threads). A first, untimed build of each fills the caches a contributor's machine
has after one build (.cache/handbook/precompress: compressed copies by content hash); its figures
are reported as "cold". Prints the medians and writes reports/bench-build.json. Exits 1 when our
median CPU time is over --ratio times stock's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from handbook.bench import ROOT, project_copy, timed


def build(work: Path, config: str, site: Path) -> tuple[float, float]:
    shutil.rmtree(site, ignore_errors=True)
    return timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config,
                  "-d", str(site)], cwd=work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ratio", type=float, default=2.0,
                        help="goal: our median CPU time at most this many times stock's")
    args = parser.parse_args(argv)
    variants = {"ours": "mkdocs.yml", "stock": "mkdocs.stock.yml"}
    results: dict[str, dict[str, list[float]]] = {v: {"wall": [], "cpu": []} for v in variants}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = project_copy(Path(tmp) / "work")
        pages = len(list((work / "docs").glob("*/**/*.md")))
        cold = {name: build(work, config, Path(tmp) / f"site-{name}")
                for name, config in variants.items()}
        for run in range(args.runs):
            order = list(variants) if run % 2 == 0 else list(reversed(variants))
            for name in order:
                wall, cpu = build(work, variants[name], Path(tmp) / f"site-{name}")
                results[name]["wall"].append(wall)
                results[name]["cpu"].append(cpu)
                print(f"run {run + 1}, {name:5}: {cpu:6.2f} CPU s  {wall:6.2f} s wall", flush=True)
    median = {name: {kind: statistics.median(values) for kind, values in result.items()}
              for name, result in results.items()}
    ratio = median["ours"]["cpu"] / median["stock"]["cpu"]
    report = {
        "pages": pages, "runs": args.runs, "cpus": os.cpu_count(),
        "median": {name: {kind: round(value, 2) for kind, value in m.items()}
                   for name, m in median.items()},
        "cold": {name: {"wall": round(w, 2), "cpu": round(c, 2)} for name, (w, c) in cold.items()},
        "cpu_ratio": round(ratio, 2), "goal_ratio": args.ratio, "all": results,
    }
    path = ROOT / "reports" / "bench-build.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nclean build of {pages} pages (both languages), median of {args.runs}, same run:")
    print(f"  {'':28} {'CPU s':>7} {'wall s':>7}   cold (first build): CPU s, wall s")
    for name, label in (("ours", "ours (mkdocs.yml)"), ("stock", "stock (Material + static-i18n)")):
        m, (cold_wall, cold_cpu) = median[name], cold[name]
        print(f"  {label:28} {m['cpu']:7.2f} {m['wall']:7.2f}   {cold_cpu:6.2f} {cold_wall:6.2f}")
    print(f"  ours / stock CPU: {ratio:.2f} (goal: at most {args.ratio:g})")
    if ratio > args.ratio:
        print("MISSED: our clean build costs more than the goal")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
