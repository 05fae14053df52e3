"""Backups, restore drills and least-privilege roles (examples/dbadmin/)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest
from bookstore.db.connection import connect, transaction
from bookstore.db.migrate import latest_version, migrate
from bookstore.db.seed import seed_demo_data
from dbadmin.backup import backup, restore_drill

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


def test_restore_drill_notices_a_backup_from_an_older_schema(tmp_path):
    old = tmp_path / "old.db"
    conn = connect(str(old))
    migrate(conn, target=3)
    conn.close()
    scratch = tmp_path / "drill"
    scratch.mkdir()
    report = restore_drill(old, scratch, latest_version())
    assert any("schema version 3" in problem for problem in report.problems)


def test_backup_never_leaves_a_partial_file(live_db, tmp_path):
    path, _ = live_db
    backup(path, tmp_path / "b.db")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b.db")) == ["b.db"]


# --- Least privilege on a real PostgreSQL server (skipped where PostgreSQL is missing) ---


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture
def postgres():
    """A throw-away PostgreSQL cluster on a Unix socket only (no TCP port at all)."""
    initdb, pg_ctl, psql = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("psql")
    if not (initdb and pg_ctl and psql):
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl, psql) not found;"
            " install them with 'apt-get install postgresql' (Debian/Ubuntu)"
        )
    as_server_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if shutil.which("runuser") is None or not _user_exists("postgres"):
            pytest.skip(
                "running as root needs runuser and a 'postgres' system user, which"
                " 'apt-get install postgresql' creates (or run the tests as a normal user)"
            )
        as_server_user = ["runuser", "-u", "postgres", "--"]
    home = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))  # short path for the socket
    if as_server_user:
        shutil.chown(home, user="postgres")
    data = home / "data"
    subprocess.run(
        [*as_server_user, initdb, "-D", data, "-A", "trust", "-U", "admin", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-k {home} -c listen_addresses='' -F"
    # The server inherits pg_ctl's stdout/stderr: pipes would never close, so the
    # output goes to a log file and the pipes are not used at all.
    subprocess.run(
        [*as_server_user, pg_ctl, "-D", data, "-l", home / "server.log", "-o", options, "-w"]
        + ["-t", "30", "start"],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )

    def run(user: str, sql: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", home, "-U", user, "-d", "postgres"],
            input=sql,
            text=True,
            capture_output=True,
            timeout=60,
            check=False,  # the caller looks at returncode and stderr
        )

    run.env = {**os.environ, "PGHOST": str(home), "PGUSER": "admin", "PGDATABASE": "postgres"}
    run.bin_dir = str(Path(psql).parent)
    try:
        yield run
    finally:
        subprocess.run(
            [*as_server_user, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# --8<-- [start:least_privilege_test]
def test_each_role_can_do_its_job_and_nothing_more(postgres):
    assert postgres("admin", (DBADMIN / "roles.sql").read_text()).returncode == 0
    assert postgres("bookstore_owner", (DBADMIN / "pg_schema.sql").read_text()).returncode == 0
    assert postgres("bookstore_owner", (DBADMIN / "grants.sql").read_text()).returncode == 0

    def allowed(role: str, sql: str) -> bool:
        result = postgres(role, sql)
        assert (
            result.returncode == 0
            or "permission denied" in result.stderr
            or ("must be owner" in result.stderr)
        ), result.stderr
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


def _script(postgres, *args: str) -> subprocess.CompletedProcess:
    env = {**postgres.env, "PATH": postgres.bin_dir + os.pathsep + os.environ["PATH"]}
    return subprocess.run(
        ["bash", str(DBADMIN / "pg_backup.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_pg_dump_backup_passes_its_restore_drill(postgres, tmp_path):
    assert postgres("admin", (DBADMIN / "roles.sql").read_text()).returncode == 0
    assert postgres("bookstore_owner", (DBADMIN / "pg_schema.sql").read_text()).returncode == 0

    made = _script(postgres, "backup_db", str(tmp_path))
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.is_file() and not Path(f"{dump}.part").exists()

    drill = _script(postgres, "restore_drill", str(dump))
    assert drill.returncode == 0, drill.stderr
    assert drill.stdout.startswith("drill ok: 1 books")

    fake = tmp_path / "fake.dump"  # what a failing dump job may leave behind
    fake.write_text("pg_dump: error: connection failed\n")
    assert _script(postgres, "restore_drill", str(fake)).returncode != 0
    left = postgres(
        "admin", "SELECT 'left:' || count(*) FROM pg_database WHERE datname ~ '^drill_'"
    )
    assert "left:0" in left.stdout  # no scratch database outlives a drill
