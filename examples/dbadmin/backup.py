"""Backing up the bookstore's SQLite database, and the restore drill that proves a backup.

SQLite's online backup API (sqlite3.Connection.backup) is used instead of copying the file:
in WAL mode, committed transactions can still sit in the -wal file beside the database, and
a plain file copy taken while the app runs silently leaves them out. For PostgreSQL the same
roles are played by pg_dump / pg_basebackup and a restore into a scratch server.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

# The tables whose rows a drill counts: an empty "backup" has none.
CHECKED_TABLES = ("authors", "books", "users", "orders", "order_items")


# --8<-- [start:backup]
def backup(source: str | Path, destination: str | Path) -> None:
    """Copy a live database consistently, page by page, with SQLite's backup API.

    It sees every committed transaction (also those still in the -wal file) and never
    half of one. The copy is written under a temporary name and renamed at the end, so a
    crash mid-way never leaves a broken file with the final name."""
    source, destination = Path(source), Path(destination)
    if not source.is_file():  # mode=ro below never creates it, but the message is clearer
        raise FileNotFoundError(f"{source}: no such database file — fix: check the path")
    if not destination.parent.is_dir():
        raise FileNotFoundError(f"{destination.parent}: no such directory — fix: create it")
    if destination.resolve() == source.resolve():  # the rename would swap the live file
        raise ValueError(f"{destination}: is the database itself — fix: back up to another file")
    live = source.resolve()
    if destination.resolve() in {live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal")}:
        raise ValueError(f"{destination}: is the database's own WAL or journal — fix: another name")
    if destination.is_dir():  # os.replace would fail at the very end, after the whole copy
        raise IsADirectoryError(f"{destination}: is a directory — fix: name the backup file")
    partial = destination.with_name(destination.name + ".part")
    partial.unlink(missing_ok=True)
    # The copy holds personal data: readable by its owner only, from the first byte.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # Read-only; as_uri() escapes '#', '?' and '%', which a URI would otherwise misread.
    uri = f"{source.resolve().as_uri()}?mode=ro"
    try:
        with (
            closing(sqlite3.connect(uri, uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
    except BaseException as exc:
        partial.unlink(missing_ok=True)  # no half copy left behind, whatever went wrong
        if isinstance(exc, sqlite3.Error):
            exc.add_note(f"{source}: not copied — fix: point it at a readable SQLite database")
        raise
    os.replace(partial, destination)  # atomic on the same file system


# --8<-- [end:backup]


@dataclass
class DrillReport:
    """What a restore drill found. `ok` is False as soon as one check failed."""

    problems: list[str] = field(default_factory=list)
    schema_version: int = 0
    row_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# --8<-- [start:restore_drill]
def restore_drill(backup_file: Path, scratch_dir: Path, expected_version: int) -> DrillReport:
    """Restore a backup into a scratch database and check that the app could run on it."""
    report = DrillReport()
    if not backup_file.is_file() or backup_file.stat().st_size == 0:
        report.problems.append(f"{backup_file.name}: missing or empty")
        return report
    restored = scratch_dir / "restored.db"
    try:
        backup(backup_file, restored)  # a restore is the same copy, the other way round
        with closing(sqlite3.connect(restored)) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
            report.schema_version = conn.execute(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
            ).fetchone()[0]
            for table in CHECKED_TABLES:  # fixed names from the list above, never user input
                count = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                report.row_counts[table] = count
    # Not a database, a table missing, no scratch folder, or the scratch file is the backup.
    except (sqlite3.DatabaseError, OSError, ValueError) as exc:
        report.problems.append(f"{backup_file.name}: {exc}")
        return report
    if integrity != "ok":
        report.problems.append(f"integrity_check: {integrity}")
    if broken_keys:
        report.problems.append(f"{len(broken_keys)} rows break a foreign key")
    if report.schema_version != expected_version:
        report.problems.append(f"schema version {report.schema_version}, not {expected_version}")
    if report.row_counts.get("books", 0) == 0:
        report.problems.append("no books: the backup holds no data")
    return report


# --8<-- [end:restore_drill]
