"""How often do app instances that start together collide over the same migration?

Run from examples/ (about half a minute on a two-core machine):

    python -m dbadmin.migration_race                      # 2 instances, 20 rounds, 5 times
    python -m dbadmin.migration_race --instances 4 --repeat 3

Each round makes a new, empty database file and releases `--instances` threads at the
same moment (a barrier), each with its own connection, like app instances starting
together. Every thread migrates the database to the latest version. A round fails when
any instance raises. The program runs the rounds twice: with `migrate_reading_first`,
the bug (the version is read before the write lock, as the bookstore's first migrate()
did), and with bookstore.db.migrate.migrate, the fix (the version is read under the lock).

The fix never fails. How often the bug fails depends on thread scheduling: the collision
needs a second instance to read the version while the first is between its read and its
first COMMIT, a window of a few milliseconds, so the count changes from run to run and
from machine to machine (and with how busy the machine is). That is why the page shows a
test that forces the moment instead of counting on it. The recorded run the page quotes is
in dbadmin/output/migration_race.txt; to record a new one:

    (echo '$ python -m dbadmin.migration_race'; python -m dbadmin.migration_race) \\
        > dbadmin/output/migration_race.txt
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from bookstore.db.connection import connect
from bookstore.db.migrate import (
    _VERSION_TABLE,
    MIGRATIONS_DIR,
    _run,
    current_version,
    load_migrations,
    migrate,
)

Migrator = Callable[[sqlite3.Connection], object]


def migrate_reading_first(conn: sqlite3.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """WRONG, kept to measure it: the version is read once, before any lock is held, so
    two instances can both see version 0 and both run 0001 (the second one stops with
    "table authors already exists")."""
    conn.execute(_VERSION_TABLE)
    done = current_version(conn)  # read here, outside the transactions below
    applied = []
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in load_migrations(directory):
            if migration.version <= done:
                continue
            conn.execute("BEGIN IMMEDIATE")  # the lock comes too late: `done` is stale
            try:
                _run(conn, migration)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                    (migration.version, migration.name),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            applied.append(migration.version)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return applied


def one_round(migrator: Migrator, instances: int, directory: Path) -> list[str]:
    """Start `instances` migrators on a new database at once; the errors they raised."""
    path = str(directory / "race.db")
    connect(path).close()  # the file exists (WAL mode); every instance starts on it
    start = threading.Barrier(instances, timeout=30)
    errors: list[str] = []

    def instance() -> None:
        conn = connect(path)
        try:
            start.wait()
            migrator(conn)
        except sqlite3.Error as exc:
            errors.append(str(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=instance) for _ in range(instances)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name in ("race.db", "race.db-wal", "race.db-shm"):
        (directory / name).unlink(missing_ok=True)
    return errors


def failed_rounds(migrator: Migrator, instances: int, rounds: int) -> tuple[int, set[str]]:
    """How many of `rounds` rounds had an instance fail, and the distinct messages."""
    failed, messages = 0, set()
    with tempfile.TemporaryDirectory(prefix="migration-race-") as scratch:
        for _ in range(rounds):
            errors = one_round(migrator, instances, Path(scratch))
            failed += bool(errors)
            messages.update(errors)
    return failed, messages


def machine() -> str:
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )


def spread(counts: list[int]) -> str:
    """'2 to 7', or '0' when every run gave the same count."""
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low} to {high}"


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type that accepts a whole number between low and high only."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not between {low} and {high}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dbadmin.migration_race", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--instances", type=bounded(2, 16), default=2, help="instances per round (2-16)"
    )
    parser.add_argument("--rounds", type=bounded(1, 200), default=20, help="rounds (1-200)")
    parser.add_argument(
        "--repeat", type=bounded(1, 20), default=5, help="times the rounds are run (1-20)"
    )
    args = parser.parse_args(argv)
    print(machine())
    print(f"{args.instances} instances start together on an empty database, {args.rounds} rounds")
    print("run  version read before the lock  version read under the lock")
    bug, fix, messages = [], [], set()
    for run in range(1, args.repeat + 1):
        failed, seen = failed_rounds(migrate_reading_first, args.instances, args.rounds)
        bug.append(failed)
        messages |= seen
        fix.append(failed_rounds(migrate, args.instances, args.rounds)[0])
        print(
            f"{run:>3}  {bug[-1]:>3} of {args.rounds} rounds failed"
            f"{fix[-1]:>17} of {args.rounds} rounds failed"
        )
    print(f"read before the lock: {spread(bug)} of {args.rounds} rounds failed")
    print(f"read under the lock : {spread(fix)} of {args.rounds} rounds failed")
    for message in sorted(messages):
        print(f"error seen: {message}")
    return 1 if max(fix) else 0  # the fix failing would be a bug


if __name__ == "__main__":
    raise SystemExit(main())
