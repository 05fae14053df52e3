"""Back-of-the-envelope numbers for the bookstore before a big sale (Harbolnas 12.12).

Run from examples/:

    python -m estimation.capacity

Every input is an assumption written down next to its value, so that a reader can check it
and a later measurement can replace it. Our own code because the formulas are three lines
each and the point is to see them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

SECONDS_PER_DAY = 86_400


# --8<-- [start:peak_load]
def average_rate(per_day: float) -> float:
    """Events per second if they were spread evenly over the day."""
    return per_day / SECONDS_PER_DAY


def peak_rate(per_day: float, peak_factor: float) -> float:
    """Events per second in the busiest moment: the average times a measured factor."""
    return average_rate(per_day) * peak_factor


# --8<-- [end:peak_load]


# --8<-- [start:littles_law]
def in_flight(arrival_rate: float, time_in_system: float) -> float:
    """Little's law, L = λ × W: how many requests are being served at once, on average."""
    if not (0 <= arrival_rate < math.inf and 0 <= time_in_system < math.inf):
        raise ValueError("arrival rate and time in system must be finite and >= 0")
    return arrival_rate * time_in_system


def workers_needed(arrival_rate: float, time_in_system: float, utilization: float = 0.7) -> int:
    """Workers (each serving one request at a time) so that none is busy more than
    `utilization` of the time: the rest is headroom for bursts and slow requests."""
    if not 0 < utilization <= 1:
        raise ValueError("utilization must be in (0, 1], for example 0.7")
    workers = in_flight(arrival_rate, time_in_system) / utilization
    # round() first: 7 / 0.7 is 10.000000000000002 in floating point, and 11 is wrong.
    return math.ceil(round(workers, 9))


# --8<-- [end:littles_law]


# --8<-- [start:three_point]
@dataclass(frozen=True)
class Estimate:
    """A three-point estimate of one task, in working days."""

    optimistic: float
    likely: float
    pessimistic: float

    def __post_init__(self) -> None:
        if not 0 <= self.optimistic <= self.likely <= self.pessimistic < math.inf:
            raise ValueError(f"need 0 <= optimistic <= likely <= pessimistic, got {self}")

    @property
    def expected(self) -> float:  # PERT: the likely value weighs four times
        return (self.optimistic + 4 * self.likely + self.pessimistic) / 6

    @property
    def spread(self) -> float:  # PERT's standard deviation: O and P lie ~3 of them apart
        return (self.pessimistic - self.optimistic) / 6


def total(tasks: Iterable[Estimate]) -> tuple[float, float]:
    """Expected total and its standard deviation. Independent tasks: variances add."""
    tasks = list(tasks)
    expected = sum(t.expected for t in tasks)
    spread = math.sqrt(sum(t.spread**2 for t in tasks))
    return expected, spread


def done_within(expected: float, spread: float, chance: float) -> float:
    """Days within which the work is done with this chance, if the total is roughly normal."""
    return NormalDist(expected, spread).inv_cdf(chance) if spread else expected


# --8<-- [end:three_point]


# --8<-- [start:harbolnas]
# Assumptions (replace each with a measurement as soon as you have one):
REQUESTS_ON_SALE_DAY = 1_000_000  # API requests; a normal day has 200,000
PEAK_FACTOR = 10  # the midnight flash sale vs the day's average (from last year's metrics)
MEAN_TIME_IN_SYSTEM = 0.040  # seconds per request; measure yours with perf.latency
ORDERS_PER_DAY = 2_000  # a normal day
BYTES_PER_ORDER = 2_048  # order row + 3 lines + indexes, rounded up

PREPARATION = {
    "load test of the checkout": Estimate(1, 2, 5),
    "cache the catalog pages": Estimate(1, 2, 4),
    "queue the confirmation emails": Estimate(2, 3, 8),
}
# --8<-- [end:harbolnas]


def report() -> str:
    rate = peak_rate(REQUESTS_ON_SALE_DAY, PEAK_FACTOR)
    busy = in_flight(rate, MEAN_TIME_IN_SYSTEM)
    yearly = ORDERS_PER_DAY * 365 * BYTES_PER_ORDER
    lines = [
        f"average load on sale day : {average_rate(REQUESTS_ON_SALE_DAY):7.1f} requests/s",
        f"peak load                : {rate:7.1f} requests/s",
        f"in flight (Little's law) : {busy:7.1f} requests at once",
        f"workers at 70% busy      : {workers_needed(rate, MEAN_TIME_IN_SYSTEM):7d}",
        f"order data per year      : {yearly / 1e9:7.2f} GB",
        "",
    ]
    for name, task in PREPARATION.items():
        lines.append(f"{name:<31}: {task.expected:4.1f} ± {task.spread:.1f} days")
    expected, spread = total(PREPARATION.values())
    lines.append(f"{'total (expected ± std. dev.)':<31}: {expected:4.1f} ± {spread:.1f} days")
    for k in (0, 1, 2):  # the expected value, then one and two standard deviations more
        chance = NormalDist().cdf(k)  # 50%, 84%, 98% of a normal distribution
        days = done_within(expected, spread, chance)
        note = f"  (expected + {k} std. dev.)" if k else ""
        lines.append(f"{f'done within, {chance:.0%} chance':<31}: {days:4.1f} days{note}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m estimation.capacity", description=__doc__.splitlines()[0]
    )
    parser.parse_args(argv)  # no options: change the assumptions in this file instead
    print(report(), end="")


if __name__ == "__main__":
    main()
