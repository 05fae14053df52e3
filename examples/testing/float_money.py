"""Show what a float really holds, next to the Decimal answer the shop expects.

    python -m testing.float_money 19.99 50      # from examples/

The output shown on the testing-and-debugging page is testing/output/float_money.txt;
tests/examples/test_testing_float_money.py checks that the program still prints it.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from bookstore.bugs.discount_float_bug import apply_discount_float
from bookstore.services.pricing import apply_discount

# A shop price: ASCII digits, at most two decimals, below a trillion. float() alone would also
# take "nan", "1e30", "١٩.٩٩" (Arabic-Indic digits) or "19_99", none of which is a price.
PRICE = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?", re.ASCII)
PERCENT = re.compile(r"[0-9]{1,3}", re.ASCII)


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
    width = max(26, max(len(label) for label, _ in rows) + 1)
    return "\n".join(f"{label:<{width}}{value}" for label, value in rows)


# --8<-- [end:explain_float]


def parse(argv: list[str]) -> tuple[str, int]:
    """(price, percent) from the command line, or ValueError saying what to type instead."""
    if len(argv) != 2:
        raise ValueError(
            "expected two arguments, PRICE and PERCENT"
            " — fix: python -m testing.float_money 19.99 50"
        )
    price, percent = argv
    if not PRICE.fullmatch(price):
        raise ValueError(
            f"PRICE {price!r} is not a price — fix: up to 12 digits, then optionally a dot "
            "and one or two decimals, such as 19.99 (not 19,99)"
        )
    if not PERCENT.fullmatch(percent) or int(percent) > 100:
        raise ValueError(f"PERCENT {percent!r} is not 0 to 100 — fix: a whole number, such as 50")
    return price, int(percent)


def main(argv: list[str]) -> int:
    try:
        price, percent = parse(argv)
    except ValueError as problem:
        print(f"float_money: {problem}", file=sys.stderr)
        return 2
    print(explain(price, percent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
