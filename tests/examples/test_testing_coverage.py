"""Coverage measures what ran, not what was checked: a test without an assertion covers
every line of the buggy discount and stays green.

The rest checks the recorded coverage report the page shows (examples/testing/output/
coverage*.txt and coverage_summary.json, written by `python -m testing.record_coverage`):
that its numbers agree with each other and with the formula the page states, and that the
branch the page explains is still in today's code. These tests read the recording; they
never run the whole suite."""

import json
import re
from datetime import date
from pathlib import Path

import coverage
import pytest
from bookstore.bugs.discount_float_bug import apply_discount_float
from coverage.results import display_covered
from testing import record_coverage
from testing.record_coverage import EXPLAINED, PREFIX, arithmetic, extract_report, report_rows


# --8<-- [start:assertion_free_test]
def test_discount_runs():  # BAD: every line runs, nothing is checked
    apply_discount_float(19.99, 50)  # returns 9.99, the bug; the test still passes


# --8<-- [end:assertion_free_test]


def test_the_assertion_free_test_really_misses_the_bug():
    test_discount_runs()  # no exception: green on buggy code
    assert apply_discount_float(19.99, 50) != 10.00  # the value a real assertion would check


ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "examples" / "testing" / "output"
PAGES = [ROOT / "docs" / lang / "duties" / "testing-and-debugging.md" for lang in ("id", "en")]
RERECORD = (
    "the recorded coverage report no longer matches the code. Fix: (1) from examples/, run "
    "`../.venv/bin/python -m testing.record_coverage` (it runs the whole suite, several "
    "minutes, and rewrites examples/testing/output/coverage.txt, coverage_summary.json and "
    "coverage_arithmetic.txt); (2) run `pytest tests/examples/test_testing_coverage.py`; "
    "(3) if it still fails, the page's explanation no longer fits the code: update the "
    "section `Tests in CI` and the hint of Exercise 2 in docs/id/duties/testing-and-"
    "debugging.md and docs/en/duties/testing-and-debugging.md; (4) commit the files."
)


def recorded_report() -> list[str]:
    return (OUTPUT / "coverage.txt").read_text(encoding="utf-8").splitlines()


def recorded_summary() -> dict:
    return json.loads((OUTPUT / "coverage_summary.json").read_text(encoding="utf-8"))


def test_every_row_agrees_with_the_coverage_json_of_the_same_run():
    rows, summary = report_rows(recorded_report()), recorded_summary()
    assert set(rows) == {*summary["files"], "TOTAL"}, RERECORD
    for name, (stmts, miss, branch, brpart, *_) in rows.items():
        numbers = summary["totals"] if name == "TOTAL" else summary["files"][name]
        assert [int(stmts), int(miss), int(branch), int(brpart)] == [
            numbers["num_statements"],
            numbers["missing_lines"],
            numbers["num_branches"],
            numbers["num_partial_branches"],
        ], f"{name}: {RERECORD}"


def test_cover_is_statements_run_plus_branches_taken_over_both():
    # The page's formula. BrPart counts lines, not branches: a line with three destinations
    # and one taken is 1 BrPart but 2 branches never taken, so the formula uses the latter.
    rows, summary = report_rows(recorded_report()), recorded_summary()
    for name, (stmts, miss, branch, _brpart, cover, *_) in rows.items():
        numbers = summary["totals"] if name == "TOTAL" else summary["files"][name]
        covered = int(stmts) - int(miss) + int(branch) - numbers["missing_branches"]
        percent = 100 * covered / (int(stmts) + int(branch))
        assert f"{display_covered(percent, 0)}%" == cover, name


def test_the_worked_arithmetic_is_the_explained_row_of_the_recording():
    worked = (OUTPUT / "coverage_arithmetic.txt").read_text(encoding="utf-8")
    assert worked == arithmetic(EXPLAINED, recorded_summary()["files"][EXPLAINED]), RERECORD


def source_lines(name: str) -> list[str]:
    return (ROOT / PREFIX / name).read_text(encoding="utf-8").splitlines()


