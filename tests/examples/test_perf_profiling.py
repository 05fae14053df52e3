"""perf.sales_report and perf.profile_report: the slow endpoint, its fix, the three profilers
and the flame graph the page shows (committed under docs/assets/, offline and current)."""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from fastapi.testclient import TestClient
from lxml import etree
from perf import profile_report, sales_report

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FLAMEGRAPH = ROOT / "docs/assets/flamegraphs/sales-report-slow.svg"
SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def report_db(tmp_path_factory) -> sqlite3.Connection:
    """The endpoint's data, smaller: 300 books, 300 orders (about 900 order lines)."""
    conn = sales_report.open_report_db(
        str(tmp_path_factory.mktemp("report") / "r.db"), books=300, orders=300
    )
    yield conn
    conn.close()


def test_a_small_catalog_gives_the_sums_by_hand(tmp_path):
    conn = connect(str(tmp_path / "small.db"))
    migrate(conn)
    with transaction(conn):
        conn.execute("INSERT INTO users (email, password_hash) VALUES ('a@example.com', 'x')")
        conn.executemany("INSERT INTO authors (id, name) VALUES (?, ?)", [(1, "Ayu"), (2, "Bima")])
        conn.executemany(
            "INSERT INTO books (id, title, author_id, price_cents, stock) VALUES (?, ?, ?, ?, 0)",
            [(1, "A1", 1, 5_000_000), (2, "A2", 1, 7_500_000), (3, "B1", 2, 10_000_000)],
        )
        conn.execute("INSERT INTO orders (id, user_id, total_cents) VALUES (1, 1, 0)")
        conn.executemany(
            "INSERT INTO order_items (order_id, book_id, quantity, unit_price_cents)"
            " VALUES (1, ?, ?, ?)",
            [(1, 2, 5_000_000), (2, 1, 7_500_000), (3, 1, 10_000_000)],
        )
    expected = [
        {"author": "Ayu", "sales": "175000.00"},  # 2 x 50,000 + 75,000
        {"author": "Bima", "sales": "100000.00"},
    ]
    assert sales_report.sales_by_author_slow(conn) == expected
    assert sales_report.sales_by_author(conn) == expected
    conn.close()


def test_the_fix_gives_the_same_report(report_db):
    slow = sales_report.sales_by_author_slow(report_db)
    assert len(slow) == 10  # the ten best-selling authors
    assert slow == sales_report.sales_by_author(report_db)


def test_the_data_is_the_same_every_time(tmp_path):
    first = sales_report.open_report_db(str(tmp_path / "1.db"), books=50, orders=40)
    second = sales_report.open_report_db(str(tmp_path / "2.db"), books=50, orders=40)
    query = "SELECT * FROM order_items ORDER BY order_id, book_id"
    assert [tuple(r) for r in first.execute(query)] == [tuple(r) for r in second.execute(query)]
    first.close()
    second.close()


def test_the_endpoint_serves_the_report(report_db, tmp_path):
    database = report_db.execute("PRAGMA database_list").fetchone()["file"]
    for report in (sales_report.sales_by_author_slow, sales_report.sales_by_author):
        with TestClient(sales_report.create_app(database, report)) as client:
            response = client.get("/reports/sales-by-author")
        assert response.status_code == 200
        assert response.json() == sales_report.sales_by_author(report_db)


def test_cprofile_puts_the_generator_expression_on_top(tmp_path, monkeypatch):
    # The page's shape, many books per order line: each lookup scans about 1,000 books.
    # Regression (review round 3): ranked by the wall clock with 50 orders (about 0.02 s in
    # <genexpr>), one preemption put fetchall or the loop on top, 3 runs in 80 at load
    # average 7 to 9. So rank by CPU time, as the next test does, and give the search about
    # 3,000 lookups (about 0.2 s): in 60 runs each on 3.11 and 3.13, the next row got at
    # most a fifth of that (the sort key's lambda, once), and usually about a fifteenth.
    monkeypatch.setattr(cProfile, "Profile", partial(cProfile.Profile, time.process_time))
    conn = sales_report.open_report_db(str(tmp_path / "r.db"), books=2_000, orders=1_000)
    try:
        out = profile_report.with_cprofile(sales_report.sales_by_author_slow, conn)
    finally:
        conn.close()
    rows = [line for line in out.splitlines() if re.match(r"\s+\d+(/\d+)?\s+\d", line)]
    assert "sales_report.py" in rows[0] and "(<genexpr>)" in rows[0]  # most tottime
    line = int(re.search(r"sales_report\.py:(\d+)\(<genexpr>\)", rows[0])[1])
    source = (EXAMPLES / "perf/sales_report.py").read_text(encoding="utf-8").splitlines()
    assert "next(b for b in books" in source[line - 1]  # the page's hot line


