"""Ordered SQL migrations with a version table (schema_migrations).

Each file bookstore/migrations/NNNN_name.sql runs once, in order, inside a transaction
together with the row that records it: a migration is applied completely or not at all.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file, sorted by version; a gap or duplicate is an error."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"bad migration file name: {path.name}")
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1..n without gaps: {versions}")
    return migrations


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied version, 0 for an empty database."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
    )
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
    return row[0]


# --8<-- [start:migrate]
def migrate(
    conn: sqlite3.Connection, target: int | None = None, directory: Path = MIGRATIONS_DIR
) -> list[int]:
    """Apply pending migrations up to `target` (default: all). Returns the versions applied."""
    applied = []
    done = current_version(conn)
    # Foreign keys are switched off while tables are rebuilt (SQLite ignores this
    # PRAGMA inside a transaction) and checked before each COMMIT instead.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in load_migrations(directory):
            if migration.version <= done or (target is not None and migration.version > target):
                continue
            try:
                conn.executescript("BEGIN IMMEDIATE;\n" + migration.sql)
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
