"""Let Hypothesis look for the float discount bug, without a bug report to start from.

    python -m testing.float_properties      # from examples/

It states one property, "the old float code gives the same cents as the Decimal code", lets
Hypothesis try prices and percentages, and prints the smallest counterexample it shrank to.
The seed is fixed (derandomize), so a run repeats the last one until Hypothesis, Python or the
property changes. The output shown on the testing-and-debugging page is
testing/output/float_properties.txt; tests/examples/test_testing_properties.py checks it.
"""

from __future__ import annotations

import platform
import sys
from decimal import Decimal

import hypothesis
from bookstore.bugs.discount_float_bug import apply_discount_float
from bookstore.services.pricing import apply_discount
from hypothesis import given, note, settings
from hypothesis import strategies as st

# --8<-- [start:float_property]
PRICES = st.decimals(min_value=0, max_value=Decimal("1000000.00"), places=2)  # whole cents
PERCENTS = st.integers(min_value=0, max_value=100)


@settings(derandomize=True, database=None, deadline=None, max_examples=200, print_blob=False)
@given(price=PRICES, percent=PERCENTS)
def float_code_agrees_with_decimal(price: Decimal, percent: int) -> None:
    exact = price * (100 - percent) / 100
    old = Decimal(str(apply_discount_float(float(price), percent)))
    new = apply_discount(price, percent)
    note(f"exact {exact}, float code {old}, Decimal code {new}")  # shown for the shrunk case
    assert old == new


# --8<-- [end:float_property]


def main() -> int:
    """Run the property once; print Hypothesis's report of the smallest counterexample."""
    print(f"Hypothesis {hypothesis.__version__}, Python {platform.python_version()}")
    try:
        float_code_agrees_with_decimal()
    except AssertionError as failure:
        print(*getattr(failure, "__notes__", []), sep="\n")
        return 1
    print("no counterexample found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
