"""Edit to preview: how long after saving a page `make serve` shows the change, against stock.

    python scripts/bench_serve.py [--runs 5] [--budget 2]

Starts two live previews of the same pages, each in its own copy of the project (the working
tree is never edited): ours, with the command `make serve` runs (`make -n serve` prints it), and
stock (Material + static-i18n + the same Markdown extensions, nothing of ours: `mkdocs serve -f
mkdocs.stock.yml`). Then, interleaved, one prose edit at a time to docs/id/overview.md, timing
from the save until the served page shows it; the next edit waits until the rebuild has finished.
Prints the median of each and writes reports/bench-serve.json. Exits 1 when our median is over
the budget or slower than stock's.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from handbook.bench import QUIET, ROOT, project_copy

PAGE = "docs/id/overview.md"
URL_PATH = "overview.html"


def serve_command(port: int) -> list[str]:
    """The command of `make serve` (its recipe, as make prints it), for this port."""
    printed = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", "serve",
                              f"PORT={port}"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()[-1]
    words = shlex.split(printed)
    env = {}
    while words and "=" in words[0] and not words[0].startswith("-"):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    return [f"{k}={v}" for k, v in env.items()] + words


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class Preview:
    """One `mkdocs serve` in its own copy of the project."""

    def __init__(self, name: str, folder: Path, command: list[str], base: str):
        self.name, self.folder, self.base = name, folder, base
        env = dict(os.environ, **QUIET)
        while command and "=" in command[0] and not command[0].startswith("-"):
            key, _, value = command.pop(0).partition("=")
            env[key] = value
        self.log = (folder / "serve.log").open("w")
        self.process = subprocess.Popen(command, cwd=folder, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def builds(self) -> int:
        return (self.folder / "serve.log").read_text().count("Documentation built in")

    def wait_ready(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: mkdocs serve stopped:\n"
                                   + (self.folder / "serve.log").read_text()[-3000:])
            if fetch(self.base + URL_PATH) and self.builds() >= 1:
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}: no preview after {timeout} s")

    def edit(self, marker: str, timeout: float = 300) -> float:
        """Seconds from saving the page until the served page shows the marker."""
        built = self.builds()
        page = self.folder / PAGE
        start = time.perf_counter()
        page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        while marker not in (fetch(self.base + URL_PATH) or ""):
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{self.name}: the edit did not show within {timeout} s")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        while self.builds() <= built:  # let the rebuild finish before the next edit
            if time.perf_counter() - start > timeout:
                break
            time.sleep(0.1)
        return elapsed

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds, median, ours")
    parser.add_argument("--port", type=int, default=8350, help="ours; stock uses the next one")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"ours": [], "stock": []}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        ours_dir = project_copy(Path(tmp) / "ours")
        stock_dir = project_copy(Path(tmp) / "stock")
        (ours_dir / ".venv").symlink_to(ROOT / ".venv")
        stock_port = args.port + 1
        previews = {
            "ours": Preview("ours", ours_dir, serve_command(args.port),
                            f"http://127.0.0.1:{args.port}/"),
            "stock": Preview("stock", stock_dir,
                             [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.stock.yml",
                              "--dev-addr", f"127.0.0.1:{stock_port}"],
                             f"http://127.0.0.1:{stock_port}/panduan-backend/"),
        }
        try:
            for preview in previews.values():
                preview.wait_ready()
            for run in range(args.runs):
                order = ("ours", "stock") if run % 2 == 0 else ("stock", "ours")
                for name in order:
                    seconds = previews[name].edit(f"Suntingan uji {run} untuk {name}.")
                    times[name].append(seconds)
                    print(f"edit {run + 1}, {name:5}: {seconds:5.2f} s", flush=True)
        finally:
            for preview in previews.values():
                preview.stop()
    ours, stock = (statistics.median(times[name]) for name in ("ours", "stock"))
    result = {"runs": args.runs, "page": PAGE, "edit_to_preview_s": times,
              "median_s": {"ours": round(ours, 2), "stock": round(stock, 2)},
              "budget_s": args.budget, "cpus": os.cpu_count()}
    report = ROOT / "reports" / "bench-serve.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nedit to preview, median of {args.runs} (same run, interleaved):")
    print(f"  ours  (make serve)            {ours:6.2f} s   budget {args.budget:.1f} s")
    print(f"  stock (Material + static-i18n) {stock:5.2f} s")
    verdict = ours <= args.budget and ours <= stock
    print("within the budget and not slower than stock" if verdict else
          "MISSED: over the budget or slower than stock")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
