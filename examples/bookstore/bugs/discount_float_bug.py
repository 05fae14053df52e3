"""BUG KEPT ON PURPOSE: the discount as it was first written, with float.

The fixed version is bookstore.services.pricing.apply_discount; the regression test
tests/examples/test_bookstore_discount_bug.py shows both. Do not import this in the service.
"""

from __future__ import annotations


# --8<-- [start:discount_float_bug]
def apply_discount_float(price: float, percent: int) -> float:
    """BUGGY: 19.99 at 50 % gives 9.99 instead of 10.00.

    19.99 has no exact binary form, so the product is 9.99499999... and
    round() (which also rounds exact halves to even) goes down.
    """
    return round(price * (100 - percent) / 100, 2)


# --8<-- [end:discount_float_bug]
