"""A caller that has not moved to order_total() yet (used by the deprecation tests)."""

from __future__ import annotations

from decimal import Decimal

from maintenance.deprecation import total_of


def revenue(lines: list[tuple[Decimal, int]]) -> Decimal:
    return total_of(lines)  # still the old name


if __name__ == "__main__":
    print(revenue([(Decimal("19.99"), 2)]))
