"""estimation.capacity: the formulas, and the worked example the analytical-thinking page
quotes (its numbers appear in the prose, so they are pinned here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from estimation import capacity
from estimation.capacity import Estimate

EXAMPLES = Path(capacity.__file__).resolve().parents[1]


def test_peak_rate_is_the_daily_average_times_the_factor():
    assert capacity.average_rate(86_400) == 1.0
    assert capacity.peak_rate(86_400, 10) == 10.0


def test_littles_law():
    # 100 requests/s that each stay 50 ms: 5 in flight on average.
    assert capacity.in_flight(100, 0.050) == pytest.approx(5.0)
    assert capacity.workers_needed(100, 0.050) == 8  # 5 / 0.7 = 7.1, rounded up
    assert capacity.workers_needed(100, 0.050, utilization=1.0) == 5


def test_three_point_estimate_and_total():
    task = Estimate(1, 2, 5)
    assert task.expected == pytest.approx(14 / 6)
    assert task.spread == pytest.approx(4 / 6)
    expected, spread = capacity.total([Estimate(1, 2, 3), Estimate(1, 2, 3)])
    assert expected == pytest.approx(4.0)
    assert spread == pytest.approx((2 * (2 / 6) ** 2) ** 0.5)  # not 2/6 + 2/6


def test_the_numbers_the_page_quotes():
    rate = capacity.peak_rate(capacity.REQUESTS_ON_SALE_DAY, capacity.PEAK_FACTOR)
    assert round(rate, 1) == 115.7
    assert round(capacity.in_flight(rate, capacity.MEAN_TIME_IN_SYSTEM), 1) == 4.6
    assert capacity.workers_needed(rate, capacity.MEAN_TIME_IN_SYSTEM) == 7
    assert capacity.workers_needed(rate, 3 * capacity.MEAN_TIME_IN_SYSTEM) == 20  # if W triples
    yearly = capacity.ORDERS_PER_DAY * 365 * capacity.BYTES_PER_ORDER
    assert round(yearly / 1e9, 1) == 1.5
    expected, spread = capacity.total(capacity.PREPARATION.values())
    assert (round(expected, 1), round(spread, 1), round(expected + 2 * spread, 1)) == (
        8.2,
        1.3,
        10.8,
    )


def test_recorded_output_is_current():
    fresh = subprocess.run(
        [sys.executable, "-m", "estimation.capacity"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    recorded = (EXAMPLES / "estimation" / "output" / "harbolnas.txt").read_text(encoding="utf-8")
    assert recorded == "$ python -m estimation.capacity\n" + fresh
