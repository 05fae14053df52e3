"""The recorded coverage report the testing-and-debugging page shows, and every figure the
page quotes from it.

`python -m testing.record_coverage` (run from examples/) writes examples/testing/output/
coverage.txt, coverage_summary.json and coverage_arithmetic.txt. It leaves this file out of
the run it records and runs it afterwards. These tests read the recording; they never run the
whole suite. They check that the recorded numbers agree with each other and with the formula
the page states, that the branch the page explains is still in today's code, and that the
figures the pages quote in their prose are the recorded ones. A failure names every place to
update (record_coverage.STEPS)."""

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import coverage
import pytest
from coverage.results import display_covered
from testing import record_coverage
from testing.record_coverage import (
    ALLOWED_SKIPS,
    CHECKS,
    EXPLAINED,
    PREFIX,
    STEPS,
    arithmetic,
    extract_report,
    report_rows,
)

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "examples" / "testing" / "output"
PAGES = {
    lang: ROOT / "docs" / lang / "duties" / "testing-and-debugging.md" for lang in ("id", "en")
}
STALE = f"the recorded coverage report no longer matches the code. {STEPS}"


def recorded_report() -> list[str]:
    return (OUTPUT / "coverage.txt").read_text(encoding="utf-8").splitlines()


def recorded_summary() -> dict:
    return json.loads((OUTPUT / "coverage_summary.json").read_text(encoding="utf-8"))


def test_every_row_agrees_with_the_coverage_json_of_the_same_run():
    rows, summary = report_rows(recorded_report()), recorded_summary()
    assert set(rows) == {*summary["files"], "TOTAL"}, STALE
    for name, (stmts, miss, branch, brpart, *_) in rows.items():
        numbers = summary["totals"] if name == "TOTAL" else summary["files"][name]
        assert [int(stmts), int(miss), int(branch), int(brpart)] == [
            numbers["num_statements"],
            numbers["missing_lines"],
            numbers["num_branches"],
            numbers["num_partial_branches"],
        ], f"{name}: {STALE}"


def test_cover_is_statements_run_plus_branches_taken_over_both():
    # The page's formula. BrPart counts lines, not branches: a line with three destinations
    # and one taken is 1 BrPart but 2 branches never taken, so the formula uses the latter,
    # which only the JSON summary has.
    rows, summary = report_rows(recorded_report()), recorded_summary()
    for name, (stmts, miss, branch, _brpart, cover, *_) in rows.items():
        numbers = summary["totals"] if name == "TOTAL" else summary["files"][name]
        covered = int(stmts) - int(miss) + int(branch) - numbers["missing_branches"]
        percent = 100 * covered / (int(stmts) + int(branch))
        assert f"{display_covered(percent, 0)}%" == cover, name


def test_the_worked_arithmetic_is_the_explained_row_of_the_recording():
    worked = (OUTPUT / "coverage_arithmetic.txt").read_text(encoding="utf-8")
    assert worked == arithmetic(EXPLAINED, recorded_summary()["files"][EXPLAINED]), STALE


def test_the_branch_the_page_explains_is_still_in_the_code():
    # The page: one jump never taken goes from `if order["status"] == "pending":` straight
    # to `return order`; Exercise 2's hint: closing it removes that jump and one BrPart.
    columns = report_rows(recorded_report())[EXPLAINED]
    stmts, missing = columns[0], " ".join(columns[5:])
    lines = (ROOT / PREFIX / EXPLAINED).read_text(encoding="utf-8").splitlines()
    arcs = re.findall(r"(\d+)->(\d+|exit)", missing)
    pending = [
        s for s, _ in arcs if lines[int(s) - 1].strip() == 'if order["status"] == "pending":'
    ]
    assert pending, f"no jump from the pending check among {missing!r}: {STALE}"
    from_pending = [(s, e) for s, e in arcs if s == pending[0]]
    assert len(from_pending) == 1, f"{from_pending}: the hint says BrPart drops by one: {STALE}"
    end = from_pending[0][1]
    assert end != "exit" and lines[int(end) - 1].strip() == "return order", STALE
    # "Both lines ran in the tests": neither is among the lines that never ran.
    never_ran = set()
    for first, last in re.findall(r"(?<![>\d])(\d+)(?:-(\d+))?(?![\d-])", missing):
        never_ran.update(range(int(first), int(last or first) + 1))
    assert not never_ran & {int(pending[0]), int(end)}, f"{missing!r}: {STALE}"
    # Today's statement count: the numbers in the recording are still this file's.
    analysis = coverage.Coverage(data_file=None, config_file=str(ROOT / "pyproject.toml"))
    statements = analysis.analysis2(str(ROOT / PREFIX / EXPLAINED))[1]
    assert len(statements) == int(stmts), f"{EXPLAINED} has changed: {STALE}"