def test_after_the_fix_the_database_does_the_work(report_db, monkeypatch):
    # cProfile times with the wall clock. On a busy machine a preemption can land in any
    # function and put it on top (7 runs in 300 at load average 8 to 11), so this test
    # ranks by CPU time: what the claim is about, the work each function does.
    monkeypatch.setattr(cProfile, "Profile", partial(cProfile.Profile, time.process_time))
    out = profile_report.with_cprofile(sales_report.sales_by_author, report_db)
    assert "<genexpr>" not in out
    rows = [line for line in out.splitlines() if re.match(r"\s+\d+(/\d+)?\s+\d", line)]
    assert "execute" in rows[0] or "fetchall" in rows[0]  # SQLite's C code, one call


def test_pyinstrument_points_at_the_same_line(report_db):
    out = profile_report.with_pyinstrument(sales_report.sales_by_author_slow, report_db)
    assert re.search(r"<genexpr>\s+perf/sales_report\.py:\d+", out)
    assert "sales_by_author_slow" in out
    # Regression (review round 1): its header named the absolute path of examples/.
    assert "Profile at perf/profile_report.py:" in out and str(EXAMPLES) not in out


def test_the_overhead_line_names_both_times(report_db):
    line = profile_report.overhead(sales_report.sales_by_author, report_db)
    assert re.fullmatch(
        r"sales_by_author, CPU time, best of 3 runs: [\d.]+ ms alone, [\d.]+ ms under cProfile"
        r" \([\d.]+x\)",
        line,
    )


