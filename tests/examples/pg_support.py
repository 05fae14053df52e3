"""Throw-away PostgreSQL clusters for the tests of examples/dbadmin/.

Each cluster is made with initdb in /tmp, listens on a Unix socket only (no TCP port at
all) and is removed afterwards. Tests that need one skip, with the command that installs
PostgreSQL, where the server binaries are missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class Cluster:
    """A running throw-away cluster whose superuser is called `admin`."""

    home: Path
    bin_dir: str

    def psql(self, user: str, sql: str, db: str = "postgres") -> subprocess.CompletedProcess:
        """Run SQL through psql as `user`; the caller looks at returncode and stderr."""
        return subprocess.run(
            [f"{self.bin_dir}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
            + ["-h", str(self.home), "-U", user, "-d", db],
            input=sql,
            text=True,
            capture_output=True,
            timeout=60,
            check=False,
        )

    def conninfo(self, user: str = "admin", db: str = "postgres") -> str:
        return f"host={self.home} user={user} dbname={db}"

    @property
    def env(self) -> dict[str, str]:
        """The libpq variables a script such as pg_backup.sh connects with."""
        return {
            **os.environ,
            "PGHOST": str(self.home),
            "PGUSER": "admin",
            "PGDATABASE": "postgres",
            "PATH": self.bin_dir + os.pathsep + os.environ["PATH"],
        }


@contextmanager
def pg_cluster() -> Iterator[Cluster]:
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
    try:
        subprocess.run(
            [*as_server_user, initdb, "-D", data, "-A", "trust", "-U", "admin", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-k {home} -c listen_addresses='' -F"
        # The server inherits pg_ctl's stdout/stderr: pipes would never close, so the
        # output goes to a log file and the pipes are not used at all.
        subprocess.run(
            [*as_server_user, pg_ctl, "-D", data, "-l", home / "server.log", "-o", options]
            + ["-w", "-t", "30", "start"],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        server_bin = Path(initdb).resolve().parent  # psql, pg_dump... of the same version
        yield Cluster(
            home, str(server_bin if (server_bin / "psql").exists() else Path(psql).parent)
        )
    finally:
        subprocess.run(
            [*as_server_user, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)
