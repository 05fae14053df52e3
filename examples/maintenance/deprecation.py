"""Deprecating a function without breaking its callers: the old name keeps working for a
while, warns every caller, and says what to use instead and when it goes away."""

from __future__ import annotations

import warnings
from decimal import Decimal

from bookstore.services.pricing import order_total


# --8<-- [start:deprecated_alias]
def total_of(lines: list[tuple[Decimal, int]]) -> Decimal:
    """Deprecated since 1.1: use order_total(). Removed in 2.0."""
    warnings.warn(
        "total_of() is deprecated since 1.1 and will be removed in 2.0; use order_total()",
        DeprecationWarning,
        stacklevel=2,  # point at the caller's line, which is what has to change
    )
    return order_total(lines)


# --8<-- [end:deprecated_alias]
