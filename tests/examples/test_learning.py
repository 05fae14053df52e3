"""Learning tests: small tests that pin down how a language or library really behaves.
The self-directed-learning page shows them; they also guard the handbook's claims."""

from __future__ import annotations

import sqlite3
from decimal import ROUND_HALF_UP, Decimal

import pytest


# --8<-- [start:learning_tests]
def test_round_sends_halves_to_the_even_neighbour():
    assert [round(0.5), round(1.5), round(2.5)] == [0, 2, 2]  # not 1, 2, 3


def test_a_float_is_not_the_decimal_you_typed():
    assert round(2.675, 2) == 2.67  # 2.675 is stored as 2.67499999...
    assert Decimal(2.675) < Decimal("2.675")  # noqa: RUF032 - the float is the point


def test_decimal_rounds_half_up_only_when_told_to():
    cents = Decimal("0.01")
    assert Decimal("2.665").quantize(cents) == Decimal("2.66")  # default: half to even
    assert Decimal("2.665").quantize(cents, rounding=ROUND_HALF_UP) == Decimal("2.67")


def test_int_reads_underscores_but_not_thousands_separators():
    assert int("1_200") == 1200
    with pytest.raises(ValueError):
        int("1.200")


def test_sqlite_divides_integers_as_integers():
    row = sqlite3.connect(":memory:").execute("SELECT 7 / 2, 7 / 2.0").fetchone()
    assert row == (3, 3.5)


# --8<-- [end:learning_tests]