def section(lines: list[tuple[int, str]], start: str, stop: str) -> list[tuple[int, str]]:
    """(line number, line) from the first line matching `start` to the next matching `stop`."""
    found, inside = [], False
    for number, line in lines:
        if inside and re.match(stop, line):
            break
        inside = inside or bool(re.search(start, line))
        if inside:
            found.append((number, line))
    assert found, f"no line matches {start!r}"
    return found


def prose(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines outside code blocks."""
    kept, fenced = [], False
    for number, line in lines:
        if line.strip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            kept.append((number, line))
    return kept


# Figures the pages may quote from the recording in prose, as (pattern, which figure): the
# test compares each one found with the recording. Today the pages quote none (the figures
# come in through the included files, which a new recording updates), and any other digit in
# that prose fails the test below, so a figure cannot be quoted without being checked.
QUOTED = {
    "id": [
        (r"Di baris itu `Miss` bernilai (\d+)", "Miss"),
        (r"berkas itu sudah (\d+)%", "line coverage"),
    ],
    "en": [
        (r"In that row `Miss` is (\d+)", "Miss"),
        (r"the file is at (\d+)%", "line coverage"),
    ],
}
NOT_FIGURES = r"`[^`]*`|\]\([^)]*\)|(?:Exercise|Latihan) \d|^\s*\d\. "  # code, links, numbering


def explained_figures() -> dict[str, str]:
    stmts, miss = (int(n) for n in report_rows(recorded_report())[EXPLAINED][:2])
    return {"Miss": str(miss), "line coverage": display_covered(100 * (stmts - miss) / stmts, 0)}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_figures_the_page_quotes_are_the_recorded_ones(lang):
    page = PAGES[lang]
    lines = list(enumerate(page.read_text(encoding="utf-8").splitlines(), start=1))
    exercises = section(lines, r"\{ #exercises \}", r"#{1,3} ")
    where = [
        *prose(section(lines, r"\{ #tests-in-ci \}", r"#{1,3} ")),
        *prose(section(exercises, r"^2\. \*\*", r"3\. \*\*")),  # Exercise 2 and its hint
    ]
    recorded, unchecked = explained_figures(), []
    for number, line in where:
        for pattern, figure in QUOTED[lang]:
            for match in re.finditer(pattern, line):
                assert match.group(1) == recorded[figure], (
                    f"{page.relative_to(ROOT)}:{number}: says {figure} {match.group(1)}, the "
                    f"recording of {EXPLAINED} says {recorded[figure]} — fix: {STEPS}"
                )
                line = line.replace(match.group(0), "")
        if re.search(r"\d", re.sub(NOT_FIGURES, "", line)):
            unchecked.append(f"{page.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unchecked, (
        "a figure in the prose of `Tests in CI` or the exercises that this test does not "
        "compare with the recording — fix: include it from the recording, or add its pattern "
        "to QUOTED:\n" + "\n".join(unchecked)
    )


def test_the_pages_quote_no_line_numbers_from_the_report():
    # Line numbers drift with every edit of the bookstore; the pages quote source lines and
    # include the recording instead, so a new recording never leaves the prose wrong.
    for page in PAGES.values():
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


def test_the_recorder_keeps_the_report_and_works_out_the_explained_row(tmp_path, capsys):
    assert record_coverage.record(sample_run, tmp_path, date(2026, 12, 7), lambda: 0) == 0
    text = (tmp_path / "coverage.txt").read_text(encoding="utf-8").splitlines()
    assert text[0].startswith("Recorded 2026-12-07: CPython ")
    assert text[1:] == SAMPLE_RUN[4:11] + SAMPLE_RUN[12:13]  # no temporary JSON path
    worked = (tmp_path / "coverage_arithmetic.txt").read_text(encoding="utf-8")
    assert "= (10 - 0 + 4 - 1) / (10 + 4) = 13 / 14 = 92.86 %, shown as 93%" in worked
    assert "(on 1 BrPart line)" in worked  # regression: it said "1 BrPart lines"
    assert f"{CHECKS} passed" in capsys.readouterr().out
    assert text[0].endswith("; no test skipped")


def test_the_worked_arithmetic_counts_brpart_lines_in_the_plural():
    assert "(on 2 BrPart lines)" in arithmetic(
        EXPLAINED, {**SAMPLE_FILE, "num_partial_branches": 2}
    )


def with_skips(*summary: str, result: str = "8 passed, {} skipped in 1.00s"):
    """A green sample run whose -ra summary lists these skips (pytest prints them after the
    coverage report), ending with pytest's count."""
    skipped = sum(int(re.search(r"\[(\d+)\]", line)[1]) for line in summary)

    def run(json_report):
        returncode, lines = sample_run(json_report)
        return returncode, [*lines[:-1], *summary, result.format(skipped)]

    return run


REDIS = "SKIPPED [3] tests/examples/redis_support.py:28: redis-server not found: apt-get install redis-server"
PYTHON_312 = "SKIPPED [1] tests/examples/test_time_and_zones.py:286: deprecated in Python 3.12"


def test_the_recorder_refuses_a_run_that_skipped_tests_for_a_missing_package(tmp_path, capsys):
    # Regression: a run without Redis (or PostgreSQL, nginx, Go...) exits 0 with those tests
    # skipped, and its report silently differed from the one CI prints.
    run = with_skips(PYTHON_312, REDIS)
    assert record_coverage.record(run, tmp_path, date(2026, 12, 7), lambda: 0) == 1
    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert err.startswith("record_coverage: 4 tests skipped") and "nothing written" in err
    assert "redis_support.py: redis-server not found: apt-get install redis-server (3 tests)" in err
    assert "scripts/setup-system.sh" in err and "Python 3.12" not in err  # that one is allowed


def test_the_recorder_refuses_skips_the_summary_does_not_name(tmp_path, capsys):
    run = with_skips(result="8 passed, 2 skipped in 1.00s")  # no -ra: no SKIPPED lines
    assert record_coverage.record(run, tmp_path, date(2026, 12, 7), lambda: 0) == 1
    assert list(tmp_path.iterdir()) == []
    assert "2 tests skipped" in capsys.readouterr().err


def test_the_recorder_records_the_skips_that_depend_only_on_versions(tmp_path):
    assert record_coverage.record(
        with_skips(PYTHON_312), tmp_path, date(2026, 12, 7), lambda: 0
    ) == 0  # fmt: skip
    first = (tmp_path / "coverage.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("; 1 test skipped (deprecated in Python 3.12)")


def test_the_skips_allowed_are_the_suites_own():
    # Each allowed reason is still the one its test file gives, so the allow-list cannot
    # outlive the skip it names.
    for path, reason in ALLOWED_SKIPS.items():
        assert f'"{reason}' in (ROOT / path).read_text(encoding="utf-8"), path


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["x"], ["--runs", "3"]])
def test_the_recorder_answers_arguments_without_starting_the_run(argv, monkeypatch, capsys):
    # Regression: `--help` was ignored and started the 15-minute run.
    def started():
        raise AssertionError("the run started")

    monkeypatch.setattr(record_coverage, "record", started)
    with pytest.raises(SystemExit) as exit_:
        record_coverage.main(argv)
    out, err = capsys.readouterr()
    assert (exit_.value.code, "usage: python -m testing.record_coverage" in out + err) == (
        (0, True) if argv[0] in ("--help", "-h") else (2, True)
    )


