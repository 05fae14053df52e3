"""Build speed: a clean build of both languages and a rebuild after editing one page.

    python scripts/bench_build.py [--runs 5] [--budget 20]

Prints the median of each (and pages per second) and writes reports/bench-build.json. Fails when
the median clean build is over the budget in seconds. The edit is made to a copy of the docs in a
temporary folder, so the working tree is never touched.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ("docs", "overrides", "scripts", "examples", "data", "tests", "mkdocs.yml", "package-lock.json",
        ".git")


def build(workdir: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=workdir, check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds for a clean build")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        for name in COPY:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, work / name, symlinks=True,
                                ignore=shutil.ignore_patterns("__pycache__"))
            elif source.exists():
                shutil.copy(source, work / name)
        site = Path(tmp) / "site"
        pages = len(list((work / "docs").glob("*/**/*.md")))
        clean, edited = [], []
        page = work / "docs" / "id" / "overview.md"
        original = page.read_text(encoding="utf-8")
        for run in range(args.runs):
            shutil.rmtree(site, ignore_errors=True)
            clean.append(build(work, site))
            page.write_text(original + f"\nSuntingan uji {run}.\n", encoding="utf-8")
            edited.append(build(work, site))
        page.write_text(original, encoding="utf-8")
    result = {
        "pages": pages,
        "runs": args.runs,
        "clean_build_median_s": round(statistics.median(clean), 2),
        "rebuild_after_edit_median_s": round(statistics.median(edited), 2),
        "pages_per_second_clean": round(pages / statistics.median(clean), 1),
        "budget_clean_s": args.budget,
    }
    report = ROOT / "reports" / "bench-build.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(result, indent=2) + "\n")
    print(f"pages (both languages): {pages}")
    print(f"clean build:         median {result['clean_build_median_s']} s over {args.runs} runs "
          f"({result['pages_per_second_clean']} pages/s)")
    print(f"rebuild after edit:  median {result['rebuild_after_edit_median_s']} s")
    if statistics.median(clean) > args.budget:
        print(f"over budget: a clean build must take under {args.budget} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