@pytest.mark.parametrize("profiler", ["cprofile", "compare"])
def test_the_output_says_what_it_measured(profiler, capsys):
    """Regression (review round 1): compare named httpx, which it does not use, and not
    SQLite, which its figures depend on; and --books did not exist."""
    profile_report.main([profiler, "--fixed", "--books", "40", "--orders", "30"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("40 books, 30 orders; measured 20")
    assert f"SQLite {sqlite3.sqlite_version}" in last and "httpx" not in last


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", "--books", "9"], "must be from 10 to 10000, not 9"),
        (["compare", "--orders", "many"], "'many' is not a whole number"),
        (["flamegraph"], "needs -o FILE.svg"),
    ],
)
def test_bad_arguments_get_a_usage_error(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        profile_report.main(argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(
    "output, message",
    [
        ("{tmp}/missing/x.svg", "folder {tmp}/missing does not exist — fix: create it"),
        ("{tmp}", "{tmp} is a folder — fix: name a file in it, such as {tmp}/flamegraph.svg"),
        ("{tmp}/file.txt/x.svg", "{tmp}/file.txt is a file, not a folder — fix: choose"),
        ("{tmp}/locked.svg", "cannot write {tmp}/locked.svg — fix: choose a path you can write"),
        # Regression (review round 3): it said " is a folder", with no name before it.
        ("", "-o is empty — fix: name the SVG file, such as flamegraph.svg"),
    ],
)
def test_a_flame_graph_path_that_cannot_be_written_is_refused_first(
    output, message, tmp_path, monkeypatch, capsys
):
    """Regression (review round 2): -o into a missing folder or onto a folder started the
    server, attached py-spy and sent every request, then ended with py-spy's Rust backtrace."""
    (tmp_path / "file.txt").write_text("not a folder")
    (tmp_path / "locked.svg").write_text("<svg/>")
    real_access = os.access
    monkeypatch.setattr(  # root may write anywhere: fake a file it may not
        profile_report.os,
        "access",
        lambda path, mode: Path(path).name != "locked.svg" and real_access(path, mode),
    )
    monkeypatch.setattr(profile_report, "record_flamegraph", lambda *a: pytest.fail("started"))
    with pytest.raises(SystemExit) as exit_:
        profile_report.main(["flamegraph", "-o", output.format(tmp=tmp_path)])
    assert exit_.value.code == 2  # a usage error, before anything starts
    assert message.format(tmp=tmp_path) in capsys.readouterr().err


# --- the flame graph ------------------------------------------------------------------------


def offline_problems(svg: Path) -> list[str]:
    """Whatever would load or run something: scripts, event handlers, links, a DOCTYPE, any
    http(s) URL except the XML namespace names (names, which nothing fetches)."""
    text = svg.read_text(encoding="utf-8")
    root = etree.fromstring(text.encode())
    problems = []
    if "<!DOCTYPE" in text:
        problems.append("a DOCTYPE (it names an external DTD)")
    for element in root.iter():
        tag = etree.QName(element).localname if isinstance(element.tag, str) else "comment"
        if tag in {"script", "foreignObject", "a", "image", "use", "comment"}:
            problems.append(f"a <{tag}> element")
        for name, value in element.attrib.items():
            if etree.QName(name).localname.startswith("on") or "href" in name:
                problems.append(f"attribute {name}={value!r}")
    namespaces = {value for element in root.iter() for value in element.nsmap.values()}
    for url in re.findall(r"https?://[^\s\"'<>)]+", text):
        if url not in namespaces:
            problems.append(f"URL {url}")
    return problems


def test_the_committed_flame_graph_is_offline():
    assert offline_problems(FLAMEGRAPH) == []
    assert etree.parse(str(FLAMEGRAPH)).getroot().tag == f"{{{SVG_NS}}}svg"


def test_offline_problems_are_found(tmp_path):
    bad = tmp_path / "bad.svg"
    bad.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="init()"><script>x()</script>'
        "<!-- see https://example.org --><text>https://cdn.example/x.js</text></svg>",
        encoding="utf-8",
    )
    problems = offline_problems(bad)
    assert "a <script> element" in problems and "a <comment> element" in problems
    assert "attribute onload='init()'" in problems
    assert "URL https://cdn.example/x.js" in problems


def test_make_offline_keeps_the_frames_and_drops_the_rest(tmp_path):
    svg = tmp_path / "py-spy.svg"
    svg.write_text(
        '<?xml version="1.0" standalone="no"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg version="1.1" width="1200"'
        ' onload="init(evt)" xmlns="http://www.w3.org/2000/svg"'
        ' xmlns:fg="http://github.com/jonhoo/inferno"><!--See https://example.org-->'
        '<script type="text/ecmascript"><![CDATA[function init(evt) {}]]></script>'
        '<text id="title">py-spy record -o /home/me/x.svg</text><text id="search">Search</text>'
        '<svg id="frames" total_samples="3"><g><title>f (a.py:1) (3 samples, 100.00%)</title>'
        '<rect x="0%" width="100%" fg:x="0" fg:w="3"/><text x="0.25%">f (a.py:1)</text></g>'
        "</svg></svg>",
        encoding="utf-8",
    )
    profile_report.make_offline(svg, "GET /reports/sales-by-author")
    assert offline_problems(svg) == []
    assert profile_report.frames(svg) == [("f (a.py:1)", 3)]
    text = svg.read_text(encoding="utf-8")
    assert "GET /reports/sales-by-author" in text and "/home/me" not in text
    assert "Search" not in text


def perf_frames(svg: Path) -> dict[str, int]:
    """{label: samples} of the frames from examples/perf/ (py-spy --function labels)."""
    return {label: n for label, n in profile_report.frames(svg) if "(perf/" in label}


def first_line_of(label: str) -> tuple[str, str]:
    """'create_app.<locals>.sales_report (perf/sales_report.py:124)' -> (name, source line)."""
    match = re.fullmatch(r"(?P<name>.+) \((?P<file>perf/[\w/]+\.py):(?P<line>\d+)\)", label)
    lines = (EXAMPLES / match["file"]).read_text(encoding="utf-8").splitlines()
    return match["name"].rsplit(".", 1)[-1], lines[int(match["line"]) - 1].strip()


def test_the_committed_flame_graph_matches_the_code():
    """Each frame of perf/ code names the first line of its function in the current file: a
    change that moves the report's code fails here until the SVG is made again with
    `python -m perf.profile_report flamegraph -o ../docs/assets/flamegraphs/sales-report-slow.svg`."""
    found = perf_frames(FLAMEGRAPH)
    assert found, "no frame of perf/ code in the flame graph"
    for label in found:
        name, line = first_line_of(label)
        if name == "<module>":
            continue
        if name == "<genexpr>":
            assert "next(b for b in books" in line, label
        else:
            assert line.startswith((f"def {name}(", "@")), label  # @: a decorated function
    hot = [n for label, n in found.items() if "<genexpr>" in label]
    route = [n for label, n in found.items() if label.startswith("sales_by_author_slow ")]
    assert hot and route and hot[0] > route[0] / 2  # the page: most of the report's time


def test_the_flame_graph_can_be_made_again(tmp_path):
    """Regenerates the flame graph with a few requests; skipped where py-spy may not attach
    to another process (no root, no CAP_SYS_PTRACE), which is the case on many laptops."""
    svg = tmp_path / "again.svg"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "perf.profile_report",
            "flamegraph",
            "-o",
            str(svg),
            "--requests",
            "8",
        ],
        cwd=EXAMPLES,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "could not attach" in result.stderr:
        pytest.skip("py-spy may not attach here: " + result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr
    assert offline_problems(svg) == []
    found = perf_frames(svg)
    assert any("<genexpr>" in label for label in found)
    assert "8 requests" in svg.read_text(encoding="utf-8")


def test_the_pages_show_the_flame_graph_with_alt_text():
    for lang in ("id", "en"):
        page = (ROOT / f"docs/{lang}/duties/performance-optimization.md").read_text(
            encoding="utf-8"
        )
        images = re.findall(
            r"!\[([^\]]*)\]\(\.\./\.\./assets/flamegraphs/sales-report-slow\.svg\)", page
        )
        assert len(images) == 1 and len(images[0]) > 40, lang  # a real description


def test_compare_gives_wall_clock_and_cpu_time(report_db):
    out = profile_report.compare(report_db, repeat=1).splitlines()
    assert out[0].startswith("sales_by_author_slow ") and "wall" in out[0] and "CPU" in out[0]
    assert out[1].startswith("sales_by_author ")
    assert re.fullmatch(r"the fix: \d+x faster by wall clock, \d+x by CPU", out[2])


def test_cprofile_around_a_request_profiles_the_wrong_thread(report_db):
    """The page's 'profiling the wrong thread': FastAPI runs a sync endpoint in a worker
    thread while the caller waits. Up to Python 3.11, cProfile enabled around the request
    records only the caller waiting. From 3.12 it uses sys.monitoring (gh-103533), which
    reports every thread's calls: the endpoint's code is there, mixed into one profile with
    the caller's waiting and the event loop's work."""
    database = report_db.execute("PRAGMA database_list").fetchone()["file"]
    with TestClient(sales_report.create_app(database)) as client:
        profiler = cProfile.Profile()
        profiler.enable()
        assert client.get("/reports/sales-by-author").status_code == 200
        profiler.disable()
    seen = {(Path(file).name, name) for file, _, name in pstats.Stats(profiler).stats}
    report_code = {name for file, name in seen if file == "sales_report.py"}
    assert ("threading.py", "wait") in seen  # the calling thread, waiting for the answer
    if sys.version_info < (3, 12):
        assert not report_code  # none of the endpoint's code
    else:
        assert {"sales_by_author_slow", "<genexpr>"} <= report_code  # there, but mixed in
    everything = 100  # every row: on a small report its own time can round to 0.000
    direct = profile_report.with_cprofile(sales_report.sales_by_author_slow, report_db, everything)
    assert "(sales_by_author_slow)" in direct  # profiled directly, the function is there
