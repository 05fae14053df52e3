"""The float discount bug, explained by testing/float_money.py: the output the page shows is
what the program prints today, and the two other reported prices go wrong the same way."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bookstore.bugs.discount_float_bug import apply_discount_float
from testing import float_money

EXAMPLES = Path(float_money.__file__).resolve().parents[1]
RECORDED = EXAMPLES / "testing" / "output" / "float_money.txt"


def test_recorded_output_is_what_the_program_prints_today():
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "testing.float_money", "19.99", "50"],
        cwd=EXAMPLES,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == RECORDED.read_text(encoding="utf-8"), (
        "run `python -m testing.float_money 19.99 50 > testing/output/float_money.txt` in examples/"
    )


def test_the_float_is_just_below_the_half_cent():
    lines = float_money.explain("19.99", 50).splitlines()
    assert lines[1].endswith("9.995")  # what print() and the debugger show
    assert "9.99499999" in lines[2]  # what the CPU computed with
    assert lines[3].endswith("9.99") and lines[4].endswith("10.00")


def test_round_also_rounds_exact_halves_to_even():
    # A second trap besides binary fractions: 0.125 is exact in binary, yet round()
    # goes to the even neighbour, while a shop rounds half a cent up.
    assert round(0.125, 2) == 0.12
    assert apply_discount_float(0.25, 50) == 0.12


@pytest.mark.parametrize(
    "argv",
    [
        ["19.99"],  # one argument
        ["19,99", "50"],  # the Indonesian decimal comma
        ["abc", "50"],
        ["nan", "50"],  # float() takes these four, a price is none of them
        ["1e30", "50"],
        ["-5", "50"],
        ["\u0661\u0669.\u0669\u0669", "50"],  # 19.99 in Arabic-Indic digits
        ["19.999", "50"],  # no price has a tenth of a cent
        ["19.99", "x"],
        ["19.99", "50.5"],
        ["19.99", "150"],
    ],
)
def test_bad_arguments_get_a_message_and_exit_2_not_a_traceback(capsys, argv):
    # Regression: these used to end in a ValueError or decimal.InvalidOperation traceback,
    # or ("nan") in a table of NaNs.
    assert float_money.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("float_money: ") and " — fix: " in err


def test_a_bad_price_from_the_shell_says_how_to_write_it():
    result = subprocess.run(
        [sys.executable, "-m", "testing.float_money", "19,99", "50"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "such as 19.99 (not 19,99)" in result.stderr


def test_a_price_too_long_is_told_the_limit(capsys):
    # The message named the dot and the decimals but not the 12 digits before the dot, so a
    # 13-digit price was refused without saying why.
    assert float_money.main(["1234567890123", "50"]) == 2
    assert "up to 12 digits" in capsys.readouterr().err