def test_the_branch_the_page_explains_is_still_in_the_code():
    # The page: in the api/orders.py row Miss is 0, and one jump never taken goes from
    # `if order["status"] == "pending":` straight to `return order` (Exercise 2 closes it).
    columns = report_rows(recorded_report())[EXPLAINED]
    stmts, miss, missing = columns[0], columns[1], " ".join(columns[5:])
    assert miss == "0", f"the page says line coverage alone calls {EXPLAINED} 100%: {RERECORD}"
    lines = source_lines(EXPLAINED)
    arcs = re.findall(r"(\d+)->(\d+)", missing)
    explained = [
        (start, end)
        for start, end in arcs
        if lines[int(start) - 1].strip() == 'if order["status"] == "pending":'
        and lines[int(end) - 1].strip() == "return order"
    ]
    assert explained, f"no jump pending -> return order among {missing!r}: {RERECORD}"
    # Today's statement count: the numbers in coverage_arithmetic.txt are still this file's.
    analysis = coverage.Coverage(data_file=None, config_file=str(ROOT / "pyproject.toml"))
    statements = analysis.analysis2(str(ROOT / PREFIX / EXPLAINED))[1]
    assert len(statements) == int(stmts), f"{EXPLAINED} has changed: {RERECORD}"


def test_the_pages_quote_no_line_numbers_from_the_report():
    # Line numbers drift with every edit of the bookstore; the pages quote source lines and
    # include the recording instead, so a new recording never leaves the prose wrong.
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        quoted = re.findall(r"`\d+->(?:\d+|exit)`", text)
        assert not quoted, f"{page.relative_to(ROOT)} quotes {quoted}: quote the source lines"


SAMPLE_RUN = """\
........ [100%]
================================ tests coverage ================================
_______________ coverage: platform linux, python 3.11.7-final-0 ________________

Name                               Stmts   Miss Branch BrPart  Cover   Missing
------------------------------------------------------------------------------
examples/bookstore/api/orders.py      10      0      4      1    93%   7->9
------------------------------------------------------------------------------
TOTAL                                 10      0      4      1    93%

51 files skipped due to complete coverage.
Coverage JSON written to file /tmp/x/coverage.json
Required test coverage of 90% reached. Total coverage: 92.86%
8 passed in 1.00s""".splitlines()

SAMPLE_FILE = {
    "num_statements": 10,
    "missing_lines": 0,
    "num_branches": 4,
    "num_partial_branches": 1,
    "missing_branches": 1,
}


def sample_run(json_report: Path, returncode: int = 0) -> tuple[int, list[str]]:
    document = {
        "meta": {"version": "7.17.4"},
        "files": {"examples/bookstore/api/orders.py": {"summary": SAMPLE_FILE}},
        "totals": SAMPLE_FILE,
    }
    json_report.write_text(json.dumps(document), encoding="utf-8")
    return returncode, SAMPLE_RUN


def test_the_recorder_keeps_the_report_and_works_out_the_explained_row(tmp_path):
    assert record_coverage.record(sample_run, tmp_path, date(2026, 12, 7)) == 0
    text = (tmp_path / "coverage.txt").read_text(encoding="utf-8").splitlines()
    assert text[0].startswith("Recorded 2026-12-07: CPython ")
    assert text[1:] == SAMPLE_RUN[4:12] + SAMPLE_RUN[13:14]  # no temporary JSON path
    worked = (tmp_path / "coverage_arithmetic.txt").read_text(encoding="utf-8")
    assert "= (10 - 0 + 4 - 1) / (10 + 4) = 13 / 14 = 92.86 %, shown as 93%" in worked


def test_the_recorder_writes_nothing_after_a_red_run(tmp_path, capsys):
    def red_run(json_report):
        returncode, lines = sample_run(json_report, returncode=1)
        return returncode, [*lines, "FAILED tests/examples/test_x.py::test_y - assert 1 == 2"]

    assert record_coverage.record(red_run, tmp_path, date(2026, 12, 7)) == 1
    assert list(tmp_path.iterdir()) == []
    assert "test_x.py::test_y" in capsys.readouterr().err


def test_the_recorder_refuses_output_without_a_report():
    with pytest.raises(ValueError, match="no coverage report"):
        extract_report(["1 passed in 0.01s"])
