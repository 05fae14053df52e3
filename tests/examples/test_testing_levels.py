"""examples/testing/level_timings.py: the timings per test level that the page shows. These
tests check what it runs and how it reads pytest's report; they never time anything."""

import re
import subprocess
import sys

import pytest
from testing.level_timings import LEVELS, ROOT, durations, plain_environment, shown, table

RECORDED = ROOT / "examples" / "testing" / "output" / "level_timings.txt"


def test_every_test_the_timings_name_still_exists():
    node_ids = [node for nodes in LEVELS.values() for node in nodes]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *node_ids],
        cwd=ROOT,
        env=plain_environment(),
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, (
        f"{run.stdout[-2000:]}{run.stderr[-2000:]}\nA test in LEVELS was renamed or removed — "
        "fix: update LEVELS in examples/testing/level_timings.py"
    )
    collected = {line.split("[")[0] for line in run.stdout.splitlines() if "::" in line}
    assert collected == set(node_ids)


JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.examples.test_bookstore_orders"
  name="test_two_copies_pay_full_price" time="0.002" />
<testcase classname="tests.examples.test_bookstore_orders"
  name="test_invalid_orders_are_refused_before_any_work[payload0-field0]" time="0.310" />
<testcase classname="tests.examples.test_bookstore_orders"
  name="test_invalid_orders_are_refused_before_any_work[payload1-field1]" time="0.250" />
<testcase classname="tests.examples.test_bookstore_server"
  name="test_sigterm_stops_the_real_server_cleanly" time="3.912" />
<testcase classname="tests.examples.test_shell_samples"
  name="test_wait_for_ready_succeeds_when_up" time="0.000"><skipped message="no curl" />
</testcase>
<testcase classname="tests.examples.test_other" name="test_not_ours" time="9.000" />
</testsuite></testsuites>"""


def test_tests_are_grouped_by_level_and_skipped_ones_left_out():
    assert durations(JUNIT) == {
        "unit": [0.002],
        "integration": [0.31, 0.25],  # each parametrized case counts as a test
        "contract": [],
        "end-to-end": [3.912],  # the skipped shell test took no real time
    }


def test_the_table_shows_milliseconds_below_a_second():
    assert [shown(s) for s in (0.0004, 0.002, 0.31, 3.912)] == ["<1 ms", "2 ms", "310 ms", "3.9 s"]
    assert table(durations(JUNIT)).splitlines()[2:4] == [
        "integration      2    250 ms    310 ms",
        "contract         0         -         -",
    ]


def test_the_recording_has_every_level():
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    assert "CPython" in lines[0] and "load average" in lines[0]
    counts = {line.split()[0]: int(line.split()[1]) for line in lines[2:]}
    assert set(counts) == set(LEVELS) and all(counts.values()), (
        "re-run `python -m testing.level_timings > testing/output/level_timings.txt` in examples/"
    )


def test_the_timed_run_is_not_measured_for_coverage(monkeypatch):
    # Under `--cov` the suite passes COVERAGE_PROCESS_CONFIG to its subprocesses; the timed
    # pytest run would then be measured too (slower, and one more coverage data file).
    monkeypatch.setenv("COVERAGE_PROCESS_CONFIG", "x")
    monkeypatch.setenv("COVERAGE_FILE", "/tmp/x/.coverage")
    env = plain_environment()
    assert not [name for name in env if name.startswith("COVERAGE_")]
    assert env["PYTHONDONTWRITEBYTECODE"] == "1" and env["PATH"]


PAGES = {
    lang: ROOT / "docs" / lang / "duties" / "testing-and-debugging.md" for lang in ("id", "en")
}
# The ranges each page quotes: (level, "fastest" or "slowest" or "both") -> (pattern, the
# units of its two numbers).
MS, S = "ms", "s"
RANGES = {
    "id": {
        ("unit", "both"): (
            r"uji unit memakan waktu kurang dari (\d+) ms sampai (\d+) ms",
            (MS, MS),
        ),
        ("integration", "both"): (r"uji integrasi (\d+)–(\d+) ms", (MS, MS)),
        ("contract", "fastest"): (r"perbandingan kontrak (\d+)–(\d+) ms", (MS, MS)),
        ("contract", "slowest"): (r"terhadap aplikasi yang berjalan (\d+)–(\d+) ms", (MS, MS)),
        ("end-to-end", "both"): (r"uji \*end-to-end\* (\d+) ms sampai (\d+,\d) detik", (MS, S)),
    },
    "en": {
        ("unit", "both"): (r"unit tests took from under (\d+) ms to (\d+) ms", (MS, MS)),
        ("integration", "both"): (r"integration tests (\d+)–(\d+) ms", (MS, MS)),
        ("contract", "fastest"): (r"the contract comparison (\d+)–(\d+) ms", (MS, MS)),
        ("contract", "slowest"): (r"running app (\d+)–(\d+) ms", (MS, MS)),
        ("end-to-end", "both"): (r"the end-to-end tests (\d+) ms to (\d+\.\d) seconds", (MS, S)),
    },
}


def milliseconds(shown_time: str) -> float:
    """The inverse of shown(): "<1 ms", "310 ms" or "3.9 s" in milliseconds."""
    number, unit = shown_time.removeprefix("<").split()
    value = float(number.replace(",", "."))
    return value * 1000 if unit == "s" else value


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_recording_lies_in_the_ranges_the_page_quotes(lang):
    text = " ".join(PAGES[lang].read_text(encoding="utf-8").split())
    rows = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines()[2:]:
        level, _count, fastest, unit, slowest, slowest_unit = line.split()
        rows[level] = {
            "fastest": milliseconds(f"{fastest} {unit}"),
            "slowest": milliseconds(f"{slowest} {slowest_unit}"),
        }
    for (level, which), (pattern, units) in RANGES[lang].items():
        match = re.search(pattern, text)
        assert match, f"{PAGES[lang].relative_to(ROOT)} no longer says {pattern!r}"
        low, high = (milliseconds(f"{n} {u}") for n, u in zip(match.groups(), units, strict=True))
        low = 0 if level == "unit" else low  # "under 1 ms"
        for key in ["fastest", "slowest"] if which == "both" else [which]:
            assert low <= rows[level][key] <= high, (
                f"{PAGES[lang].relative_to(ROOT)} quotes {low:g}–{high:g} ms for {level}, the "
                f"recording has {rows[level][key]:g} ms ({key}) — fix: run the timings a few "
                "times and quote the range you see next to the recording, in both languages"
            )


RATIO = {"id": "lima sampai sepuluh kali lebih lama", "en": "five to ten times as long"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_recorded_end_to_end_ratio_is_the_one_the_page_quotes(lang):
    # "the slowest end-to-end test five to ten times as long as the slowest integration test"
    slowest = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines()[2:]:
        level, _count, _fastest, _unit, time, unit = line.split()
        slowest[level] = milliseconds(f"{time} {unit}")
    text = " ".join(PAGES[lang].read_text(encoding="utf-8").split())
    assert RATIO[lang] in text, f"{PAGES[lang].relative_to(ROOT)} no longer says {RATIO[lang]!r}"
    ratio = slowest["end-to-end"] / slowest["integration"]
    assert 5 <= ratio <= 10, (
        f"the recording gives {ratio:.1f}x — fix: quote the ratio you see over a few runs of "
        "`python -m testing.level_timings`, in both languages"
    )
