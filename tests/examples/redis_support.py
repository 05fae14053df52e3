"""A throw-away Redis server for the tests of bookstore.jobs.

The server listens on a Unix socket in /tmp only (no TCP port), keeps nothing on disk and is
stopped afterwards. Where redis-server is missing, tests that need it skip with the command
that installs it; with CI=true they fail instead (scripts/setup-system.sh installs it in CI).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from support import skip_or_fail


@contextmanager
def redis_server(home: Path | None = None) -> Iterator[str]:
    """Start redis-server; yields its URL (unix:///tmp/.../redis.sock). Given the same `home`
    again, a new server listens on the same socket: a restart that kept no data."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail(
            "redis-server not found; install it with 'apt-get install redis-server'"
            " (Debian/Ubuntu) to run the background-job tests"
        )
    own_home = home is None
    home = home or Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp"))  # a short socket path
    socket_path = home / "redis.sock"
    server = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"]
        + ["--save", "", "--appendonly", "no", "--dir", str(home)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"unix://{socket_path}"
    try:
        deadline = time.monotonic() + 10
        while True:  # wait until it answers (a bound, not an assertion about speed)
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        if own_home:
            shutil.rmtree(home, ignore_errors=True)
