"""The timing claims of the example code, measured against the figures the pages give.

    python scripts/bench_examples.py [--runs 5]

- languages/event_loop.py: five requests that each wait 0.1 s on one event loop. Blocking, they
  queue (at least 0.5 s, reported); awaited or in a thread they overlap: budget 0.35 s each.
- bookstore/integrations/http_retry.py: two attempts with a 0.1 s timeout against an upstream
  that answers after 0.5 s give up in time: budget 0.5 s (two 0.1 s attempts, not 2 × 0.5 s).
- `python -m bookstore.bench --page 50 --latency-ms 0.2` (the page's benchmark): budget 5 s.

The tests under tests/examples/ prove the behaviour (requests overlap, a slow upstream ends in
ReadTimeout, the benchmark prints its four speed-ups) without a time limit, which would fail on a
busy machine for no defect; the times are measured here. Median of --runs.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench_support import ROOT, Bench, Figure

EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(EXAMPLES))


def event_loop(bench: Bench, runs: int) -> None:
    from languages.event_loop import (
        handle_blocking,
        handle_blocking_library,
        handle_non_blocking,
        serve_concurrently,
    )

    for name, handler, budget in (("blocking (queues: at least 0.5 s)", handle_blocking, None),
                                  ("awaited (overlaps)", handle_non_blocking, 0.35),
                                  ("blocking library in a thread (overlaps)",
                                   handle_blocking_library, 0.35)):
        values = [asyncio.run(serve_concurrently(handler, requests=5, delay=0.1))
                  for _ in range(runs)]
        bench.add(Figure(f"event loop, 5 requests of 0.1 s, {name}", values, "s", budget))


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.5)
        try:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        except OSError:
            pass  # the client gave up first: that is the point

    def log_message(self, *args):
        pass


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def slow_upstream(bench: Bench, runs: int) -> None:
    from bookstore.integrations.http_retry import UpstreamError, get_json_with_retries, make_client

    server = _Quiet(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    values = []
    try:
        for _ in range(runs):
            with make_client(f"http://127.0.0.1:{server.server_address[1]}", timeout=0.1) as c:
                started = time.perf_counter()
                try:
                    get_json_with_retries(c, "/v1/payments/1", attempts=2, base_delay=0.01)
                except UpstreamError:
                    pass
                values.append(time.perf_counter() - started)
    finally:
        server.shutdown()
        server.server_close()
    bench.add(Figure("slow upstream (0.5 s), 2 attempts with a 0.1 s timeout", values, "s", 0.5))


def bookstore_bench(bench: Bench, runs: int) -> None:
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bookstore.bench", "--page", "50",
                        "--latency-ms", "0.2"], cwd=EXAMPLES, capture_output=True, check=True,
                       timeout=120)
        values.append(time.perf_counter() - started)
    bench.add(Figure("python -m bookstore.bench --page 50 --latency-ms 0.2", values, "s", 5.0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    bench = Bench("examples")
    event_loop(bench, args.runs)
    slow_upstream(bench, args.runs)
    bookstore_bench(bench, max(1, min(args.runs, 3)))
    return bench.finish()


if __name__ == "__main__":
    sys.exit(main())
