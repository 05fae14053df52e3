"""Property-based tests with Hypothesis: rules about money that must hold for every price, not
only for the prices someone thought of; and Hypothesis finding the float discount bug on its
own (examples/testing/float_properties.py).

The seed is fixed and no example database is written, so every run tries the same inputs."""

import os
import platform
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import hypothesis
import pytest
from bookstore.bugs.discount_float_bug import apply_discount_float
from bookstore.services import pricing
from bookstore.services.pricing import CENT, apply_discount, from_cents, order_total, to_cents
from hypothesis import find, given, settings
from hypothesis import strategies as st
from testing import float_properties

EXAMPLES = Path(float_properties.__file__).resolve().parents[1]
RECORDED = EXAMPLES / "testing" / "output" / "float_properties.txt"
# A fixed seed, no example database, no time limit per example. Hypothesis still writes a
# small cache under .hypothesis/ (with its own .gitignore), which these settings do not stop.
REPEATABLE = settings(derandomize=True, database=None, deadline=None)


# --8<-- [start:discount_properties]
PRICES = st.decimals(min_value=0, max_value=Decimal("1000000.00"), places=2)  # whole cents
PERCENTS = st.integers(min_value=0, max_value=100)


@REPEATABLE
@given(price=PRICES, percent=PERCENTS)
def test_a_discount_stays_between_zero_and_the_price(price, percent):
    assert 0 <= apply_discount(price, percent) <= price


@REPEATABLE
@given(price=PRICES, percent=PERCENTS)
def test_a_discount_is_the_exact_value_rounded_half_up_to_the_cent(price, percent):
    exact = price * (100 - percent) / 100
    result = apply_discount(price, percent)
    assert result.as_tuple().exponent == -2  # whole cents, always two decimals
    assert exact - Decimal("0.005") < result <= exact + Decimal("0.005")  # half a cent goes up


@REPEATABLE
@given(cents=st.integers(min_value=-(2**63), max_value=2**63 - 1))  # SQLite's INTEGER range
def test_cents_survive_the_trip_through_decimal(cents):
    assert to_cents(from_cents(cents)) == cents


# --8<-- [end:discount_properties]


def run_the_finder(scratch: Path) -> subprocess.CompletedProcess:
    # Hypothesis caches what it learns under .hypothesis/ in the working directory even
    # without an example database; keep that out of examples/.
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(scratch),
    }
    return subprocess.run(
        [sys.executable, "-m", "testing.float_properties"],
        cwd=EXAMPLES,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hypothesis_finds_the_float_bug_and_shrinks_it_to_a_half_cent(tmp_path):
    result = run_the_finder(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # 1: a counterexample
    found = re.search(r"price=Decimal\('([0-9.]+)'\),\s+percent=(\d+),", result.stdout)
    assert found, result.stdout
    price, percent = Decimal(found[1]), int(found[2])
    exact = price * (100 - percent) / 100
    assert exact.as_tuple().exponent == -3 and str(exact).endswith("5")  # exactly half a cent
    assert Decimal(str(apply_discount_float(float(price), percent))) < apply_discount(
        price, percent
    )


def test_recorded_output_is_what_the_finder_prints_with_these_versions(tmp_path):
    recorded = RECORDED.read_text(encoding="utf-8")
    versions = f"Hypothesis {hypothesis.__version__}, Python {platform.python_version()}"
    if recorded.splitlines()[0] != versions:
        pytest.skip(
            f"recorded with {recorded.splitlines()[0]}; another version may shrink to another "
            "example (the test above still checks that it is a real one)"
        )
    assert run_the_finder(tmp_path).stdout == recorded, (
        "run `python -m testing.float_properties > testing/output/float_properties.txt` "
        "in examples/"
    )


# Exercise 4 of the page, checked here so that its hint stays true.
LINES = st.lists(st.tuples(PRICES, st.integers(1, 10)), min_size=1, max_size=5)


def bulk_discount_rule_holds(lines: list[tuple[Decimal, int]]) -> bool:
    """Never more than the subtotal; 3 copies or more pay 10 % less, fewer pay the subtotal."""
    subtotal = sum((price * quantity for price, quantity in lines), Decimal("0.00"))
    copies = sum(quantity for _, quantity in lines)
    expected = apply_discount(subtotal, 10) if copies >= 3 else subtotal.quantize(CENT)
    total = order_total(lines)
    return total <= subtotal and total == expected


@REPEATABLE
@given(lines=LINES)
def test_exercise_4_the_property_holds_for_order_total(lines):
    assert bulk_discount_rule_holds(lines)


def test_exercise_4_the_property_shrinks_the_moved_boundary_to_3_copies(monkeypatch):
    monkeypatch.setattr(pricing, "BULK_DISCOUNT_MIN_COPIES", 4)  # the same as `copies > 3`
    found = find(LINES, lambda lines: not bulk_discount_rule_holds(lines), settings=REPEATABLE)
    assert sum(quantity for _, quantity in found) == 3  # exactly the boundary you moved


@pytest.mark.parametrize("price", ["0.00", "0.01"])
def test_exercise_4_a_discount_can_round_away_so_less_than_is_the_wrong_property(price):
    # "Discounted if and only if total < subtotal" fails on correct code: 3 copies at 0.01
    # are 0.03, less 10 % is 0.027, which rounds half up to 0.03 again.
    lines = [(Decimal(price), 3)]
    assert order_total(lines) == Decimal(price) * 3
