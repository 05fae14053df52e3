"""estimation.capacity: the formulas, and the worked example the analytical-thinking page
quotes (its numbers appear in the prose, so they are pinned here)."""

from __future__ import annotations

import re
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
    assert (round(expected, 1), round(spread, 1)) == (8.2, 1.3)
    # The page says: 50% chance within 8.2 days, 84% within 9.5, 98% within 10.8.
    within = [capacity.done_within(expected, spread, p) for p in (0.5, 0.8413, 0.9772)]
    assert [round(days, 1) for days in within] == [8.2, 9.5, 10.8]


def test_done_within_is_a_normal_quantile():
    assert capacity.done_within(10, 2, 0.5) == pytest.approx(10)
    assert capacity.done_within(10, 2, 0.8413) == pytest.approx(12, abs=0.01)  # E + 1 s
    assert capacity.done_within(10, 0, 0.99) == 10  # no spread, no doubt


def test_the_command_line_refuses_options_it_does_not_have():
    result = subprocess.run(
        [sys.executable, "-m", "estimation.capacity", "--peak", "20"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "unrecognized arguments: --peak 20" in result.stderr
    assert "Traceback" not in result.stderr


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


def test_workers_needed_is_not_fooled_by_float_rounding():
    # 100 requests/s × 70 ms = 7 in flight; 7 / 0.7 is exactly 10 workers, but in floating
    # point it is 10.000000000000002, and a bare math.ceil() asked for 11.
    assert capacity.workers_needed(100, 0.070) == 10
    assert capacity.workers_needed(10, 0.7) == 10


@pytest.mark.parametrize("utilization", [0, -0.5, 1.5, float("nan")])
def test_workers_needed_rejects_a_utilization_outside_zero_to_one(utilization):
    with pytest.raises(ValueError, match="utilization"):
        capacity.workers_needed(100, 0.050, utilization)


@pytest.mark.parametrize("rate, seconds", [(-1, 0.05), (100, -0.05), (float("inf"), 0.05)])
def test_littles_law_rejects_negative_or_infinite_inputs(rate, seconds):
    with pytest.raises(ValueError):
        capacity.in_flight(rate, seconds)


@pytest.mark.parametrize("values", [(5, 2, 1), (1, 3, 2), (-1, 2, 3), (1, 2, float("nan"))])
def test_an_estimate_must_be_ordered_optimistic_likely_pessimistic(values):
    # Estimate(5, 2, 1) used to give a negative spread: "2.3 ± -0.7 days".
    with pytest.raises(ValueError, match="optimistic <= likely <= pessimistic"):
        Estimate(*values)


# estimation.nplus1: the model the analytical-thinking page uses to predict the benchmark.
def test_the_model_adds_one_round_trip_per_query():
    from estimation.nplus1 import Run

    run = Run((101, 1), work=(0.4e-3, 0.2e-3), remote=(1, 1), round_trip=(0.3e-3, 0.3e-3))
    assert run.predicted() == pytest.approx((101 * 0.3 + 0.4) / (0.3 + 0.2))
    assert run.predicted(0) == pytest.approx(2.0)  # in memory only the work counts
    assert run.predicted(1.0) == pytest.approx(101, rel=0.01)  # it tends to the query count
    assert run.predicted(1.0) < 101  # ... from below, while every round trip lasts the same


def test_the_ratio_can_pass_the_query_count_when_the_n_plus_one_round_trips_last_longer():
    # The page says a busy machine can measure more than 101 times: the N+1 page pays the
    # mean of 101 round trips, slow wake-ups included, the JOIN page only one typical one.
    from estimation.nplus1 import Run

    run = Run((101, 1), work=(0.25e-3, 0.1e-3), remote=(1, 1), round_trip=(0.4e-3, 0.27e-3))
    assert run.predicted() > 101
    assert run.predicted(0.2e-3) < 101


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_with_a_fake_clock_the_model_is_the_measurement():
    # Regression: the model used the median of 200 separate sleeps while the measurement kept
    # the best of three rounds, so on a busy machine the two disagreed by 30% and more. Now
    # both sides use the round trips measured inside the timed pages, the median page each.
    from bookstore.bench import build_catalog
    from estimation.nplus1 import measure

    clock = FakeClock()
    conn = build_catalog(books=40, authors=5)
    # The work: every SQLite virtual machine instruction costs 0.1 µs, on every call alike.
    conn.set_progress_handler(lambda: clock.advance(1e-7) or 0, 1)
    # The network: every round trip oversleeps by half, as on a busy machine.
    run = measure(conn, page=20, latency=1e-3, clock=clock, sleep=lambda s: clock.advance(1.5 * s))

    assert run.queries == (21, 1)
    assert run.round_trip == pytest.approx((1.5e-3, 1.5e-3))
    assert run.work[0] > run.work[1] > 0
    assert run.predicted() == pytest.approx(run.ratio(run.remote), rel=1e-9)  # nothing unexplained
    assert run.predicted(1e-3) != pytest.approx(run.ratio(run.remote), rel=1e-3)  # as asked: off


def test_a_measured_page_sends_one_plus_n_queries_against_one():
    from bookstore.bench import build_catalog
    from estimation.nplus1 import measure

    run = measure(build_catalog(books=10, authors=3), page=5, latency=0.00001)
    assert run.queries == (6, 1)
    assert min(run.round_trip) >= 0.00001  # time.sleep() never sleeps less than asked
    assert all(t > 0 for t in run.work + run.remote)


def test_the_report_prints_the_work_in_ms_and_the_range_over_all_runs():
    from estimation.nplus1 import Run, report

    runs = [
        Run((21, 1), (2e-3, 1e-3), (30e-3, 1.5e-3), (1.2e-3, 1.1e-3)),
        Run((21, 1), (3e-3, 1e-3), (40e-3, 1.5e-3), (1.3e-3, 1.1e-3)),
    ]
    text = report(runs, page=20, latency_ms=1)
    assert "page of 20 books: N+1 sends 21 queries, JOIN sends 1" in text
    row = text.splitlines()[5].split()
    assert row == ["1", "2.000", "1.000", "2.0x", "1.200", "1.100", "20.0x", "11.5x", "13.0x"]
    assert "N+1 is 2.0x to 3.0x slower over 2 runs" in text  # in memory
    assert "N+1 is 20.0x to 26.7x slower" in text  # with 1 ms a query
    assert f"model, real r     : {runs[0].predicted():.1f}x to {runs[1].predicted():.1f}x" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--page", "0"], "'0' is not between 1 and 500"),
        (["--latency-ms", "nan"], "'nan' is not between"),
        (["--latency-ms", "-1"], "'-1' is not between"),
        (["--runs", "many"], "'many' is not a number"),
        (["--runs", "31"], "'31' is not between 1 and 30"),
    ],
)
def test_nplus1_answers_bad_options_with_a_message_not_a_traceback(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "estimation.nplus1", *args],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def recorded_nplus1() -> list[str]:
    recorded = EXAMPLES / "estimation" / "output" / "nplus1.txt"
    return recorded.read_text(encoding="utf-8").splitlines()


