"""Money arithmetic with Decimal: never float for prices, totals or discounts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# --8<-- [start:money_cents]
CENT = Decimal("0.01")
CURRENCY = "IDR"  # ISO 4217 gives the rupiah two decimal places, like most currencies


def from_cents(cents: int) -> Decimal:
    """Integer minor units from the database -> Decimal amount (12345 -> 123.45)."""
    return (Decimal(cents) / 100).quantize(CENT)


def to_cents(amount: Decimal) -> int:
    """Decimal amount -> integer minor units for storage (123.45 -> 12345)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --8<-- [end:money_cents]


# --8<-- [start:apply_discount]
def apply_discount(price: Decimal, percent: int) -> Decimal:
    """Price after a percentage discount, rounded half up to whole cents.

    Decimal("19.99") at 50 % is exactly 9.995, which rounds half up to 10.00.
    """
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    discounted = price * (100 - percent) / 100
    return discounted.quantize(CENT, rounding=ROUND_HALF_UP)


# --8<-- [end:apply_discount]


# --8<-- [start:order_total]
BULK_DISCOUNT_MIN_COPIES = 3  # business rule: 3 or more copies in one order ...
BULK_DISCOUNT_PERCENT = 10  # ... get 10 % off the whole order


def order_total(lines: list[tuple[Decimal, int]]) -> Decimal:
    """Total of (unit price, quantity) lines with the bulk discount applied."""
    subtotal = sum((price * quantity for price, quantity in lines), Decimal("0.00"))
    copies = sum(quantity for _, quantity in lines)
    if copies >= BULK_DISCOUNT_MIN_COPIES:
        return apply_discount(subtotal, BULK_DISCOUNT_PERCENT)
    return subtotal.quantize(CENT)


# --8<-- [end:order_total]
