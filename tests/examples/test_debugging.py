"""The debugging examples: the bug is reproducible, the fix holds, the recorded output that
the page shows is what the code prints today, and git bisect finds the bad commit."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bookstore.db.connection import connect, transaction
from debugging import bisect_demo, read_logs, record
from debugging.stock_import import StockImportError, parse_stock, parse_stock_buggy

SUPPLIER_CSV = (record.HERE / "data" / "supplier-stock.csv").read_text(encoding="utf-8")


# --8<-- [start:reproduce_test]
def test_reproduce_the_crash_with_three_lines_of_input():
    # The smallest input that still fails: a header and the one line from the report.
    report = "isbn,title,stock\n9786020000039,Cantik Itu Luka,1.200\n"
    with pytest.raises(ValueError, match="'1.200'"):
        parse_stock_buggy(report)


# --8<-- [end:reproduce_test]


# --8<-- [start:regression_test]
def test_thousands_separator_is_read_as_a_whole_number():
    stock = parse_stock(SUPPLIER_CSV)  # the supplier's real file, not a made-up one
    assert stock["9786020000039"] == 1200
    assert stock["9786020000046"] == 0


@pytest.mark.parametrize("bad", ['"1,5"', "1.20", "-3", "", "dua belas"])
def test_anything_else_is_rejected_with_its_line_number(bad):
    text = f"isbn,title,stock\n9786020000015,Laskar Pelangi,12\n9786020000022,X,{bad}\n"
    with pytest.raises(StockImportError, match=r"^line 3: stock .* of ISBN 9786020000022"):
        parse_stock(text)


# --8<-- [end:regression_test]


@pytest.mark.parametrize(
    "value",
    ["\u0661\u0662", "\uff11\uff12", "1" * 5000, "1234567890", "1.234.567.890"],
    ids=["arabic-indic digits", "fullwidth digits", "5000 digits", "ten digits", "ten grouped"],
)
def test_only_ascii_digits_up_to_nine_count_as_a_quantity(value):
    # Regression: \d and int() accept other scripts' digits, and 5,000 digits made int()
    # raise a ValueError without the line number.
    text = f"isbn,title,stock\n9786020000015,Laskar Pelangi,{value}\n"
    with pytest.raises(StockImportError, match=r"^line 2: stock .* is not a whole number"):
        parse_stock(text)


def test_a_missing_column_is_named_instead_of_a_key_error():
    # Regression: a header without "stock" (or with an Excel byte-order mark before "isbn")
    # raised KeyError: 'stock' with no hint.
    for header in ("isbn,title,qty", "\ufeffisbn,title,stock"):
        with pytest.raises(StockImportError, match=r"^line 1: no column .(stock|isbn)."):
            parse_stock(f"{header}\n9786020000015,Laskar Pelangi,12\n")


@pytest.mark.parametrize(
    "isbn",
    ["", "ABC", "978602000001", "9786020000016", "978-602-000001-5", "\u0669" * 13],
    ids=["empty", "letters", "12 digits", "wrong check digit", "hyphens", "arabic-indic"],
)
def test_a_row_without_a_valid_isbn_13_is_refused(isbn):
    # Regression: ",A,12" imported one title with the ISBN "", and "ABC" got through too.
    text = f"isbn,title,stock\n{isbn},Laskar Pelangi,12\n"
    with pytest.raises(StockImportError, match=r"^line 2: ISBN .* is not a valid ISBN-13$"):
        parse_stock(text)


def test_a_column_named_twice_is_refused():
    # Regression: with "isbn,isbn,stock" DictReader kept the second column and imported it.
    with pytest.raises(StockImportError, match=r"^line 1: column 'isbn' appears 2 times$"):
        parse_stock("isbn,isbn,stock\n9786020000015,9786020000022,12\n")


def test_a_repeated_isbn_names_both_lines():
    text = "isbn,title,stock\n9786020000015,A,12\n9786020000022,B,7\n9786020000015,A,13\n"
    with pytest.raises(StockImportError, match=r"^line 4: ISBN 9786020000015 .* on line 2$"):
        parse_stock(text)


def test_broken_csv_is_a_stock_import_error_with_its_line():
    huge = "x" * (csv.field_size_limit() + 1)
    text = f"isbn,title,stock\n9786020000015,Laskar Pelangi,12\n9786020000022,{huge},7\n"
    with pytest.raises(StockImportError, match=r"^line 3: not valid CSV \(field larger"):
        parse_stock(text)


def test_the_script_names_the_file_and_line_of_a_bad_row(tmp_path, capsys):
    from debugging.stock_import import main

    bad = tmp_path / "stock.csv"
    bad.write_text("\ufeffisbn,title,stock\n9786020000015,A,12\n9786020000022,B,1,5\n")
    assert main(["--fixed", str(bad)]) == 1  # regression: this line used to import as 1
    assert capsys.readouterr().err == (
        f"{bad}:3: 4 fields, the header has 3 — fix: put a value with a comma in double quotes\n"
    )
    assert main(["--fixed", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: cannot read it" in capsys.readouterr().err


# --8<-- [start:lock_hypothesis_test]
def test_hypothesis_a_long_write_transaction_makes_orders_fail(tmp_path):
    # Two connections with the service's own settings (WAL, busy_timeout) and its transaction().
    importer, order = connect(str(tmp_path / "shop.db")), connect(str(tmp_path / "shop.db"))
    order.execute("PRAGMA busy_timeout = 100")  # the service waits 5000 ms; the test 100 ms
    importer.execute("CREATE TABLE stock (isbn TEXT PRIMARY KEY, copies INTEGER)")

    with transaction(importer):  # the stock import holds the write lock...
        importer.execute("INSERT INTO stock VALUES ('9786020000039', 1200)")
        assert order.execute("SELECT count(*) FROM stock").fetchone()[0] == 0  # reads work
        # ...so an order cannot even begin its transaction:
        with (
            pytest.raises(sqlite3.OperationalError, match="database is locked"),
            transaction(order),
        ):
            pass
    with transaction(order):  # the import committed: orders work again
        order.execute("UPDATE stock SET copies = copies - 1")
    assert order.execute("SELECT copies FROM stock").fetchone()[0] == 1199


# --8<-- [end:lock_hypothesis_test]


def test_only_the_reported_line_breaks_the_buggy_version():
    lines = SUPPLIER_CSV.splitlines()
    without = "\n".join(line for line in lines if "1.200" not in line) + "\n"
    assert len(parse_stock_buggy(without)) == 3
    assert parse_stock_buggy(without) == {
        k: v for k, v in parse_stock(SUPPLIER_CSV).items() if k != "9786020000039"
    }


@pytest.mark.parametrize("name", sorted(record.OUTPUTS))
def test_recorded_output_is_what_the_code_prints_today(name):
    def normal(text: str) -> list[str]:
        # Caret lines (^^^^) differ between Python versions; the rest must match.
        return [line for line in text.splitlines() if not re.fullmatch(r"\s*[\^~]+\s*", line)]

    recorded = (record.OUTPUT / name).read_text(encoding="utf-8")
    fresh = record.OUTPUTS[name]()
    if name == "bisect.txt":
        # git's wording changes between versions; the verdict and the commit id must not.
        def verdict(text: str) -> list[str]:
            return [line for line in text.splitlines() if "first bad commit" in line]

        assert verdict(fresh)[0] == verdict(recorded)[0]
    else:
        assert normal(fresh) == normal(recorded), "run `python -m debugging.record` in examples/"


def test_the_traceback_ends_with_the_exception_and_names_every_frame():
    text = (record.OUTPUT / "traceback.txt").read_text(encoding="utf-8").splitlines()
    assert text[-1] == "ValueError: invalid literal for int() with base 10: '1.200'"
    frames = [line.split(" in ")[-1] for line in text if line.startswith("  File ")]
    assert frames == ["<module>", "main", "parse_stock_buggy", "to_quantity"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_bisect_finds_the_commit_that_broke_shipping(tmp_path):
    output = bisect_demo.run_demo(tmp_path)
    first_bad = next(
        line for line in output.splitlines() if line.endswith("is the first bad commit")
    )
    commit = first_bad.split()[0]
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s", commit],
        cwd=tmp_path / "shipping",
        env=bisect_demo.git_env("/usr/bin"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert log.stdout.strip() == bisect_demo.BAD_COMMIT_MESSAGE
    # A ten-commit history needs at most four test runs (log2 of 9 candidates, rounded up).
    assert output.count("running ") <= 4


def test_the_good_and_bad_versions_differ_only_at_whole_kilograms():
    namespaces = {}
    for message, source in bisect_demo.HISTORY:
        namespace: dict = {}
        exec(compile(source, "shipping.py", "exec"), namespace)  # noqa: S102 - our own source
        namespaces[message] = namespace["shipping_cost"]
    good, bad = namespaces[bisect_demo.HISTORY[4][0]], namespaces[bisect_demo.BAD_COMMIT_MESSAGE]
    assert [good(g) for g in (1, 999, 1001)] == [bad(g) for g in (1, 999, 1001)]
    assert (good(1000), bad(1000)) == (9000, 18000)


def test_follow_request_and_failures_from_the_sample_log():
    entries = list(
        read_logs.read_entries(
            (record.HERE / "data" / "app.log").read_text(encoding="utf-8").splitlines()
        )
    )
    story = read_logs.follow_request(entries, record.REQUEST_ID)
    assert [e["level"] for e in story] == ["ERROR", "INFO"]
    assert story[-1]["status"] == 500 and story[-1]["duration_ms"] > 5000  # busy_timeout
    assert read_logs.failures_by_endpoint(entries) == {("POST", "/api/v1/orders", 500): 3}
    window = read_logs.around(entries, "2026-03-02T02:14:00", "2026-03-02T02:14:32")
    assert window[0]["message"] == "stock import started"
    assert window[-1]["message"] == "stock import finished"


def test_the_sample_log_tells_a_possible_story():
    """Regression: the first failed order used to end at 02:14:03.518 after 5,004.7 ms, so it
    began waiting 1.5 s before the import that held the lock had started."""
    entries = list(
        read_logs.read_entries(
            (record.HERE / "data" / "app.log").read_text(encoding="utf-8").splitlines()
        )
    )
    at = {e["message"]: datetime.fromisoformat(e["time"]) for e in entries if "jobs" in e["logger"]}
    import_start, import_end = at["stock import started"], at["stock import finished"]
    duration = next(e["duration_ms"] for e in entries if e["message"] == "stock import finished")
    assert import_end - import_start == timedelta(milliseconds=duration)
    for e in entries:
        if e.get("status") == 500:
            end = datetime.fromisoformat(e["time"])
            began = end - timedelta(milliseconds=e["duration_ms"])
            assert import_start < began and end < import_end, e["request_id"]
            assert e["duration_ms"] >= 5000  # waited the whole busy_timeout


def test_the_sample_log_has_the_shape_the_bookstore_writes():
    """app.log is a sample, written by hand in the bookstore's format: the keys of
    JsonFormatter and the access middleware, and tracebacks that quote the real code."""
    keys = {"time", "level", "logger", "message", "request_id"}
    access = keys | {"method", "path", "status", "duration_ms"}
    lines = (record.HERE / "data" / "app.log").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(entries) == len(lines) - 1  # and one stray line that is not JSON
    for entry in entries:
        if entry["logger"] == "bookstore.access":
            assert set(entry) == access
        elif "exception" in entry:
            assert set(entry) == keys | {"exception"}
            for path, function, code in re.findall(
                r'File "/srv/bookstore/(bookstore/[\w/]+\.py)", line \d+, in (\w+)\n    (.+)',
                entry["exception"],
            ):
                source = (record.EXAMPLES / path).read_text(encoding="utf-8")
                assert f"def {function}(" in source and code in source, (path, code)
        else:
            assert keys <= set(entry)


def test_lines_that_are_not_json_are_skipped():
    lines = ['{"time": "t", "request_id": "x"}', "plain text", "[1, 2]", ""]
    lines.append("[" * 1100)  # regression: nested too deep for json, a RecursionError
    assert list(read_logs.read_entries(lines)) == [{"time": "t", "request_id": "x"}]


# Lines a real log can hold: a list, an object without a time, a time that is a number, a
# status written as text, a 5xx line without method and path, a cut-off line, broken bytes,
# a level that is null or a list, JSON nested deeper than the parser goes, a status written
# as 500.0 or 5e2 (jq reads both as 500) or as 500.5 or 1000 (no HTTP status), a method
# that is a list, a method and path that are null, and a lone surrogate (\ud800, valid JSON
# text that no encoding can print).
HOSTILE_LOG = (
    b"[1, 2]\n"
    b'{"request_id": "r1", "message": "no time"}\n'
    b'{"time": 1767225600, "request_id": "r1"}\n'
    b'{"time": "2026-03-02T02:14:00.000+00:00", "message": "request finished", "status": "500"}\n'
    b'{"time": "2026-03-02T02:14:01.000+00:00", "message": "request finished", "status": 503,'
    b' "request_id": "r1", "exception": 42}\n'
    b'{"time": "2026-03-02T02:14:02.000+00:00", "message": "request fin\n'
    b'{"time": "2026-03-02T02:14:03.000+00:00", "message": "\xff\xfe", "request_id": "r1"}\n'
    b'{"time": "2026-03-02T02:14:03.500+00:00", "message": "x \\ud800 y", "request_id": "r1"}\n'
    b'{"time": "2026-03-02T02:14:04.000+00:00", "level": null, "request_id": "r1"}\n'
    b'{"time": "2026-03-02T02:14:05.000+00:00", "level": ["ERROR"], "request_id": "r1"}\n'
    + b"[" * 1100
    + b"\n"
    + b"".join(
        b'{"time": "2026-03-02T02:14:06.000+00:00", "message": "request finished", "status": '
        + status
        + b', "method": "POST", "path": "/api/v1/orders"}\n'
        for status in (b"500.0", b"5e2", b"500.5", b"1000", b"true")
    )
    + b'{"time": "2026-03-02T02:14:07.000+00:00", "message": "request finished", "status": 502,'
    b' "method": ["GET"], "path": "/"}\n'
    b'{"time": "2026-03-02T02:14:08.000+00:00", "message": "request finished", "status": 503,'
    b' "method": null, "path": null}\n'
)


def test_a_hostile_log_is_read_without_a_traceback(tmp_path, capsys):
    # Regression: KeyError on a line without "time", "level" or "method", TypeError on a
    # status written as text, UnicodeDecodeError on one broken byte; then TypeError on a null
    # level ("unsupported format string passed to NoneType.__format__") and on a method that
    # is a list (unhashable), RecursionError on [[[[..., and 500.0 and 5e2 left out while jq
    # counted them. Then UnicodeEncodeError on a lone surrogate, and a null method printed as
    # "None" and counted apart from a missing one, which jq counts together as null.
    log = tmp_path / "app.log"
    log.write_bytes(HOSTILE_LOG)
    assert read_logs.main([str(log), "--failures"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "   2 ? ? 503",  # ties keep the order of the log: most_common sorts stably
        "   2 POST /api/v1/orders 500",
        "   1 ['GET'] / 502",
    ]
    assert read_logs.main([str(log), "--request-id", "r1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "02:14:01.000 ?     ?: request finished status=503",
        "02:14:03.000 ?     ?: \ufffd\ufffd",
        "02:14:03.500 ?     ?: x \\ud800 y",
        "02:14:04.000 ?     ?: ",
        "02:14:05.000 ['ERROR'] ?: ",
    ]
    assert read_logs.main([str(log), "--between", "02:14:00", "02:14:01.5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_bad_arguments_get_a_message_not_a_traceback(tmp_path, capsys):
    assert read_logs.main([str(tmp_path / "missing.log"), "--failures"]) == 2
    assert "missing.log: cannot read it (No such file or directory) — fix:" in (
        capsys.readouterr().err
    )
    with pytest.raises(SystemExit) as exit_info:  # argparse: usage and exit status 2
        read_logs.main([str(tmp_path / "app.log"), "--between", "2.14", "02:15:00"])
    assert exit_info.value.code == 2
    assert "'2.14' is not a time — fix: write it as 02:14:00" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_jq_queries_survive_a_hostile_log_too(tmp_path):
    # Regression: `fromjson?` let [1, 2] through, and jq stopped at "Cannot index array".
    log = tmp_path / "app.log"
    log.write_bytes(HOSTILE_LOG)
    script = str(record.HERE / "read_logs.sh")
    failures = subprocess.run(
        ["bash", script, "failures_by_endpoint", str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failures.returncode == 0
    assert sorted(line.split() for line in failures.stdout.splitlines()) == [
        ["1", '["GET"]', "/", "502"],
        ["2", "POST", "/api/v1/orders", "500"],
        ["2", "null", "null", "503"],  # missing and null together, as the Python "? ?"
    ]
    python = {
        (method, path, status): count
        for (method, path, status), count in read_logs.failures_by_endpoint(
            read_logs.read_entries(HOSTILE_LOG.decode("utf-8", "replace").splitlines())
        ).items()
    }
    jq_groups = {
        (method.replace("null", "?"), path.replace("null", "?"), int(status)): int(count)
        for count, method, path, status in (line.split() for line in failures.stdout.splitlines())
    }
    # The same groups and counts; only a list is written differently.
    python['["GET"]', "/", 502] = python.pop(("['GET']", "/", 502))
    assert jq_groups == python
    followed = subprocess.run(
        ["bash", script, "follow_request", str(log), "r1"],
        capture_output=True,
        text=True,
        check=False,
    )
    times = [json.loads(line)["time"][11:19] for line in followed.stdout.splitlines()]
    assert followed.returncode == 0
    # jq 1.6 cannot decode a lone surrogate and skips that line (02:14:03.500); Python keeps
    # it and prints \ud800 as an escape.
    assert times == ["02:14:01", "02:14:03", "02:14:04", "02:14:05"]
    unknown = subprocess.run(
        ["bash", script, "echo", "hi"], capture_output=True, text=True, check=False
    )
    assert unknown.returncode == 2 and unknown.stdout == "" and "usage:" in unknown.stderr


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_jq_queries_agree_with_the_python_ones():
    script = record.HERE / "read_logs.sh"
    log = record.HERE / "data" / "app.log"

    def run(*args: str) -> str:
        return subprocess.run(
            ["bash", str(script), *args], capture_output=True, text=True, check=True
        ).stdout

    followed = [
        json.loads(line) for line in run("follow_request", str(log), record.REQUEST_ID).splitlines()
    ]
    assert [e["time"] for e in followed] == [
        e["time"]
        for e in read_logs.follow_request(
            read_logs.read_entries(log.read_text(encoding="utf-8").splitlines()), record.REQUEST_ID
        )
    ]
    assert followed[0]["error"] == "sqlite3.OperationalError: database is locked"
    assert run("failures_by_endpoint", str(log)).split() == ["3", "POST", "/api/v1/orders", "500"]


def test_check_script_exit_codes(tmp_path, monkeypatch):
    """check_shipping.py: 0 good, 1 bad, 125 cannot be tested (what bisect run reads)."""
    cases = (
        (bisect_demo.HISTORY[4][1], 0),
        (bisect_demo.HISTORY[5][1], 1),
        # Regression: a commit that does not load was reported bad (exit 1) and could be
        # blamed for the bug; 125 tells git to skip it. Then the same for a NameError.
        ("def shipping_cost(weight_grams)\n    return 0\n", 125),
        ("RATE_PER_KG = 9000\nFREE = FREE_SHIPPING_FROM\n", 125),
    )
    for source, expected in cases:
        (tmp_path / "shipping.py").write_text(source, encoding="utf-8")
        shutil.copy(record.HERE / "check_shipping.py", tmp_path / "check_shipping.py")
        result = subprocess.run(
            [sys.executable, "check_shipping.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == expected, result.stdout


def test_the_bisect_check_never_judges_a_commit_by_a_stale_pyc(tmp_path):
    """Regression: bisect.sh ran `python3 check_shipping.py`, which caches shipping.py in
    __pycache__. Python trusts that cache while the source keeps its size and modification
    second, so a version checked out within the same second was judged by the old code."""
    line = next(
        line
        for line in (record.HERE / "bisect.sh").read_text(encoding="utf-8").splitlines()
        if line.startswith("git bisect run ")
    )
    command = [sys.executable, *shlex.split(line, comments=True)[4:]]  # after "python3"
    shutil.copy(record.HERE / "check_shipping.py", tmp_path / "check_shipping.py")
    good = bisect_demo.HISTORY[4][1]
    bad = good.replace("* RATE_PER_KG", "+ RATE_PER_KG")  # same size, wrong answer
    assert len(bad) == len(good) and bad != good
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    codes = []
    for source in (good, bad):
        shipping = tmp_path / "shipping.py"
        stamp = shipping.stat().st_mtime_ns if shipping.exists() else None
        shipping.write_text(source, encoding="utf-8")
        if stamp is not None:  # the same second as the version before, as a fast checkout
            os.utime(shipping, ns=(stamp, stamp))
        run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=False)
        codes.append(run.returncode)
    assert codes == [0, 1]


# --- The filled-in bug report and debugging log say only what the log and the code show. ---

FILLED = record.HERE / "filled"
TEMPLATES = record.EXAMPLES / "templates"
WIB = timezone(timedelta(hours=7))


def filled(lang: str, name: str) -> str:
    return (FILLED / lang / name).read_text(encoding="utf-8")


def headings(markdown: str) -> list[str]:
    """Every heading below the title (comments removed): the template's skeleton."""
    return re.findall(
        r"^##+ .+$", re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL), re.MULTILINE
    )


