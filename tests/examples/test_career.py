"""The career chapter's code: career.salary_summary (how to read a salary table) and
career.system_design (the numbers of the system-design answer). The recorded outputs the pages
show are compared with a fresh run, and the numbers the pages quote are checked against them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bookstore.db.migrate import MIGRATIONS_DIR, latest_version
from bookstore.settings import Settings
from career import salary_summary, system_design
from career.salary_summary import Filter, read_values, summarize, warnings_for
from estimation import capacity

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PRACTICE = EXAMPLES / "career" / "data" / "practice-survey.csv"
OUTPUT = EXAMPLES / "career" / "output"
PLAIN_FIX = "write amounts as 12500000, without thousands dots or commas"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=EXAMPLES, capture_output=True, text=True, check=False
    )


def recorded(name: str) -> tuple[list[str], str]:
    """The command line (after `$ python -m`) and the output recorded in career/output/."""
    first, _, rest = (OUTPUT / name).read_text(encoding="utf-8").partition("\n")
    command = re.findall(r'[^\s"=]+="[^"]*"|\S+', first.removeprefix("$ python -m "))
    return [c.replace('"', "") for c in command], rest


# --8<-- [start:practice_test]
def test_one_odd_answer_moves_the_mean_not_the_median():
    kota_a_juniors = [Filter("city", "Kota A", exact=True), Filter("level", "junior", exact=True)]
    values = read_values(PRACTICE, "pay", kota_a_juniors)
    assert (values.matched, values.missing) == (7, 1)  # one respondent left the field empty
    summary = summarize(values.numbers)
    assert summary.n == 6 and summary.median == 122.5 and summary.mean == 247.5
    without_the_odd_one = summarize([v for v in values.numbers if v != 900])
    assert without_the_odd_one.median == 120  # the median barely moves ...
    assert without_the_odd_one.mean == 117  # ... the mean halves
    assert len(warnings_for(summary)) == 2  # small sample, and skewed


# --8<-- [end:practice_test]


@pytest.mark.parametrize("name", ["practice-survey.txt", "system-design.txt"])
def test_the_recorded_output_is_what_the_code_prints(name):
    command, output = recorded(name)
    result = run(*command)
    assert result.returncode == 0, result.stderr
    assert result.stdout == output


def test_quartiles_are_the_standard_librarys_inclusive_quartiles():
    summary = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert (summary.p25, summary.median, summary.p75) == (3.25, 5.5, 7.75)
    assert summarize([42]) == salary_summary.Summary(1, 42, 42, 42, 42, 42, 42)
    with pytest.raises(ValueError):
        summarize([])


def test_contains_ignores_case_and_where_matches_the_whole_cell(tmp_path):
    table = tmp_path / "survey.csv"
    table.write_text(
        "Country,DevType,Pay\n"
        'Indonesia,"Developer, back-end",10\n'
        'Indonesia,"Developer, full-stack;Developer, Back-End",20\n'
        'Indonesia (remote),"Developer, back-end",30\n'
        'Malaysia,"Developer, back-end",40\n',
        encoding="utf-8-sig",  # with the byte-order mark Excel writes
    )
    filters = [Filter("Country", "Indonesia", exact=True), Filter("DevType", "back-end", False)]
    assert read_values(table, "Pay", filters).numbers == [10, 20]


def test_answers_that_are_not_plain_numbers_are_counted_not_guessed(tmp_path):
    table = tmp_path / "ads.csv"
    table.write_text(
        "city,pay\nX,12.500.000\nX,1,5\nX,inf\nX,nan\nX,-3\nX,0\nX,NA\nX,\nX,9000000\n",
        encoding="utf-8",
    )
    values = read_values(table, "pay", [])
    assert values.numbers == [9_000_000]
    assert (values.matched, values.missing, values.invalid) == (9, 3, 5)
    assert values.first_invalid == "2: '12.500.000'"  # Indonesian thousands dots: refused
    result = run("career.salary_summary", str(table), "--value", "pay")
    assert "not a plain number from 0.01 to 10^15 (skipped): 5" in result.stdout


def test_a_column_in_indonesian_format_says_to_drop_the_thousands_dots(tmp_path):
    # Regression: every answer written 12.500.000 was answered "no usable numbers — fix: check
    # the filters", the wrong fix, and the count of refused answers was never shown.
    table = tmp_path / "iklan.csv"
    table.write_text("kota,gaji\nBandung,12.500.000\nBandung,9.000.000\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "gaji")
    assert result.returncode == 2 and result.stdout == ""
    assert f"{table}:2: '12.500.000': none of the 2 answers" in result.stderr
    assert "write amounts as 12500000, without thousands dots or commas" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "cells",
    [
        ["750.000", "1.000.000", "800.000"],
        ["12.500", "9.500", "15.000"],
        ['"12,500"', "9"],
        ['"1.000,50"', '"1,000.50"', "9"],
    ],
)
def test_amounts_with_one_thousands_dot_are_refused_not_read_as_decimals(tmp_path, cells):
    # Regression: float() read 750.000 as 750 and 12.500 as 12.5, so an Indonesian column of
    # amounts under a million (or in thousands) printed "median : 775" with exit status 0.
    table = tmp_path / "iklan.csv"
    table.write_text("gaji\n" + "\n".join(cells) + "\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "gaji")
    assert "median : 775" not in result.stdout and "median : 12.5" not in result.stdout
    assert "Traceback" not in result.stderr
    if cells[-1] == "9":  # one plain answer is left: summarized, with the skip and the fix
        assert result.returncode == 0 and "answers used : 1" in result.stdout
        skipped = len(cells) - 1
        assert f"warning: {skipped} answer{'s were' if skipped > 1 else ' was'} skipped" in (
            result.stdout
        )
    else:
        assert result.returncode == 2 and f"none of the {len(cells)} answers" in result.stderr
    assert "write amounts as 12500000, without thousands dots or commas" in (
        result.stdout + result.stderr
    )


def test_tiny_amounts_are_refused_so_no_ratio_is_infinite(tmp_path):
    # Regression: 5e-324 was accepted, printed "median : 0" and "the mean is inf% above".
    table = tmp_path / "tiny.csv"
    tiny = "0." + "0" * 299 + "1"  # 1e-300 written out: a plain number, but below 0.01
    table.write_text(f"pay\n{tiny}\n5e-324\n0.009\n1000000000000000\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "pay")
    assert result.returncode == 0 and "inf" not in result.stdout
    assert "answers used : 1" in result.stdout and "(skipped): 3" in result.stdout
    assert read_values(table, "pay", []).numbers == [1e15]


@pytest.mark.parametrize(
    ("text", "arguments", "message"),
    [
        ("gaji\n", [], "the file has no data rows, only a header — fix: check the file"),
        ("kota,gaji\nBogor,9\n", ["--where", "kota=Depok"], "no rows match kota = 'Depok'"),
        ("kota,gaji\nBogor,\nDepok,NA\n", [], "all 2 answers in 'gaji' are blank"),
    ],
)
def test_an_empty_selection_says_why_it_is_empty(tmp_path, text, arguments, message):
    # Regression: a header-only file was told "fix: check the filters" with no filter given.
    table = tmp_path / "kosong.csv"
    table.write_text(text, encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "gaji", *arguments)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "— fix:" in result.stderr
    assert "check the filters" not in result.stderr or arguments
    assert len(result.stderr.strip().splitlines()) == 1


E308, E15 = "1" + "0" * 308, "0" * 15  # 1e308 and 10^15 written as plain digits


@pytest.mark.parametrize("huge", [[E308, E308], [E308, "1"], ["2" + E15, "3" + E15]])
def test_absurdly_large_amounts_are_refused_not_summed_to_infinity(tmp_path, huge):
    # Regression: two answers of 1e308 overflowed statistics.fmean (OverflowError traceback) and
    # 1e308 next to 1 printed "median : inf".
    table = tmp_path / "huge.csv"
    table.write_text("pay\n" + "\n".join(huge) + "\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "pay")
    assert "Traceback" not in result.stderr and "inf" not in result.stdout
    if "1" in huge:
        assert result.returncode == 0 and "answers used : 1" in result.stdout
        assert "to 10^15 (skipped): 1" in result.stdout
    else:
        assert result.returncode == 2 and "to 10^15 — fix:" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["career/data/practice-survey.csv", "--value", "salary"], "no column 'salary'"),
        (["career/data/nothing-here.csv", "--value", "pay"], "no such file"),
        (["career/data/practice-survey.csv", "--value", "pay", "--where", "city"], "COLUMN=VALUE"),
        (["career/data/practice-survey.csv", "--value", "level"], "none of the 11 answers"),
        (["career/data/practice-survey.csv", "--value", "pay", "--where", "city=X"], "no rows"),
        (["career", "--value", "pay"], "cannot read it"),  # a directory
    ],
)
def test_bad_input_gets_one_line_with_a_fix(arguments, message):
    result = run("career.salary_summary", *arguments)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "— fix:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "cells",
    [
        ["+750.000", "+1.000.000", "+800.000"],
        ["0750.000", "01.000.000", "0800.000"],
        ["750.000e0", "1.000.000e0", "800.000e0"],
        ["+750.000", "0750.000", "750.000e0"],
    ],
)
def test_a_sign_a_leading_zero_or_an_exponent_does_not_smuggle_thousands_dots_in(tmp_path, cells):
    # Regression: GROUPED matched only bare digits, so float() read "+750.000", "0750.000" and
    # "750.000e0" as 750 and these columns printed "median : 800" (or 775, 750) with exit 0.
    table = tmp_path / "iklan.csv"
    table.write_text("gaji\n" + "\n".join(cells) + "\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "gaji")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert "none of the 3 answers" in result.stderr and PLAIN_FIX in result.stderr
    with_a_plain_one = tmp_path / "campur.csv"  # one plain answer left: summary plus warning
    with_a_plain_one.write_text("gaji\n" + "\n".join([*cells, "9"]) + "\n", encoding="utf-8")
    result = run("career.salary_summary", str(with_a_plain_one), "--value", "gaji")
    assert result.returncode == 0 and "answers used : 1" in result.stdout
    assert f"warning: 3 answers were skipped for thousands dots or commas — fix: {PLAIN_FIX}" in (
        result.stdout
    )


@pytest.mark.parametrize(
    "cell",
    ["1e3", "12_500_000", "\u0663\u0664\u0665", "\uff19\uff10\uff10\uff10", "+5", "0x10", "12,5"],
)
def test_only_ascii_digits_with_one_decimal_point_are_read(tmp_path, cell):
    # Regression: float() also reads 1e3, 12_500_000, Arabic-Indic and full-width digits and a
    # sign; the page says only plain numbers are read, so each of these is refused and counted.
    table = tmp_path / "iklan.csv"
    table.write_text(f'gaji\n"{cell}"\n9\n', encoding="utf-8")
    values = read_values(table, "gaji", [])
    assert values.numbers == [9] and values.invalid == 1
    assert values.first_invalid == f"2: {cell!r}"


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        (["7.25", "7.35", "7.45"], "median       : 7.35"),
        (["0.04", "0.05", "0.06"], "min          : 0.04"),
    ],
)
def test_amounts_keep_two_decimal_places(tmp_path, cells, line):
    # Regression: one decimal place printed a column in millions as "median : 7.3" and 0.04 as
    # "min : 0".
    table = tmp_path / "juta.csv"
    table.write_text("gaji\n" + "\n".join(cells) + "\n", encoding="utf-8")
    result = run("career.salary_summary", str(table), "--value", "gaji")
    assert result.returncode == 0 and line in result.stdout.splitlines()
    assert [salary_summary.amount(v) for v in (1234567, 128.75, 100.0, 1000.5)] == [
        "1,234,567",
        "128.75",
        "100",
        "1,000.5",
    ]


def one_line_error(table: Path, *arguments: str) -> str:
    """Run the summary on `table`; assert it failed with one line and no traceback."""
    result = run("career.salary_summary", str(table), "--value", "gaji", *arguments)
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize(("separator", "name"), [(";", "';'"), ("\t", "tabs")])
def test_a_semicolon_or_tab_separated_file_is_told_to_use_commas(tmp_path, separator, name):
    # Regression: Excel in an Indonesian locale saves "CSV" with semicolons, and the file was
    # only told "no column 'gaji' — fix: use one of ['kota;gaji']".
    table = tmp_path / "excel.csv"
    table.write_text(f"kota{separator}gaji\nBogor{separator}9\n", encoding="utf-8")
    assert one_line_error(table) == (
        f"{table}:1: columns are separated by {name}, not commas"
        " — fix: export it as CSV (comma-separated) UTF-8\n"
    )


def test_an_unclosed_quote_is_an_error_not_a_value(tmp_path):
    # Regression: '"12' (a quote never closed) was read as 12, with exit status 0.
    table = tmp_path / "kutip.csv"
    table.write_text('gaji\n9\n"12\n', encoding="utf-8")
    assert one_line_error(table) == (
        f"{table}:3: unexpected end of data — fix: check the quotes and any very long cell"
        " in this row\n"
    )


def test_a_cell_too_long_for_csv_names_its_line_and_the_right_fix(tmp_path):
    # Regression: a 200 000-digit cell was told "export it again as CSV UTF-8", the wrong fix.
    table = tmp_path / "panjang.csv"
    table.write_text("gaji\n9\n" + "9" * 200_000 + "\n", encoding="utf-8")
    error = one_line_error(table)
    assert error.startswith(f"{table}:3: field larger than field limit (131072) — fix: check")
    assert "UTF-8" not in error


@pytest.mark.parametrize(
    ("text", "arguments", "name"),
    [
        ("gaji,gaji\n9,10\n", [], "gaji"),
        ("kota,kota,gaji\nBogor,Depok,9\n", ["--where", "kota=Bogor"], "kota"),
    ],
)
def test_a_column_named_twice_is_refused_not_silently_the_last(tmp_path, text, arguments, name):
    # Regression: with "gaji,gaji", csv.DictReader kept the last column without a word.
    table = tmp_path / "ganda.csv"
    table.write_text(text, encoding="utf-8")
    assert one_line_error(table, *arguments) == (
        f"{table}:1: the column {name!r} appears 2 times — fix: rename or delete the extra ones\n"
    )


def test_bytes_that_are_not_utf8_are_refused_with_a_fix(tmp_path):
    table = tmp_path / "latin1.csv"
    table.write_bytes("kota,gaji\nBekasi,100\nC\xf4te,200\n".encode("latin-1"))
    result = run("career.salary_summary", str(table), "--value", "gaji")
    assert result.returncode == 2 and "CSV UTF-8" in result.stderr


# --- career.system_design: the numbers of the system-design answer --------------------------


WIB = timezone(timedelta(hours=7))


def test_ten_times_the_load_of_adr_004():
    n = system_design.ten_times()
    assert n["requests"] == 10 * capacity.REQUESTS_ON_SALE_DAY == 10_000_000
    assert round(n["peak_rate"], 1) == 1157.4
    assert round(n["in_flight"], 1) == 46.3 and n["workers"] == 67
    assert round(n["order_rate"], 1) == 23.1
    assert round(n["write_lock_busy"], 3) == 0.287  # just under the 30% review trigger
    assert round(n["yearly_gb"], 2) == 14.95


def test_the_order_time_is_the_one_in_the_log():
    log = EXAMPLES / "debugging" / "data" / "app.log"
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    finished = next(e for e in events if e["message"] == "stock import finished")
    after = [
        e
        for e in events
        if e.get("path") == "/api/v1/orders" and e["time"] > finished["time"] and e["status"] == 201
    ]
    assert after[0]["duration_ms"] / 1000 == pytest.approx(system_design.ORDER_SECONDS)
    at = datetime.fromisoformat(after[0]["time"]).astimezone(WIB)
    assert at.strftime("%d %B %Y") == "02 March 2026"


def local(value: float, lang: str, decimals: int = 1) -> str:
    english = f"{value:,.{decimals}f}"
    return english if lang == "en" else english.translate(str.maketrans(",.", ".,"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_hiring_page_quotes_these_numbers(lang):
    page = (ROOT / "docs" / lang / "career" / "hiring-process.md").read_text(encoding="utf-8")
    section = page.split("{ #system-design }")[1].split("\n## ")[0]
    n = system_design.ten_times()
    for number in (
        local(n["peak_rate"], lang),
        local(n["in_flight"], lang),
        local(n["order_rate"], lang),
        local(n["yearly_gb"], lang, 2),
        f"{n['workers']} ",
        f"{n['write_lock_busy']:.0%}",
    ):
        assert number in section, number


# --- The filled-in CV, README and STAR answer say only what the book's code and log show. ----

FILLED = EXAMPLES / "templates" / "filled"


def filled(lang: str, name: str) -> str:
    return " ".join((FILLED / lang / name).read_text(encoding="utf-8").split())


def test_the_readme_commands_and_names_are_real():
    database_tests = (ROOT / "tests" / "examples" / "test_bookstore_database.py").read_text()
    setup = (EXAMPLES / "shell" / "getting_started.sh").read_text(encoding="utf-8")
    assert Settings.model_fields["port"].default == 8001
    assert "def test_twenty_buyers_five_copies_exactly_five_orders(" in database_tests
    assert "python3.11 -m venv .venv" in setup and "-r requirements.txt" in setup
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    for lang in ("id", "en"):
        readme = filled(lang, "portfolio-readme.md")
        path = ROOT / "docs" / lang / "learning-path.md"
        project = " ".join(path.read_text(encoding="utf-8").split())
        migration = f"{latest_version() + 1:04d}_create_wishlist.sql"  # the next free number
        for name in (migration, "wishlist_items", "/api/v1/wishlist"):
            assert name in readme and name in project  # the learning path's stage 2 project
        assert "`(user_id, book_id)`" in readme and "`(user_id, book_id)`" in project
        assert "`cd examples && python -m bookstore`" in readme
        assert "http://127.0.0.1:8001/openapi.json" in readme
        assert "`python -m pytest tests/examples -q`" in readme


def test_the_cv_claims_what_the_tests_prove():
    database_tests = (ROOT / "tests" / "examples" / "test_bookstore_database.py").read_text()
    assert (
        "threading.Barrier(20)" in database_tests and "new_book(setup, stock=5)" in database_tests
    )
    assert 'results.count("ok") == 5' in database_tests
    cv = {lang: filled(lang, "cv.md") for lang in ("id", "en")}
    assert "20 pembeli serentak untuk 5 eksemplar" in cv["id"] and "tepat 5 pesanan" in cv["id"]
    assert "20 concurrent buyers for 5 copies" in cv["en"] and "exactly 5 orders" in cv["en"]
    for text in cv.values():
        assert "401, 404, 409, 422" in text  # the error paths of the learning path's step 5


def wib_clock(event: dict, lang: str) -> str:
    moment = datetime.fromisoformat(event["time"]).astimezone(WIB)
    return moment.strftime("%H.%M.%S") if lang == "id" else moment.strftime("%-I:%M:%S")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_star_answer_agrees_with_the_log(lang):
    log = EXAMPLES / "debugging" / "data" / "app.log"
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    started = next(e for e in events if e["message"] == "stock import started")
    finished = next(e for e in events if e["message"] == "stock import finished")
    failed = [e for e in events if e.get("path") == "/api/v1/orders" and e["status"] == 500]
    answer = filled(lang, "star-answer.md")
    assert len(failed) == 3 and {"id": "Tiga pesanan", "en": "Three orders"}[lang] in answer
    for event in [started, *failed]:
        assert wib_clock(event, lang) in answer
    assert all(round(e["duration_ms"] / 1000) == 5 for e in failed)
    assert local(started["rows"], lang, 0) in answer  # 18,240 rows
    seconds = finished["duration_ms"] / 1000
    assert local(seconds, lang) in answer  # 31.9 seconds
    assert local(seconds / started["rows"] * 500, lang) in answer  # 0.9 s per batch of 500
    assert "`python -m debugging.read_logs debugging/data/app.log --failures`" in answer


def test_the_wishlist_migration_the_pages_name_is_free():
    # Regression: the learning path once named 0006_create_wishlist.sql, a number 0006_... already
    # held, so load_migrations() refused the folder and the app would not start.
    used = {path.name[:4] for path in MIGRATIONS_DIR.glob("*.sql")}
    pages = [ROOT / "docs" / lang / "learning-path.md" for lang in ("id", "en")]
    pages += [FILLED / lang / "portfolio-readme.md" for lang in ("id", "en")]
    pages += [FILLED / lang / "cv.md" for lang in ("id", "en")]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        named = re.findall(r"\b(\d{4})_create_wishlist\.sql", text)
        named += re.findall(r"(?:migrasi|migration) `(\d{4})`", text)  # the CVs' wishlist bullet
        assert named, f"{path.name}: names no wishlist migration"
        for number in named:
            assert number not in used, f"{path}: migration {number} already exists"
            assert int(number) == latest_version() + 1, f"{path}: {number} leaves a gap"
