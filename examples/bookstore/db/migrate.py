"""Ordered SQL migrations with a version table (schema_migrations).

Each file bookstore/migrations/NNNN_name.sql runs once, in order, inside a transaction
together with the row that records it: a migration is applied completely or not at all.
Several instances of the app may start at the same moment: each migration takes SQLite's
write lock first (BEGIN IMMEDIATE) and reads the version under that lock, so only one of
them applies it and the others see it done.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_SPACE_AND_COMMENTS = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)
# BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT or RELEASE as the first word of a statement.
_TRANSACTION_CONTROL = re.compile(
    _SPACE_AND_COMMENTS.pattern + r"(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b",
    re.IGNORECASE | re.DOTALL,
)
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    path: Path


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file, sorted by version; a gap or duplicate is an error."""
    if not directory.is_dir():
        raise ValueError(f"{directory}: no such directory — fix: point to the migrations folder")
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(
                f"{path}: bad migration file name — fix: name it NNNN_name.sql"
                " (four digits, then lowercase letters, digits and _)"
            )
        try:
            sql = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 ({exc.reason}) — fix: save it as UTF-8") from None
        migrations.append(Migration(int(match[1]), match[2], sql, path))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(
            f"{directory}: migration versions must be 1..n without gaps, found {versions}"
            " — fix: renumber the new file to follow the last one"
        )
    return migrations


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied version, 0 for an empty database. Only reads."""
    table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if table is None:
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]


def statements(sql: str) -> Iterator[tuple[int, str]]:
    """The statements of a migration file, one at a time, with the line each starts on.

    Our own code, because the sqlite3 module has no way to run a script inside a
    transaction we began on a connection like ours (isolation_level=None, autocommit left
    at its default): execute() takes one statement, and executescript() commits any open
    transaction first, on Python 3.11 to 3.13 alike (3.12+ skips that COMMIT only for
    autocommit=True or False). The splitting itself is SQLite's: complete_statement()
    uses SQLite's tokenizer, so a ';' inside a string, a comment or a CREATE TRIGGER
    body does not end a statement.
    """
    start = 0
    for end, char in enumerate(sql):
        if char == ";" and sqlite3.complete_statement(sql[start : end + 1]):
            yield _line_of(sql, start), sql[start : end + 1]
            start = end + 1
    rest = sql[start:]
    if not sqlite3.complete_statement(rest + "\n;"):
        raise ValueError(f"unterminated string or statement: {rest.strip()[:60]!r}")
    # Whitespace and comments (a no-op), or a last statement without its ';'.
    yield _line_of(sql, start), rest + "\n;"


def _line_of(sql: str, offset: int) -> int:
    """The line where the statement starting at `offset` has its first word."""
    first_word = _SPACE_AND_COMMENTS.match(sql, offset).end()
    return sql.count("\n", 0, first_word) + 1


def _run(conn: sqlite3.Connection, migration: Migration) -> None:
    """Run every statement of a migration inside the transaction the caller began."""
    try:
        found = list(statements(migration.sql))
    except ValueError as exc:
        raise ValueError(f"{migration.path}: {exc} — fix: close the string or comment") from None
    for line, statement in found:  # checked before anything runs
        if _TRANSACTION_CONTROL.match(statement):
            raise ValueError(
                f"{migration.path}:{line}: migrations must not begin or end transactions"
                " — fix: remove it (each file already runs in one transaction)"
            )
    for line, statement in found:
        try:
            conn.execute(statement)
        except sqlite3.Error as exc:
            exc.add_note(f"{migration.path}:{line}: in this statement")
            raise


# --8<-- [start:migrate]
def migrate(
    conn: sqlite3.Connection, target: int | None = None, directory: Path = MIGRATIONS_DIR
) -> list[int]:
    """Apply pending migrations up to `target` (default: all). Returns the versions applied."""
    applied = []
    # Foreign keys are switched off while tables are rebuilt (SQLite ignores this
    # PRAGMA inside a transaction) and checked before each COMMIT instead.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in load_migrations(directory):
            if target is not None and migration.version > target:
                break
            conn.execute("BEGIN IMMEDIATE")  # the write lock: one migrator at a time
            try:
                conn.execute(_VERSION_TABLE)
                if migration.version <= current_version(conn):  # read under the lock
                    conn.execute("ROLLBACK")  # another instance has applied it
                    continue
                _run(conn, migration)  # each statement of the file, in this transaction
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise sqlite3.IntegrityError(
                        f"migration {migration.version} broke a foreign key"
                    )
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


# --8<-- [end:migrate]


def latest_version() -> int:
    return len(load_migrations())