def clock(moment: datetime, lang: str, fraction: bool = False) -> str:
    """09.14.05 (Indonesian) or 9:14:05 (English), optionally with milliseconds."""
    text = (
        moment.strftime("%H.%M.%S") if lang == "id" else f"{moment.hour % 12 or 12}:{moment:%M:%S}"
    )
    if fraction:  # to the nearest millisecond
        moment += timedelta(microseconds=500)
        text = clock(moment, lang)
        text += ("," if lang == "id" else ".") + f"{moment.microsecond // 1000:03d}"
    return text


def number(value: float, lang: str, decimals: int = 1) -> str:
    english = f"{value:,.{decimals}f}"
    return english if lang == "en" else english.translate(str.maketrans(",.", ".,"))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", ["bug-report.md", "debugging-log.md"])
def test_filled_example_follows_its_template(lang, name):
    text = filled(lang, name)
    assert headings(text) == headings((TEMPLATES / lang / name).read_text(encoding="utf-8"))
    assert "…" not in text and "```" not in text and text.endswith("\n")
    page = record.EXAMPLES.parent / "docs" / lang / "skills" / "problem-solving-and-debugging.md"
    assert f'--8<-- "debugging/filled/{lang}/{name}"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_filled_examples_quote_the_log(lang):
    log = (record.HERE / "data" / "app.log").read_text(encoding="utf-8").splitlines()
    entries = list(read_logs.read_entries(log))
    for entry in entries:
        entry["wib"] = datetime.fromisoformat(entry["time"]).astimezone(WIB)
    failed = [e for e in entries if e.get("status") == 500]
    began = [e["wib"] - timedelta(milliseconds=e["duration_ms"]) for e in failed]
    report, story = filled(lang, "bug-report.md"), filled(lang, "debugging-log.md")
    both = " ".join((report + story).split())

    # Every time to the second is a logged event, or (with milliseconds) a computed start.
    logged = {clock(e["wib"], lang) for e in entries}
    starts = {clock(moment, lang, fraction=True) for moment in began}
    day = failed[0]["wib"].replace(minute=0, second=0, microsecond=0)
    bounds = {clock(day.replace(minute=m), lang) for m in (13, 15)}  # hypothesis 1's window
    pattern = (
        r"\b\d{2}\.\d{2}\.\d{2}(?:,\d{3})?\b"
        if lang == "id"
        else r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d{3})?\b"
    )
    quoted = set(re.findall(pattern, both))
    assert quoted and quoted <= logged | starts | bounds, sorted(quoted - logged - starts)
    assert starts <= quoted  # hypothesis 2 gives all three
    for event in failed:
        assert clock(event["wib"], lang) in both and number(event["duration_ms"], lang) in both
    assert failed[0]["request_id"] in report

    # "Only 8 requests" between 02:13 and 02:15 UTC; the failures line as read_logs prints it.
    window = [
        e
        for e in entries
        if e["logger"] == "bookstore.access" and "02:13" <= e["time"][11:16] < "02:15"
    ]
    assert len(window) == 8 and {"id": "8 permintaan", "en": "8 requests"}[lang] in both
    failures = (record.OUTPUT / "logs-failures.txt").read_text(encoding="utf-8").splitlines()[1]
    assert f"`{failures.strip()}`" in report and f"`{failures.strip()}`" in story
    assert {"id": "18.240", "en": "18,240"}[lang] in both and number(31866, lang, 0) in both

    # The test the log names exists, and so does the busy_timeout it quotes.
    for name in re.findall(r"`(test_\w+)`", story):
        assert f"def {name}(" in Path(__file__).read_text(encoding="utf-8")
    connection = (record.EXAMPLES / "bookstore" / "db" / "connection.py").read_text(
        encoding="utf-8"
    )
    assert "BUSY_TIMEOUT_MS = 5000" in connection and number(5000, lang, 0) + " ms" in story