def test_the_recorder_writes_nothing_after_a_red_run(tmp_path, capsys):
    def red_run(json_report):
        returncode, lines = sample_run(json_report, returncode=1)
        return returncode, [*lines, "FAILED tests/examples/test_x.py::test_y - assert 1 == 2"]

    assert record_coverage.record(red_run, tmp_path, date(2026, 12, 7), lambda: 0) == 1
    assert list(tmp_path.iterdir()) == []
    assert "test_x.py::test_y" in capsys.readouterr().err


def test_the_recorder_names_every_step_when_the_pages_disagree(tmp_path, capsys):
    assert record_coverage.record(sample_run, tmp_path, date(2026, 12, 7), lambda: 1) == 1
    err = capsys.readouterr().err
    assert "record_coverage.py" in err and "#tests-in-ci" in err and "Exercise 2" in err
    assert all(f"docs/{lang}/duties/testing-and-debugging.md" in err for lang in PAGES)


def test_the_recorder_refuses_output_without_a_report(tmp_path, capsys):
    with pytest.raises(ValueError, match="no coverage report"):
        extract_report(["1 passed in 0.01s"])

    def no_report(json_report):
        return 0, ["1 passed in 0.01s"]

    assert record_coverage.record(no_report, tmp_path, date(2026, 12, 7), lambda: 0) == 1
    assert list(tmp_path.iterdir()) == []
    assert "no coverage report" in capsys.readouterr().err  # a message, not a traceback


def test_the_recorded_run_keeps_coverage_data_out_of_the_repository(tmp_path, monkeypatch):
    # Regression: the servers the tests start write a coverage data file each; an
    # interrupted run left dozens of .coverage.<host>.pid<n>.* files at the top of the
    # repository. The recorded run now keeps them in its temporary directory, and the run
    # leaves out the checks of the recording (so a stale recording can be re-recorded).
    seen = {}

    class Finished:
        def __init__(self, args, cwd, env, **kwargs):
            seen.update(args=args, cwd=cwd, env=env)
            self.stdout, self.returncode = iter(["1 passed\n"]), 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(subprocess, "Popen", Finished)
    assert record_coverage.run_suite(tmp_path / "coverage.json") == (0, ["1 passed"])
    assert seen["env"]["COVERAGE_FILE"] == str(tmp_path / ".coverage")
    assert f"--ignore={CHECKS}" in seen["args"] and seen["cwd"] == record_coverage.ROOT
