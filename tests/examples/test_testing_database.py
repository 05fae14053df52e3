"""Tests against a real SQLite database that stay fast and independent: migrate once,
give every test its own in-memory copy, and know where a rollback fixture stops working."""

import re
import sqlite3
from pathlib import Path

import pytest
from bookstore.cache import TTLCache
from bookstore.db.books import get_book, take_stock
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.db.users import add_user
from bookstore.services.errors import OutOfStock
from bookstore.services.orders import place_order
from testing import fixture_cost


# --8<-- [start:memory_db_fixture]
@pytest.fixture(scope="module")
def template_db():
    """Built once per test module: every migration plus the demo catalog, in memory."""
    conn = connect(":memory:")
    migrate(conn)
    seed_demo_data(conn)
    yield conn
    conn.close()


@pytest.fixture
def memory_db(template_db):
    """A private copy for each test: the real schema and SQL, nothing shared."""
    conn = connect(":memory:")
    template_db.backup(conn)  # copies the whole database page by page
    yield conn
    conn.close()


# --8<-- [end:memory_db_fixture]


# --8<-- [start:isolation_tests]
@pytest.mark.parametrize("run", ["first", "second"])
def test_every_test_starts_from_the_same_data(memory_db, run):
    with transaction(memory_db):
        assert take_stock(memory_db, 1, 12)  # all 12 copies of Laskar Pelangi
    assert get_book(memory_db, 1)["stock"] == 0  # the second run would fail if shared


def test_out_of_stock_rolls_back_the_lines_already_taken(memory_db):
    user_id = add_user(memory_db, "tono@example.com", "not-a-real-hash")
    lines = [(1, 2), (6, 1)]  # book 6 (Perahu Kertas) has no copies left
    with pytest.raises(OutOfStock):
        place_order(memory_db, TTLCache(30), user_id, lines)
    assert get_book(memory_db, 1)["stock"] == 12  # the 2 copies taken first came back
    assert memory_db.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 0


# --8<-- [end:isolation_tests]


# --8<-- [start:rollback_fixture]
@pytest.fixture
def rolled_back(memory_db):
    """The other common pattern: one transaction per test, rolled back at the end."""
    memory_db.execute("BEGIN")
    yield memory_db
    memory_db.execute("ROLLBACK")


def test_rollback_fixture_suits_code_without_its_own_transaction(rolled_back):
    assert take_stock(rolled_back, 2, 5)
    assert get_book(rolled_back, 2)["stock"] == 0


def test_rollback_fixture_clashes_with_code_that_begins_one(rolled_back):
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        place_order(rolled_back, TTLCache(30), 1, [(1, 1)])  # BEGIN IMMEDIATE inside BEGIN


# --8<-- [end:rollback_fixture]


def test_the_template_itself_never_changes(template_db):
    assert get_book(template_db, 1)["stock"] == 12
    assert get_book(template_db, 2)["stock"] == 5


def test_the_fixture_cost_benchmark_prints_what_the_page_shows(capsys):
    # Only the shape: the figures depend on the machine, and a time budget never goes in a
    # test. The recorded run the page quotes is testing/output/fixture_cost.txt.
    assert fixture_cost.main(["--runs", "1"]) == 0
    printed = capsys.readouterr().out.splitlines()
    recorded = (Path(fixture_cost.__file__).parent / "output" / "fixture_cost.txt").read_text(
        encoding="utf-8"
    )
    labels = [line[:22] for line in printed[1:]]
    assert labels == [line[:22] for line in recorded.splitlines()[1:]]
    assert printed[0].endswith("fastest of 1 run") and "x faster than the app" in printed[-1]
    assert "CPython" in printed[0] and "load average" in printed[0]


@pytest.mark.parametrize("runs", ["0", "1001", "x", "\u0663"])
def test_the_fixture_cost_benchmark_refuses_a_bad_run_count(capsys, runs):
    with pytest.raises(SystemExit) as exit_:
        fixture_cost.main(["--runs", runs])
    assert exit_.value.code == 2 and "— fix: --runs 30" in capsys.readouterr().err


PAGES = {
    lang: Path(__file__).resolve().parents[2]
    / "docs"
    / lang
    / "duties"
    / "testing-and-debugging.md"
    for lang in ("id", "en")
}
# The ranges each page quotes for the benchmark: app fixture (ms), copy (ms), times faster.
COST_RANGES = {
    "id": r"\*Fixture\* aplikasi memakan (\d+)–(\d+) ms dan salinan di memori ([\d,]+)–([\d,]+) ms: "
    r"salinan itu ([\d.]+) sampai ([\d.]+) kali",
    "en": r"The app fixture took (\d+)–(\d+) ms and the in-memory copy ([\d.]+)–([\d.]+) ms: the "
    r"copy was ([\d,]+) to ([\d,]+) times",
}
SEPARATORS = {"id": (",", "."), "en": (".", ",")}  # (decimal, thousands)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_recorded_fixture_cost_lies_in_the_ranges_the_page_quotes(lang):
    # The page quotes the range seen over many runs next to one recorded run; a new recording
    # (or a heavier bookstore) outside that range must change the prose too.
    recorded = (Path(fixture_cost.__file__).parent / "output" / "fixture_cost.txt").read_text(
        encoding="utf-8"
    )
    figures = {
        "app fixture": float(re.search(r"app fixture +([\d.]+) ms", recorded)[1]),
        "copy": float(re.search(r"copy of the template +([\d.]+) ms", recorded)[1]),
        "times faster": float(re.search(r"\(([\d,]+)x faster", recorded)[1].replace(",", "")),
    }
    text = " ".join(PAGES[lang].read_text(encoding="utf-8").split())
    quoted = re.search(COST_RANGES[lang], text)
    assert quoted, f"{PAGES[lang].name} ({lang}) no longer says {COST_RANGES[lang]!r}"
    decimal, thousands = SEPARATORS[lang]
    bounds = [float(n.replace(thousands, "").replace(decimal, ".")) for n in quoted.groups()]
    for (name, figure), low, high in zip(figures.items(), bounds[::2], bounds[1::2], strict=True):
        assert low <= figure <= high, (
            f"docs/{lang}/duties/testing-and-debugging.md quotes {low:g}–{high:g} for {name}, "
            f"the recording has {figure:g} — fix: run `python -m testing.fixture_cost` (from "
            "examples/) a few times and quote the range you see next to the recording, in "
            "both languages"
        )
