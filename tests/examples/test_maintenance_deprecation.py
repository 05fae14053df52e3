"""Deprecation in Python: the old name still works and warns its caller; Python hides the
warning by default, and `-W error::DeprecationWarning` (what CI should run) makes it fail.
Also the Dependabot cooldown the Maintenance and Improvement page describes."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from bookstore.services.pricing import order_total
from maintenance.deprecation import total_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CALLER = "from decimal import Decimal; from maintenance.monthly_report import revenue; "
CALLER += "print(revenue([(Decimal('19.99'), 2)]))"


def run_caller(*options: str) -> subprocess.CompletedProcess:
    """The unmigrated caller in a fresh interpreter, with Python's own warning filters."""
    return subprocess.run(
        [sys.executable, *options, "-c", CALLER],
        check=False,  # the test reads the exit status itself
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(EXAMPLES), "PATH": "/usr/bin:/bin"},
    )


# --8<-- [start:deprecation_tests]
def test_the_old_name_still_works_and_warns_its_caller():
    lines = [(Decimal("19.99"), 2)]
    with pytest.warns(DeprecationWarning, match=r"removed in 2\.0; use order_total\(\)") as w:
        assert total_of(lines) == order_total(lines) == Decimal("39.98")
    assert w[0].filename == __file__  # stacklevel=2: the caller's file, not deprecation.py


def test_python_hides_it_unless_told_otherwise():
    quiet = run_caller()  # the warning comes from a module, not __main__: hidden (PEP 565)
    assert quiet.returncode == 0 and quiet.stdout == "39.98\n" and quiet.stderr == ""
    strict = run_caller("-W", "error::DeprecationWarning")  # what CI should do
    assert strict.returncode == 1
    assert "DeprecationWarning: total_of() is deprecated since 1.1" in strict.stderr
    assert 'monthly_report.py", line 11' in strict.stderr  # the line to change


# --8<-- [end:deprecation_tests]


def test_dependabot_lets_new_releases_age_a_week():
    # The maintenance page: version updates of Python packages wait 7 days (cooldown);
    # GitHub documents that security updates are not delayed by it.
    config = yaml.safe_load((EXAMPLES / "git/github/dependabot.yml").read_text(encoding="utf-8"))
    pip = next(u for u in config["updates"] if u["package-ecosystem"] == "pip")
    assert pip["cooldown"] == {"default-days": 7}
