"""FAILS ON PURPOSE: the bug report as a test, written before anyone reads the code.

pytest does not collect this file on its own (tests live in tests/; the name does not start
with test_). Run it by name from the repository root to see the failure the page shows:

    .venv/bin/python -m pytest examples/testing/reproduce_report.py

The recorded output is testing/output/reproduce_report.txt, and a debugger session on the
same failure is testing/output/pdb_session.txt; tests/examples/test_testing_walkthrough.py
checks that both are still what pytest and pdb print.
"""

from bookstore.bugs.discount_float_bug import apply_discount_float


# --8<-- [start:failing_first]
def test_half_price_of_19_99_is_10_00():
    # The report: "A book priced at 19.99 with a 50% discount shows 9.99. It should be 10.00."
    assert apply_discount_float(19.99, 50) == 10.00


# --8<-- [end:failing_first]
