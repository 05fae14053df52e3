"""Predict, then measure: how much slower is a page of books with N+1 queries than with a JOIN?

Run from examples/ (about 3 seconds):

    python -m estimation.nplus1                      # page of 100, 0.2 ms per query, 5 runs
    python -m estimation.nplus1 --page 20 --latency-ms 1 --runs 3

The model: every query costs a round trip r to the database plus its own work. N+1 sends
1 + N queries and the JOIN sends one, so

    ratio = (queries_n1 * r + work_n1) / (queries_join * r + work_join)

With the database in memory (r = 0) only the work counts; as r grows, the ratio tends to
the ratio of query counts (101 for a page of 100). The program counts the queries, measures
the work and the real round trip (time.sleep() sleeps a little longer than asked), prints
the model's prediction next to the measurement, and repeats that --runs times so that you
see the spread. The figures depend on the machine: the recorded run in
estimation/output/nplus1.txt names the one it came from. To record a new one:

    (echo '$ python -m estimation.nplus1'; python -m estimation.nplus1) > estimation/output/nplus1.txt
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bookstore.bench import best_time, build_catalog
from bookstore.db import books as books_db


# --8<-- [start:model]
@dataclass(frozen=True)
class Run:
    queries: tuple[int, int]  # statements sent: (N+1, JOIN)
    work: tuple[float, float]  # seconds per page in memory: (N+1, JOIN)
    remote: tuple[float, float]  # seconds per page with a round trip per query
    round_trip: float  # seconds time.sleep() really took per query

    def ratio(self, times: tuple[float, float]) -> float:
        return times[0] / times[1]

    def predicted(self) -> float:
        """Each query pays one round trip on top of its work."""
        (q_slow, q_fast), (w_slow, w_fast), r = self.queries, self.work, self.round_trip
        return (q_slow * r + w_slow) / (q_fast * r + w_fast)


# --8<-- [end:model]


def count_queries(conn: sqlite3.Connection, function: Callable[[], object]) -> int:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        function()
    finally:
        conn.set_trace_callback(None)
    return len(statements)


def real_sleep(seconds: float, samples: int = 200) -> float:
    """Median of how long time.sleep(seconds) really takes on this machine."""
    taken = []
    for _ in range(samples):
        start = time.perf_counter()
        time.sleep(seconds)
        taken.append(time.perf_counter() - start)
    return statistics.median(taken)


def measure(conn: sqlite3.Connection, page: int, latency: float) -> Run:
    def slow() -> object:
        return books_db.list_books_n_plus_one(conn, 0, page)

    def fast() -> object:
        return books_db.list_books(conn, 0, page)

    queries = (count_queries(conn, slow), count_queries(conn, fast))
    work = (best_time(slow, 3, 3), best_time(fast, 3, 3))
    # A trace callback runs for every statement: sleeping there imitates a network.
    conn.set_trace_callback(lambda _: time.sleep(latency))
    try:
        remote = (best_time(slow, 3, 3), best_time(fast, 3, 3))
    finally:
        conn.set_trace_callback(None)
    return Run(queries, work, remote, real_sleep(latency))


def machine() -> str:
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


def report(runs: list[Run], page: int, latency_ms: float) -> str:
    first = runs[0]
    lines = [
        machine(),
        f"page of {page} books: N+1 sends {first.queries[0]} queries, JOIN sends {first.queries[1]}",
        f"run  in memory  {latency_ms:g} ms a query  real round trip  model predicts",
    ]
    for number, run in enumerate(runs, 1):
        lines.append(
            f"{number:3d}  {run.ratio(run.work):8.1f}x  {run.ratio(run.remote):13.1f}x"
            f"  {run.round_trip * 1e3:12.3f} ms  {run.predicted():13.1f}x"
        )

    def spread(values: list[float]) -> str:
        return f"{min(values):.1f}x to {max(values):.1f}x"

    memory = spread([r.ratio(r.work) for r in runs])
    remote = spread([r.ratio(r.remote) for r in runs])
    model = spread([r.predicted() for r in runs])
    lines.append(f"{'in memory':<15}: N+1 is {memory} slower over {len(runs)} runs")
    lines.append(f"{f'{latency_ms:g} ms a query':<15}: N+1 is {remote} slower (model: {model})")
    return "\n".join(lines) + "\n"


def bounded(kind: type, low: float, high: float) -> Callable[[str], float]:
    """An argparse type that accepts kind(text) only between low and high."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{text!r} is not between {low:g} and {high:g}")
        return value

    return parse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m estimation.nplus1", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--page", type=bounded(int, 1, 500), default=100, help="books per page")
    parser.add_argument(
        "--latency-ms",
        type=bounded(float, 0.01, 5),
        default=0.2,
        help="simulated round trip per query, in ms (0.01-5)",
    )
    parser.add_argument("--runs", type=bounded(int, 1, 20), default=5, help="repetitions")
    args = parser.parse_args(argv)
    conn = build_catalog(books=args.page * 2, authors=20)
    runs = [measure(conn, args.page, args.latency_ms / 1000) for _ in range(args.runs)]
    print(report(runs, args.page, args.latency_ms), end="")


if __name__ == "__main__":
    main()
