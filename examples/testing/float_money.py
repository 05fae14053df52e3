"""Show what a float really holds, next to the Decimal answer the shop expects.

    python -m testing.float_money 19.99 50      # from examples/

The output shown on the testing-and-debugging page is testing/output/float_money.txt;
tests/examples/test_testing_float_money.py checks that the program still prints it.
"""

from __future__ import annotations

import sys
from decimal import Decimal

from bookstore.bugs.discount_float_bug import apply_discount_float
from bookstore.services.pricing import apply_discount


# --8<-- [start:explain_float]
def explain(price: str, percent: int) -> str:
    """The buggy float discount, step by step, and the Decimal result."""
    exact = float(price) * (100 - percent) / 100
    rows = [
        (f"float({price!r}) holds", Decimal(float(price))),  # the exact binary value
        (f"{price} * {100 - percent} / 100 prints", repr(exact)),  # shortest repr
        ("... but holds", Decimal(exact)),
        ("round(..., 2) gives", apply_discount_float(float(price), percent)),
        ("Decimal, half up gives", apply_discount(Decimal(price), percent)),
    ]
    return "\n".join(f"{label:<26}{value}" for label, value in rows)


# --8<-- [end:explain_float]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m testing.float_money PRICE PERCENT", file=sys.stderr)
        return 2
    print(explain(argv[0], int(argv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
