"""Ordered migrations with a version table, and a column change that keeps the data."""

import sqlite3
import threading
from decimal import Decimal

import pytest
from bookstore.db.connection import connect
from bookstore.db.migrate import current_version, latest_version, load_migrations, migrate
from dbadmin.migration_race import migrate_reading_first


@pytest.fixture
def conn(tmp_path):
    connection = connect(str(tmp_path / "migrations.db"))
    yield connection
    connection.close()


def test_migrations_apply_in_order_and_only_once(conn):
    assert migrate(conn) == list(range(1, latest_version() + 1))
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [tuple(row) for row in rows][:2] == [
        (1, "create_catalog"),
        (2, "create_users_and_orders"),
    ]
    assert migrate(conn) == []  # nothing pending: running again is safe
    assert current_version(conn) == latest_version()


def test_target_stops_at_a_version(conn):
    assert migrate(conn, target=2) == [1, 2]
    assert migrate(conn, target=3) == [3]


def test_a_failing_migration_leaves_no_trace(conn, tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (tmp_path / "m" / "0002_broken.sql").write_text(
        "CREATE TABLE b (x INTEGER);\nINSERT INTO missing_table VALUES (1);"
    )
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, directory=tmp_path / "m")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "a" in tables and "b" not in tables  # 0002 rolled back as a whole
    assert current_version(conn) == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # switched back on


# --8<-- [start:concurrent_migrators_test]
def test_a_second_instance_starting_at_the_same_moment_skips_what_the_first_applied(tmp_path):
    path = str(tmp_path / "shared.db")
    connect(path).close()  # the database file exists; both instances start on it
    first, second = connect(path), connect(path)
    interleaved = []

    def first_instance_runs_now(statement: str) -> None:
        # Called by SQLite as `second` starts its first BEGIN IMMEDIATE, before it has
        # the lock: the worst moment for `first` to apply every migration.
        if statement.startswith("BEGIN") and not interleaved:
            interleaved.append(migrate(first))

    second.set_trace_callback(first_instance_runs_now)
    assert migrate(second) == []  # before the fix: "table authors already exists"
    assert interleaved == [list(range(1, latest_version() + 1))]
    assert current_version(second) == latest_version()
    first.close()
    second.close()


# --8<-- [end:concurrent_migrators_test]


def test_the_same_moment_breaks_a_migrator_that_reads_the_version_first(tmp_path):
    # What the page means by "before the fix, this test always failed": the bug is kept in
    # dbadmin/migration_race.py, which also counts how often it fails without forcing.
    path = str(tmp_path / "shared.db")
    connect(path).close()
    first, second = connect(path), connect(path)
    interleaved = []

    def first_instance_runs_now(statement: str) -> None:
        if statement.startswith("BEGIN") and not interleaved:
            interleaved.append(migrate(first))

    second.set_trace_callback(first_instance_runs_now)
    with pytest.raises(sqlite3.OperationalError, match="table authors already exists"):
        migrate_reading_first(second)  # it read version 0 before `first` ran
    assert current_version(second) == latest_version()  # first's work is intact
    first.close()
    second.close()


def test_four_instances_starting_together_apply_each_migration_once(tmp_path):
    path = str(tmp_path / "shared.db")
    connect(path).close()
    start = threading.Barrier(4, timeout=30)
    applied: list[int] = []
    errors: list[BaseException] = []

    def instance() -> None:
        conn = connect(path)
        try:
            start.wait()
            applied.extend(migrate(conn))
        except Exception as exc:  # noqa: BLE001 - kept: a thread would lose it
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=instance) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(applied) == list(range(1, latest_version() + 1))  # each one exactly once


def test_reading_the_version_does_not_write(conn):
    # /readyz calls current_version(): a probe must not create tables or take the write lock.
    assert current_version(conn) == 0
    tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []


def test_a_migration_that_commits_half_way_is_refused_before_it_runs(conn, tmp_path):
    (tmp_path / "0001_sneaky.sql").write_text(
        "CREATE TABLE a (x INTEGER);\n-- done\nCOMMIT;\nCREATE TABLE b (x INTEGER);\n"
    )
    with pytest.raises(ValueError, match=r"0001_sneaky.sql:3: migrations must not begin or end"):
        migrate(conn, directory=tmp_path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'a'").fetchone() is None


def test_a_broken_statement_names_its_file_and_line(conn, tmp_path):
    (tmp_path / "0001_typo.sql").write_text(
        "CREATE TABLE a (note TEXT DEFAULT 'a; b');\n\nINSERT INTO nowhere VALUES (1);\n"
    )
    with pytest.raises(sqlite3.OperationalError, match="no such table") as caught:
        migrate(conn, directory=tmp_path)
    assert caught.value.__notes__ == [f"{tmp_path / '0001_typo.sql'}:3: in this statement"]
    (tmp_path / "0001_typo.sql").write_text("INSERT INTO a VALUES ('never closed);\n")
    with pytest.raises(ValueError, match="0001_typo.sql: unterminated"):
        migrate(conn, directory=tmp_path)


def test_a_migration_file_that_is_not_utf8_is_refused_with_a_fix(tmp_path):
    (tmp_path / "0001_latin1.sql").write_bytes("-- caf\xe9\n".encode("latin-1"))  # codespell:ignore
    with pytest.raises(ValueError, match="not UTF-8 .* fix: save it as UTF-8"):
        load_migrations(tmp_path)
    with pytest.raises(ValueError, match="no such directory"):
        load_migrations(tmp_path / "missing")


def test_file_names_must_be_numbered_without_gaps(tmp_path):
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0003_c.sql").write_text("")
    with pytest.raises(ValueError, match="without gaps"):
        load_migrations(tmp_path)
    (tmp_path / "bad name.sql").write_text("")
    with pytest.raises(ValueError, match="bad migration file name"):
        load_migrations(tmp_path)


def test_a_migration_that_breaks_a_foreign_key_is_refused(conn, tmp_path):
    (tmp_path / "0001_parent.sql").write_text(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p_id INTEGER REFERENCES p (id));"
    )
    (tmp_path / "0002_orphan.sql").write_text("INSERT INTO c VALUES (42);")
    with pytest.raises(sqlite3.IntegrityError, match="foreign key"):
        migrate(conn, directory=tmp_path)
    assert conn.execute("SELECT COUNT(*) FROM c").fetchone()[0] == 0


