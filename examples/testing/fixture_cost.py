"""What a test pays before its first assertion: the app fixture against an in-memory copy.

    python -m testing.fixture_cost            # from examples/; --runs N (default 30)

Each line is the fastest of N runs (the minimum is the least disturbed by other work on the
machine), in milliseconds:
- app fixture: what tests/examples/conftest.py builds for every API test, a new database file,
  create_app() and a TestClient that runs the lifespan (migrations and demo data);
- migrate in memory: every migration and the demo data into a new :memory: database, which
  test_testing_database.py does once per module;
- copy of the template: Connection.backup() of that database, which every test gets.

The first line says when, with which Python and SQLite, and how busy the machine was.

A benchmark, not a test: the figures depend on the machine, its disk and its load. The page
quotes a recorded run, testing/output/fixture_cost.txt, and the range seen over several runs;
tests/examples/test_testing_database.py checks that the recording lies in that range.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from bookstore.app import create_app
from bookstore.db.connection import connect
from bookstore.db.migrate import migrate
from bookstore.db.seed import seed_demo_data
from bookstore.settings import Settings

# Starlette suggests the httpx2 package for its TestClient; httpx still works (as in conftest).
warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
from fastapi.testclient import TestClient  # after the filter on purpose

HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # as the tests use


def app_fixture(folder: Path) -> None:
    settings = Settings(
        database=str(folder / "bookstore.db"),
        secret_key="test-secret-key-" + "k" * 32,
        webhook_secret="test-webhook-secret-" + "w" * 32,
        payment_api_url="http://127.0.0.1:9",
        public_url="https://testserver",
    )
    with TestClient(create_app(settings, password_hasher=HASHER), base_url="https://testserver"):
        pass


def migrate_in_memory() -> sqlite3.Connection:
    conn = connect(":memory:")
    migrate(conn)
    seed_demo_data(conn)
    return conn


def fastest(step: Callable[[], object], runs: int) -> float:
    """The minimum of `runs` timings of step(), in milliseconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def runs_between_1_and_1000(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not 1 to 1000 — fix: --runs 30")
    return int(text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m testing.fixture_cost")
    parser.add_argument("--runs", type=runs_between_1_and_1000, default=30, metavar="N")
    runs = parser.parse_args(argv).runs
    load = os.getloadavg()[0]
    template = migrate_in_memory()

    def copy_template() -> None:
        copy = connect(":memory:")
        template.backup(copy)
        copy.close()

    with tempfile.TemporaryDirectory() as scratch:
        folders = iter(Path(scratch, str(n)) for n in range(runs))

        def new_app() -> None:
            folder = next(folders)
            folder.mkdir()
            app_fixture(folder)

        app_ms = fastest(new_app, runs)
    memory_ms = fastest(lambda: migrate_in_memory().close(), runs)
    copy_ms = fastest(copy_template, runs)
    print(
        f"{datetime.date.today().isoformat()}, CPython {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load:.1f} at "
        f"the start, fastest of {runs} run{'' if runs == 1 else 's'}"
    )
    print(f"app fixture           {app_ms:8.2f} ms")
    print(f"migrate in memory     {memory_ms:8.2f} ms")
    print(
        f"copy of the template  {copy_ms:8.2f} ms   ({app_ms / copy_ms:,.0f}x faster than the app)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
