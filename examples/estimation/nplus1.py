"""Predict, then measure: how much slower is a page of books with N+1 queries than with a JOIN?

Run from examples/ (about 10 seconds):

    python -m estimation.nplus1                      # page of 100, 0.2 ms per query, 10 runs
    python -m estimation.nplus1 --page 20 --latency-ms 1 --runs 3

The model: every query costs a round trip r to the database plus its own work. N+1 sends
1 + N queries and the JOIN sends one, so

    ratio = (queries_n1 * r + work_n1) / (queries_join * r + work_join)

With the database in memory (r = 0) only the work counts; as r grows, the ratio tends to
the ratio of query counts (101 for a page of 100), as long as every round trip lasts the same.

The program counts the queries, then times the pages both ways, in memory (the work) and
with a simulated round trip per query, taking turns so that all four see the machine in the
same state. It records how long each simulated round trip really took: time.sleep() never
wakes up early, but it wakes up late, by the kernel's timer slack and by however long the
scheduler takes to run the process again. It prints the model's prediction with the round
trip as asked and as it really lasted, next to the measurement, and repeats all that --runs
times so that you see the spread. Model and measurement use the same statistic, the median
page of each kind, so they can be compared. The figures depend on the machine and on how busy
it is: the recorded run in estimation/output/nplus1.txt names the one it came from. To
record a new one:

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

from bookstore.bench import build_catalog
from bookstore.db import books as books_db

CALLS = 21  # pages timed of each kind in one run; the median is kept


# --8<-- [start:model]
@dataclass(frozen=True)
class Run:
    queries: tuple[int, int]  # statements sent per page: (N+1, JOIN)
    work: tuple[float, float]  # seconds a typical page takes in memory: (N+1, JOIN)
    remote: tuple[float, float]  # seconds a typical page takes with a round trip per query
    round_trip: tuple[float, float]  # seconds one round trip really took in those pages

    def ratio(self, times: tuple[float, float]) -> float:
        return times[0] / times[1]

    def predicted(self, round_trip: float | None = None) -> float:
        """Each query pays one round trip on top of its work. Without an argument, use the
        round trips as they really lasted; with one, pretend every one lasted that long."""
        (q_slow, q_fast), (w_slow, w_fast) = self.queries, self.work
        r_slow, r_fast = self.round_trip if round_trip is None else (round_trip, round_trip)
        return (q_slow * r_slow + w_slow) / (q_fast * r_fast + w_fast)


# --8<-- [end:model]


def count_queries(conn: sqlite3.Connection, function: Callable[[], object]) -> int:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        function()
    finally:
        conn.set_trace_callback(None)
    return len(statements)


def measure(
    conn: sqlite3.Connection,
    page: int,
    latency: float,
    clock: Callable[[], float] = time.perf_counter,
    sleep: Callable[[float], object] = time.sleep,
) -> Run:
    """Time both pages in memory and with a simulated round trip per query, and record how
    long those round trips really lasted. The four kinds of page take turns, so that all of
    them see the machine in the same state; each result is the median page."""

    def slow() -> object:
        return books_db.list_books_n_plus_one(conn, 0, page)

    def fast() -> object:
        return books_db.list_books(conn, 0, page)

    queries = (count_queries(conn, slow), count_queries(conn, fast))  # also a warm-up
    slept: list[float] = []  # seconds each simulated round trip of one page really took

    def round_trip(_statement: str) -> None:
        # A trace callback runs for every statement: sleeping there imitates a network.
        start = clock()
        sleep(latency)
        slept.append(clock() - start)

    kinds = [(function, network) for function in (slow, fast) for network in (False, True)]
    elapsed: dict[tuple, list[float]] = {kind: [] for kind in kinds}
    waited: dict[tuple, list[float]] = {kind: [] for kind in kinds}
    try:
        for _ in range(CALLS):
            for function, network in kinds:
                conn.set_trace_callback(round_trip if network else None)
                slept.clear()
                start = clock()
                function()
                elapsed[function, network].append(clock() - start)
                waited[function, network].append(math.fsum(slept))
    finally:
        conn.set_trace_callback(None)

    def typical(values: dict[tuple, list[float]], network: bool) -> tuple[float, float]:
        return statistics.median(values[slow, network]), statistics.median(values[fast, network])

    waited_slow, waited_fast = typical(waited, True)
    # Per query: for N+1 the mean of a typical page's 1 + N round trips, for the JOIN its one.
    real = (waited_slow / queries[0], waited_fast / queries[1])
    return Run(queries, typical(elapsed, False), typical(elapsed, True), real)


def machine() -> str:
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


COLUMNS = [  # (heading, width) of the table report() prints
    ("run", 3),
    ("N+1 ms", 7),
    ("JOIN ms", 7),
    ("ratio", 6),
    ("r N+1 ms", 8),
    ("r JOIN ms", 9),
    ("ratio", 7),
    ("r as asked", 10),
    ("real r", 7),
]
GROUPS = [("", 1), ("in memory", 3), ("with {} ms a query", 3), ("model predicts", 2)]


def table_line(cells: list[str]) -> str:
    return "  ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


def report(runs: list[Run], page: int, latency_ms: float) -> str:
    first = runs[0]
    asked = latency_ms / 1000
    groups, column = [], 0
    for label, span in GROUPS:  # each label centered over the columns it covers
        width = sum(w for _, w in COLUMNS[column : column + span]) + 2 * (span - 1)
        groups.append(f"{label.format(f'{latency_ms:g}'):^{width}}")
        column += span
    lines = [
        machine(),
        f"page of {page} books: N+1 sends {first.queries[0]} queries, JOIN sends {first.queries[1]}",
        f"times: the median page; r: how long one {latency_ms:g} ms round trip really took",
        "  ".join(groups).rstrip(),
        table_line([heading for heading, _ in COLUMNS]),
    ]
    for number, run in enumerate(runs, 1):
        (w_slow, w_fast), (r_slow, r_fast) = run.work, run.round_trip
        cells = [f"{number}", f"{w_slow * 1e3:.3f}", f"{w_fast * 1e3:.3f}"]
        cells += [f"{run.ratio(run.work):.1f}x", f"{r_slow * 1e3:.3f}", f"{r_fast * 1e3:.3f}"]
        cells += [f"{run.ratio(run.remote):.1f}x", f"{run.predicted(asked):.1f}x"]
        lines.append(table_line([*cells, f"{run.predicted():.1f}x"]))

    def spread(values: list[float]) -> str:
        return f"{min(values):.1f}x to {max(values):.1f}x"

    memory = spread([r.ratio(r.work) for r in runs])
    remote = spread([r.ratio(r.remote) for r in runs])
    lines += [
        f"{'in memory':<18}: N+1 is {memory} slower over {len(runs)} runs",
        f"{f'{latency_ms:g} ms a query':<18}: N+1 is {remote} slower",
        f"{'model, real r':<18}: {spread([r.predicted() for r in runs])}",
        f"{f'model, r = {latency_ms:g} ms':<18}: {spread([r.predicted(asked) for r in runs])}",
    ]
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
    parser.add_argument("--runs", type=bounded(int, 1, 30), default=10, help="repetitions (1-30)")
    args = parser.parse_args(argv)
    conn = build_catalog(books=args.page * 2, authors=20)
    runs = [measure(conn, args.page, args.latency_ms / 1000) for _ in range(args.runs)]
    print(report(runs, args.page, args.latency_ms), end="")


if __name__ == "__main__":
    main()
