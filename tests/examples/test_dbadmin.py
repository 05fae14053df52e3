"""Backups, restore drills and least-privilege roles (examples/dbadmin/)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import latest_version, migrate
from bookstore.db.seed import seed_demo_data
from dbadmin.backup import backup, restore_drill
from pg_support import Cluster, pg_cluster

DBADMIN = Path(__file__).resolve().parents[2] / "examples" / "dbadmin"


def count(path: Path, table: str) -> int:
    conn = connect(str(path))
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def has_author(path: Path, name: str) -> bool:
    """Whether the database file holds this author (False if it has no such table)."""
    conn = connect(str(path))
    try:
        return conn.execute("SELECT 1 FROM authors WHERE name = ?", (name,)).fetchone() is not None
    except sqlite3.OperationalError:  # "no such table": not even the schema was copied
        return False
    finally:
        conn.close()


@pytest.fixture
def live_db(tmp_path):
    """A migrated bookstore database with demo books, kept open like a running app."""
    path = tmp_path / "bookstore.db"
    conn = connect(str(path))  # WAL mode, like the app
    migrate(conn)
    seed_demo_data(conn)
    yield path, conn
    conn.close()


# --8<-- [start:file_copy_test]
def test_copying_the_file_of_a_running_database_loses_commits(live_db, tmp_path):
    path, app_conn = live_db  # the app is running: its connection stays open
    with transaction(app_conn):
        app_conn.execute("INSERT INTO authors (name) VALUES ('Okky Madasari')")

    shutil.copyfile(path, tmp_path / "copied.db")  # the tempting shortcut
    backup(path, tmp_path / "backup.db")  # the online backup API

    # Committed transactions still live in bookstore.db-wal, which the copy left behind.
    assert not has_author(tmp_path / "copied.db", "Okky Madasari")
    assert has_author(tmp_path / "backup.db", "Okky Madasari")


# --8<-- [end:file_copy_test]


# --8<-- [start:restore_drill_test]
def test_restore_drill_brings_back_deleted_data(live_db, tmp_path):
    path, app_conn = live_db
    backup(path, tmp_path / "nightly.db")

    with transaction(app_conn):  # the accident: a DELETE without WHERE
        app_conn.execute("DELETE FROM order_items")
        app_conn.execute("DELETE FROM books")
    assert count(path, "books") == 0

    scratch = tmp_path / "drill"
    scratch.mkdir()
    report = restore_drill(tmp_path / "nightly.db", scratch, latest_version())
    assert report.ok, report.problems
    assert report.row_counts["books"] == 6  # every demo book is back


def test_restore_drill_rejects_backups_that_only_look_like_backups(tmp_path):
    scratch = tmp_path / "drill"
    scratch.mkdir()
    error_text = tmp_path / "error.db"  # what a failing dump job leaves behind
    error_text.write_text("pg_dump: error: connection failed\n")
    empty = tmp_path / "empty.db"
    empty.touch()

    for bad in (error_text, empty, tmp_path / "never-written.db"):
        report = restore_drill(bad, scratch, latest_version())
        assert not report.ok, bad.name  # each one fails loudly, with a reason


# --8<-- [end:restore_drill_test]


def test_a_drill_with_a_bad_scratch_folder_reports_a_problem_not_a_traceback(live_db, tmp_path):
    # Regression: a missing scratch folder, or a scratch file that is the backup itself,
    # raised out of the drill instead of failing it with a reason.
    path, _ = live_db
    report = restore_drill(path, tmp_path / "no-such-folder", latest_version())
    assert not report.ok and "no such directory — fix: create it" in report.problems[0]
    backup(path, tmp_path / "restored.db")  # a backup named like the drill's scratch file
    report = restore_drill(tmp_path / "restored.db", tmp_path, latest_version())
    assert not report.ok and "is the database itself" in report.problems[0]


def test_restore_drill_notices_a_backup_from_an_older_schema(tmp_path):
    old = tmp_path / "old.db"
    conn = connect(str(old))
    migrate(conn, target=3)
    conn.close()
    scratch = tmp_path / "drill"
    scratch.mkdir()
    report = restore_drill(old, scratch, latest_version())
    assert any("schema version 3" in problem for problem in report.problems)


@pytest.mark.parametrize("name", ["nightly#1.db", "a?mode=rwc.db", "100%.db"])
def test_backup_of_a_file_whose_name_a_uri_would_misread(tmp_path, name):
    conn = connect(str(tmp_path / name))
    migrate(conn)
    seed_demo_data(conn)
    conn.close()
    backup(tmp_path / name, tmp_path / "copy.db")  # before the fix: an empty copy of "nightly"
    assert count(tmp_path / "copy.db", "books") == 6


def test_a_backup_is_readable_by_its_owner_only(live_db, tmp_path):
    path, _ = live_db
    backup(path, tmp_path / "b.db")  # e-mail addresses and password hashes are inside
    assert stat.S_IMODE((tmp_path / "b.db").stat().st_mode) == 0o600


def test_backup_never_leaves_a_partial_file(live_db, tmp_path):
    path, _ = live_db
    backup(path, tmp_path / "b.db")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b.db")) == ["b.db"]


def test_a_failed_backup_says_why_and_leaves_no_partial_file(tmp_path):
    # Regression: a missing source raised a bare "unable to open database file" and left
    # out.db.part behind; so did a source that is not a database.
    with pytest.raises(FileNotFoundError, match=r"no-such\.db: no such database file — fix:"):
        backup(tmp_path / "no-such.db", tmp_path / "out.db")
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("pg_dump: error: connection failed\n")
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database") as caught:
        backup(not_a_database, tmp_path / "out.db")
    assert caught.value.__notes__ == [
        f"{not_a_database}: not copied — fix: point it at a readable SQLite database"
    ]
    with pytest.raises(FileNotFoundError, match="no such directory — fix: create it"):
        backup(not_a_database, tmp_path / "missing-dir" / "out.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # nothing else written


def test_a_backup_onto_a_folder_or_the_live_wal_is_refused_before_copying(live_db, tmp_path):
    # Regression: a folder passed every check, then os.replace raised IsADirectoryError after
    # the whole copy and left the .part file; "<db>-wal" was renamed over the live WAL, and new
    # connections then failed with "disk I/O error".
    path, app_conn = live_db
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="is a directory — fix: name the backup file"):
        backup(path, folder)
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob("*.part"))
    for suffix in ("-wal", "-shm", "-journal"):
        with pytest.raises(ValueError, match="own WAL or journal — fix:"):
            backup(path, path.with_name(path.name + suffix))
    with transaction(app_conn):  # the live WAL is untouched: the app's writes still show
        app_conn.execute("INSERT INTO authors (name) VALUES ('Leila S. Chudori')")
    assert has_author(path, "Leila S. Chudori")


def test_a_backup_onto_the_live_database_itself_is_refused(live_db, tmp_path):
    # Regression: backup(db, db) renamed the copy over the live file. The app's open
    # connection kept the old, now nameless file: after its next checkpoint, the app's
    # writes were in that file only, and every new connection missed them.
    path, app_conn = live_db
    with pytest.raises(ValueError, match="is the database itself — fix:"):
        backup(path, tmp_path / "." / path.name)
    with transaction(app_conn):
        app_conn.execute("INSERT INTO authors (name) VALUES ('Okky Madasari')")
    app_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL moves into the file
    assert has_author(path, "Okky Madasari")  # a new connection still sees the app's writes


# --- dbadmin.migration_race: the figure the page quotes for the migration race ---


def run_migration_race(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dbadmin.migration_race", *args],
        cwd=DBADMIN.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migration_race_counts_failed_rounds_and_the_fix_never_fails():
    result = run_migration_race("--rounds", "2", "--repeat", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Python 3\.\d+\.\d+, SQLite 3\.\d+\.\d+, \w+ \w+, \d+ CPUs", lines[0])
    assert lines[1] == "2 instances start together on an empty database, 2 rounds"
    assert re.fullmatch(r"read before the lock: \d+( to \d+)? of 2 rounds failed", lines[5])
    assert lines[6] == "read under the lock : 0 of 2 rounds failed"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--instances", "1"], "'1' is not between 2 and 16"),
        (["--rounds", "0"], "'0' is not between 1 and 200"),
        (["--repeat", "many"], "'many' is not a whole number"),
    ],
)
def test_migration_race_answers_bad_options_with_a_message(args, message):
    result = run_migration_race(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


RACE_RECORD = DBADMIN / "output" / "migration_race.txt"


def recorded_ranges() -> dict[str, str]:
    """{instances: the range of failed rounds} from the recorded run the page quotes."""
    ranges, instances = {}, ""
    for line in RACE_RECORD.read_text(encoding="utf-8").splitlines():
        if line.endswith("rounds") and "instances start together" in line:
            instances = line.split()[0]
        elif line.startswith("read before the lock: "):
            ranges[instances] = line.removeprefix("read before the lock: ").split(" of ")[0]
        elif line.startswith("read under the lock"):
            assert line.endswith(": 0 of 20 rounds failed")  # the fix, in the record too
    return ranges


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_quotes_the_recorded_migration_race(lang):
    lines = RACE_RECORD.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "$ python -m dbadmin.migration_race"
    assert "Python 3.11.7, SQLite 3.40.1, Linux x86_64, 2 CPUs" in lines
    page = DBADMIN.parents[1] / "docs" / lang / "duties" / "database-management.md"
    text = " ".join(page.read_text(encoding="utf-8").split())
    ranges = recorded_ranges()
    word = {"id": "sampai", "en": "to"}[lang]
    for instances in ("2", "4"):
        low, _, high = ranges[instances].partition(" to ")
        assert f"{low} {word} {high}" in text, (instances, ranges[instances])
    assert "python -m dbadmin.migration_race" in text


# --- Least privilege, backups and restores on real PostgreSQL servers ---
# (skipped, with the install command, where PostgreSQL is missing)


@pytest.fixture
def postgres():
    """A throw-away PostgreSQL cluster on a Unix socket only (no TCP port at all)."""
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture
def bookstore_pg(postgres):
    """The bookstore on PostgreSQL: roles, database, tables and grants, as the page says."""
    assert postgres.psql("admin", (DBADMIN / "roles.sql").read_text()).returncode == 0
    for step in ("pg_schema.sql", "grants.sql"):
        done = postgres.psql("bookstore_owner", (DBADMIN / step).read_text(), db="bookstore")
        assert done.returncode == 0, done.stderr
    return postgres


# --8<-- [start:least_privilege_test]
def test_each_role_can_do_its_job_and_nothing_more(bookstore_pg):
    def allowed(role: str, sql: str) -> bool:
        result = bookstore_pg.psql(role, sql, db="bookstore")
        refused = "permission denied" in result.stderr or "must be owner" in result.stderr
        assert result.returncode == 0 or refused, result.stderr  # refused, not broken
        return result.returncode == 0

    app, report = "bookstore_app", "bookstore_report"
    assert allowed(app, "UPDATE bookstore.books SET stock = stock - 1 WHERE id = 1")
    assert allowed(app, "INSERT INTO bookstore.orders (user_id, total_cents) VALUES (1, 89)")
    assert not allowed(app, "UPDATE bookstore.books SET price_cents = 1")  # not its column
    assert not allowed(app, "DELETE FROM bookstore.orders")
    assert not allowed(app, "DROP TABLE bookstore.books")  # only the owner may
    assert allowed(report, "SELECT count(*) FROM bookstore.orders")
    assert not allowed(report, "SELECT email, password_hash FROM bookstore.users")
    assert not allowed(report, "INSERT INTO bookstore.authors (name) VALUES ('x')")


# --8<-- [end:least_privilege_test]


def test_a_role_without_a_grant_cannot_even_connect(bookstore_pg):
    assert bookstore_pg.psql("admin", "CREATE ROLE intern LOGIN").returncode == 0
    refused = bookstore_pg.psql("intern", "SELECT 1", db="bookstore")
    assert refused.returncode != 0 and "permission denied for database" in refused.stderr


def _script(cluster: Cluster, *args: str, db: str = "postgres") -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(DBADMIN / "pg_backup.sh"), *args],
        env={**cluster.env, "PGDATABASE": db},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _nightly_dump(cluster: Cluster, directory: Path) -> Path:
    made = _script(cluster, "backup_db", str(directory), db="bookstore")
    assert made.returncode == 0, made.stderr
    return Path(made.stdout.strip())


# --8<-- [start:pg_restore_test]
def test_a_dump_passes_its_drill_on_a_server_without_the_roles(bookstore_pg, tmp_path):
    dump = _nightly_dump(bookstore_pg, tmp_path)
    with pg_cluster() as drill_server:  # a new server: no bookstore_* roles at all
        drill = _script(drill_server, "restore_drill", str(dump))
    # Before --no-privileges: 'role "bookstore_app" does not exist'.
    assert drill.returncode == 0, drill.stderr
    assert drill.stdout.startswith("drill ok: 1 books")


def test_a_restore_on_a_new_server_needs_the_roles_first(bookstore_pg, tmp_path):
    dump = _nightly_dump(bookstore_pg, tmp_path)
    with pg_cluster() as new_server:
        new_server.psql("admin", "CREATE DATABASE bookstore")
        failed = _script(new_server, "restore", str(dump), db="bookstore")
        assert failed.returncode != 0
        assert 'role "bookstore_owner" does not exist' in failed.stderr
        assert "fix: if a role does not exist, run roles.sql" in failed.stderr
        assert "bookstore" not in new_server.psql("admin", r"\dn", db="bookstore").stdout

        new_server.psql("admin", "DROP DATABASE bookstore")
        assert new_server.psql("admin", (DBADMIN / "roles.sql").read_text()).returncode == 0
        restored = _script(new_server, "restore", str(dump), db="bookstore")
        assert restored.returncode == 0, restored.stderr
        # Owners and grants came back with the data: the roles work as before.
        app = new_server.psql("bookstore_app", "SELECT title FROM bookstore.books", "bookstore")
        assert app.returncode == 0 and "Laskar Pelangi" in app.stdout
        report = new_server.psql(
            "bookstore_report", "SELECT email FROM bookstore.users", "bookstore"
        )
        assert "permission denied" in report.stderr


# --8<-- [end:pg_restore_test]


def test_a_dump_is_readable_by_its_owner_only(bookstore_pg, tmp_path):
    dump = _nightly_dump(bookstore_pg, tmp_path)  # e-mail addresses, password hashes...
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600


def test_the_drill_fails_on_a_fake_dump_and_leaves_no_scratch_database(postgres, tmp_path):
    fake = tmp_path / "fake.dump"  # what a failing dump job may leave behind
    fake.write_text("pg_dump: error: connection failed\n")
    assert _script(postgres, "restore_drill", str(fake)).returncode != 0
    left = postgres.psql(
        "admin", "SELECT 'left:' || count(*) FROM pg_database WHERE datname ~ '^drill_'"
    )
    assert "left:0" in left.stdout  # no scratch database outlives a drill


def test_a_failed_backup_leaves_no_file(postgres, tmp_path):
    failed = _script(postgres, "backup_db", str(tmp_path), db="no_such_database")
    assert failed.returncode != 0 and 'database "no_such_database" does not exist' in failed.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_script_answers_bad_arguments_with_a_fix(postgres, tmp_path):
    for args in [(), ("drop_everything",), ("backup_db", str(tmp_path / "nope"))]:
        result = _script(postgres, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("pg_backup.sh: ") and " — fix: " in result.stderr
    for command in ("restore_drill", "restore"):
        result = _script(postgres, command, str(tmp_path / "missing.dump"))
        assert result.returncode == 2 and "fix: pass the path backup_db printed" in result.stderr


# --8<-- [start:explain_analyze_test]
def test_explain_analyze_really_runs_the_update_so_roll_it_back(bookstore_pg):
    def stock() -> str:
        found = bookstore_pg.psql(
            "admin", "SELECT 'stock=' || stock FROM bookstore.books WHERE id = 1", "bookstore"
        )
        return next(word for word in found.stdout.split() if word.startswith("stock="))

    assert stock() == "stock=12"
    measured = bookstore_pg.psql(
        "admin", (DBADMIN / "explain_analyze.sql").read_text(), "bookstore"
    )
    # PostgreSQL 18 prints rows=1.00 and adds an "Index Searches" line; the plan is the same.
    assert re.search(
        r"Index Scan using books_pkey on books \(actual rows=1(\.00)? ", measured.stdout
    )
    assert stock() == "stock=12"  # BEGIN ... ROLLBACK: measured, then undone

    bare = "EXPLAIN ANALYZE UPDATE bookstore.books SET stock = stock - 1 WHERE id = 1"
    assert bookstore_pg.psql("admin", bare, "bookstore").returncode == 0
    assert stock() == "stock=11"  # without it, "only explaining" sold a copy


# --8<-- [end:explain_analyze_test]
