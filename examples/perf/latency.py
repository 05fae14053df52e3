"""Measure one HTTP endpoint: latency percentiles (p50, p95, p99) and throughput.

Run from examples/ while the bookstore is running:

    python -m perf.latency http://127.0.0.1:8001/api/v1/books/1 --requests 500 --concurrency 8

Written here instead of using k6, wrk or Locust so the handbook can show in a few lines what
those tools compute. It is a closed loop (each thread waits for its answer before sending the
next request), so it never sends more than the server can take: use a real load-testing tool
to find the breaking point.
"""

from __future__ import annotations

import argparse
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx


# --8<-- [start:percentile]
def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value that at least p % of the values
    are less than or equal to. p50 is the median; p99 is what the slowest 1 % exceed."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    rank = math.ceil(p / 100 * len(sorted_values))  # 1-based position in the sorted list
    return sorted_values[rank - 1]


# --8<-- [end:percentile]


@dataclass(frozen=True)
class Summary:
    requests: int
    errors: int
    seconds: float
    concurrency: int
    durations: tuple[float, ...]  # sorted, in seconds

    def report(self) -> str:
        ms = {p: percentile(self.durations, p) * 1000 for p in (50, 95, 99, 100)}
        first = f"requests: {self.requests} (errors: {self.errors}) in {self.seconds:.2f} s"
        second = f"throughput: {self.requests / self.seconds:.1f} requests/s"
        third = f"latency ms: p50 {ms[50]:.2f}  p95 {ms[95]:.2f}  p99 {ms[99]:.2f}"
        return f"{first}, concurrency {self.concurrency}\n{second}\n{third}  max {ms[100]:.2f}"


# --8<-- [start:measure]
def measure(send: Callable[[], int], requests: int, concurrency: int) -> Summary:
    """Call send() `requests` times from `concurrency` threads and time every call.
    send() returns the HTTP status, or 0 when no answer came (timeout, refused)."""

    def timed(_: int) -> tuple[float, int]:
        start = time.perf_counter()
        status = send()
        return time.perf_counter() - start, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(timed, range(requests)))
    seconds = time.perf_counter() - started
    errors = sum(1 for _, status in results if not 200 <= status < 400)
    durations = tuple(sorted(duration for duration, _ in results))
    return Summary(requests, errors, seconds, concurrency, durations)


# --8<-- [end:measure]


def http_sender(url: str, timeout: float = 5.0) -> Callable[[], int]:
    """A send() for measure(): one httpx.Client per thread, so each thread keeps its
    connection open (keep-alive) instead of paying a new TCP handshake per request."""
    local = threading.local()

    def send() -> int:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=timeout)
        try:
            return local.client.get(url).status_code
        except httpx.TransportError:
            return 0

    return send


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=20, help="requests sent and not counted")
    args = parser.parse_args(argv)
    send = http_sender(args.url)
    for _ in range(args.warm_up):  # first requests pay for connections and cold caches
        send()
    print(measure(send, args.requests, args.concurrency).report())


if __name__ == "__main__":
    main()
