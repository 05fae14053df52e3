"""Coverage measures what ran, not what was checked: a test without an assertion covers
every line of the buggy discount and stays green. And the recorded coverage report the page
shows (examples/testing/output/coverage.txt) still says what the page says about it."""

from pathlib import Path

from bookstore.bugs.discount_float_bug import apply_discount_float


# --8<-- [start:assertion_free_test]
def test_discount_runs():  # BAD: every line runs, nothing is checked
    apply_discount_float(19.99, 50)  # returns 9.99, the bug; the test still passes


# --8<-- [end:assertion_free_test]


def test_the_assertion_free_test_really_misses_the_bug():
    test_discount_runs()  # no exception: green on buggy code
    assert apply_discount_float(19.99, 50) != 10.00  # the value a real assertion would check


REPORT = Path(__file__).resolve().parents[2] / "examples" / "testing" / "output" / "coverage.txt"
BOOKSTORE = REPORT.parents[2] / "bookstore"
RERECORD = (
    "re-run `pytest tests/examples -q --cov=bookstore --cov-report=term` and copy the report "
    "(from `Name` to `Required test coverage`) into examples/testing/output/coverage.txt"
)


def report_rows() -> dict[str, list[str]]:
    rows = {}
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        if line.startswith("examples/bookstore/"):
            name, *columns = line.split()
            rows[name.removeprefix("examples/bookstore/")] = columns
    return rows


def source_line(path: str, number: int) -> str:
    return (BOOKSTORE / path).read_text(encoding="utf-8").splitlines()[number - 1].strip()


def test_the_recorded_report_still_points_at_the_code_the_page_explains():
    # The page explains the branch api/orders.py 89->94 (an order that is no longer pending)
    # and 38->exit in __main__.py; if the code moved, the recorded report is stale.
    arc = report_rows()["api/orders.py"][-1]
    start, end = (int(n) for n in arc.split("->"))
    assert source_line("api/orders.py", start) == 'if order["status"] == "pending":', RERECORD
    assert source_line("api/orders.py", end) == "return order", RERECORD
    main_arc = report_rows()["__main__.py"][-1]
    assert source_line("__main__.py", int(main_arc.split("->")[0])) == (
        'if __name__ == "__main__":'
    ), RERECORD


def test_the_cover_column_counts_lines_and_branches_together():
    # coverage.py: (statements run + branches taken) / (statements + branches).
    for stmts, miss, branch, partial, cover, *_ in report_rows().values():
        statements, branches = int(stmts), int(branch)
        covered = statements - int(miss) + branches - int(partial)
        assert f"{round(100 * covered / (statements + branches))}%" == cover
        assert miss == "0"  # line coverage alone would call every one of these files 100%
