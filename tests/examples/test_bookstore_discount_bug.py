"""A reproducible bug and its regression test: a discount computed with float."""

from decimal import Decimal

import pytest
from bookstore.bugs.discount_float_bug import apply_discount_float
from bookstore.services.pricing import apply_discount


# --8<-- [start:discount_regression_test]
def test_float_version_reproduces_the_bug():
    # The bug report: "half price of 19.99 is shown as 9.99, the shop expects 10.00".
    assert apply_discount_float(19.99, 50) == 9.99  # wrong, and repeatable


@pytest.mark.parametrize(
    ("price", "percent", "expected"),
    [
        ("19.99", 50, "10.00"),  # the reported case: 9.995 rounds half up
        ("12.45", 50, "6.23"),  # 6.225
        ("1.15", 10, "1.04"),  # 1.035
        ("89000.00", 15, "75650.00"),
        ("0.01", 50, "0.01"),  # half a cent rounds up, never to zero
    ],
)
def test_decimal_discount_rounds_half_up_to_the_cent(price, percent, expected):
    assert apply_discount(Decimal(price), percent) == Decimal(expected)


# --8<-- [end:discount_regression_test]


def test_the_two_versions_really_differ_on_these_inputs():
    differ = [
        (p, d)
        for p, d in [("19.99", 50), ("12.45", 50), ("1.15", 10)]
        if Decimal(str(apply_discount_float(float(p), d))) != apply_discount(Decimal(p), d)
    ]
    assert len(differ) == 3  # each case above is a case the float code gets wrong
