"""Coverage measures what ran, not what was checked: a test without an assertion covers
every line of the buggy discount and stays green.

The checks of the recorded coverage report the page shows are in
test_testing_coverage_recording.py: `python -m testing.record_coverage` leaves that file out
of the run it records (a stale recording must not stop its own re-recording) and runs it
afterwards."""

from bookstore.bugs.discount_float_bug import apply_discount_float


# --8<-- [start:assertion_free_test]
def test_discount_runs():  # BAD: every line runs, nothing is checked
    apply_discount_float(19.99, 50)  # returns 9.99, the bug; the test still passes


# --8<-- [end:assertion_free_test]


def test_the_assertion_free_test_really_misses_the_bug():
    test_discount_runs()  # no exception: green on buggy code
    assert apply_discount_float(19.99, 50) != 10.00  # the value a real assertion would check