def test_recorded_nplus1_run_names_its_machine_and_matches_the_code():
    lines = recorded_nplus1()
    assert lines[0] == "$ python -m estimation.nplus1"
    assert re.fullmatch(r"Python 3\.\d+\.\d+, SQLite 3\.\d+\.\d+, \w+ \w+, \d+ CPUs", lines[1])
    fresh = subprocess.run(
        [sys.executable, "-m", "estimation.nplus1", "--runs", "1"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # Timings differ from run to run; the query counts and the layout must not.
    assert lines[2:6] == fresh[1:5]
    assert len(lines) == 1 + 5 + 10 + 4  # command, header, ten runs (the default), summary


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_quotes_the_recorded_nplus1_run(lang):
    page = (EXAMPLES.parent / "docs" / lang / "skills" / "analytical-thinking.md").read_text(
        encoding="utf-8"
    )
    page = " ".join(page.split())
    lines = recorded_nplus1()
    rows = [line.split() for line in lines[6:16]]

    def number(value: float, decimals: int = 1) -> str:
        english = f"{value:.{decimals}f}"
        return english if lang == "en" else english.replace(".", ",")

    def quoted(low: float, high: float, decimals: int = 1) -> str:
        return f"{number(low, decimals)}–{number(high, decimals)}"

    for label in ("in memory", "0.2 ms a query", "model, real r", "model, r = 0.2 ms"):
        summary = next(line for line in lines if line.startswith(label))
        low, high = (float(x) for x in re.findall(r"([\d.]+)x", summary))
        assert f"{quoted(low, high)} {'kali' if lang == 'id' else 'times'}" in page, label
    r_slow = [float(row[4]) for row in rows]
    r_fast = [float(row[5]) for row in rows]
    assert f"{quoted(min(r_slow), max(r_slow), 2)} ms" in page
    assert f"{number(sum(r_fast) / len(r_fast), 2)} ms" in page
    measured = [float(row[6].rstrip("x")) for row in rows]
    fifth = {"id": "kali pada putaran kelima", "en": "times in the fifth run"}[lang]
    assert measured.index(max(measured)) == 4 and f"{number(max(measured))} {fifth}" in page