# --8<-- [start:price_migration_test]
def test_price_to_cents_keeps_every_book(conn):
    migrate(conn, target=3)  # the old schema: books.price is REAL
    conn.execute("INSERT INTO authors (id, name) VALUES (1, 'Andrea Hirata')")
    conn.executemany(
        "INSERT INTO books (id, title, author_id, price, stock) VALUES (?, ?, 1, ?, ?)",
        [(1, "Laskar Pelangi", 89000.0, 12), (2, "Sang Pemimpi", 19.99, 3), (3, "Edensor", 0.1, 0)],
    )
    conn.execute("INSERT INTO users (id, email, password_hash) VALUES (1, 'a@b.co', 'x')")
    conn.execute("INSERT INTO orders (id, user_id, total_cents) VALUES (1, 1, 1999)")
    conn.execute("INSERT INTO order_items VALUES (1, 2, 1, 1999)")  # refers to book 2

    migrate(conn)  # 0004 rebuilds the books table

    rows = conn.execute("SELECT id, title, price_cents, stock FROM books ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        (1, "Laskar Pelangi", 8_900_000, 12),
        (2, "Sang Pemimpi", 1999, 3),  # 19.99 as REAL is 19.98999...; ROUND() repairs it
        (3, "Edensor", 10, 0),
    ]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []  # items still point home
    columns = [row["name"] for row in conn.execute("PRAGMA table_info(books)")]
    assert "price" not in columns and "price_cents" in columns
    indexes = [row["name"] for row in conn.execute("PRAGMA index_list(books)")]
    assert "idx_books_author_id" in indexes  # recreated after the rebuild


# --8<-- [end:price_migration_test]


# --8<-- [start:price_refusal_test]
@pytest.mark.parametrize("price", ["abc", "12,50", 19.999, 0.005, 1e300, -1.0])
def test_price_to_cents_refuses_a_price_it_would_have_to_guess(conn, price):
    migrate(conn, target=3)
    conn.execute("INSERT INTO authors (id, name) VALUES (1, 'Andrea Hirata')")
    conn.execute(
        "INSERT INTO books (id, title, author_id, price, stock) VALUES (1, 'Ayah', 1, ?, 1)",
        (price,),
    )
    with pytest.raises(sqlite3.IntegrityError, match="not a price in whole cents") as refused:
        migrate(conn)
    assert "0004_books_price_to_cents.sql:" in refused.value.__notes__[0]  # file:line
    assert current_version(conn) == 3  # rolled back: the old table and its value stay
    assert conn.execute("SELECT price FROM books").fetchone()[0] == price


# --8<-- [end:price_refusal_test]


def test_cents_convert_back_to_exact_decimals():
    from bookstore.services.pricing import from_cents, to_cents

    assert from_cents(1999) == Decimal("19.99")
    assert to_cents(Decimal("19.99")) == 1999
    assert to_cents(Decimal("0.005")) == 1  # half up


def test_existing_accounts_get_their_matching_key(conn, fast_hasher):
    # Before 0008 the address was stored folded, so for these rows it is also the key.
    from bookstore.security.emails import normalize_email
    from bookstore.security.passwords import hash_password
    from bookstore.services import accounts

    migrate(conn, target=7)
    password_hash = hash_password(fast_hasher, "correct horse battery staple")
    conn.executemany(
        "INSERT INTO users (email, password_hash) VALUES (?, ?)",
        [("ana@example.com", password_hash), ("jos\u00e9@b\u00fccher.de", password_hash)],
    )
    migrate(conn)
    rows = conn.execute("SELECT email, email_key FROM users ORDER BY id").fetchall()
    assert [tuple(row) for row in rows] == [
        ("ana@example.com", "ana@example.com"),
        ("jos\u00e9@b\u00fccher.de", "jos\u00e9@b\u00fccher.de"),
    ]
    for typed in ("Ana@Example.com", "Jos\u00e9@B\u00fccher.de"):  # both still log in
        address = normalize_email(typed)  # what the Credentials model passes on
        assert accounts.log_in(conn, fast_hasher, address, "correct horse battery staple", 0.0)
    with pytest.raises(sqlite3.IntegrityError):  # one account per key
        conn.execute(
            "INSERT INTO users (email, password_hash, email_key) VALUES (?, 'x', ?)",
            ("ANA@example.com", "ana@example.com"),
        )
