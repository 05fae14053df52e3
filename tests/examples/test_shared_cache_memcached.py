"""The Memcached twin (examples/shared_cache/memcached_cache.py) against a real memcached on a
free port. Without memcached the tests skip with the command that installs it (CI fails)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from pymemcache.exceptions import MemcacheIllegalInputError
from shared_cache.memcached_cache import BookCache, connect
from support import skip_or_fail


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_memcached(port: int) -> subprocess.Popen:
    binary = shutil.which("memcached")
    if binary is None:
        skip_or_fail("memcached not found; install it with 'apt-get install memcached'"
                     " (Debian/Ubuntu) to run the Memcached tests")
    root = ["-u", "nobody"] if os.geteuid() == 0 else []  # memcached refuses to run as root
    # Loopback only, and no UDP (-U 0, the default since memcached 1.5.6, stated anyway): an
    # open UDP port was the reflection vector of the 2018 DDoS attacks.
    server = subprocess.Popen([binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "8",
                               *root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:  # wait until it listens (a bound, not an assertion about speed)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("memcached did not start") from None
            time.sleep(0.05)


@pytest.fixture(scope="module")
def memcached():
    port = free_port()
    server = start_memcached(port)
    yield port
    server.terminate()
    server.wait(timeout=10)


class Books:
    def __init__(self) -> None:
        self.queries: list[list[int]] = []

    def load_many(self, ids: list[int]) -> dict[int, dict]:
        self.queries.append(ids)
        return {i: {"id": i, "title": f"Buku {i}"} for i in ids}


# --8<-- [start:memcached_test]
def test_one_round_trip_then_one_query_for_the_missing_books(memcached):
    client, db = connect("127.0.0.1", memcached, timeout=2), Books()
    client.flush_all()
    cache = BookCache(client)
    assert list(cache.get_many_or_load([1], db.load_many)) == [1]
    books = cache.get_many_or_load([1, 2, 3], db.load_many)
    assert sorted(books) == [1, 2, 3] and db.queries == [[1], [2, 3]]  # 1 came from Memcached
    assert cache.get_many_or_load([3, 2, 1], db.load_many) == books and len(db.queries) == 2
    assert client.get("book:2") == b'{"id": 2, "title": "Buku 2"}'
    cache.invalidate_many([2])  # after a write to book 2
    assert client.get("book:2") is None and client.get("book:1") is not None


def test_a_value_over_the_item_size_limit_is_answered_but_not_kept(memcached, caplog):
    client = connect("127.0.0.1", memcached, timeout=2)
    client.flush_all()

    def huge(ids: list[int]) -> dict[int, str]:
        return {i: "x" * 2_000_000 for i in ids}  # 2 MB: above the 1 MB default item size

    with caplog.at_level(logging.WARNING):
        assert len(BookCache(client).get_many_or_load([9], huge)[9]) == 2_000_000
    assert client.get("book:9") is None and "object too large for cache" in caplog.text


def test_memcached_down_means_the_database_answers():
    port, db = free_port(), Books()  # nothing listens there
    cache = BookCache(connect("127.0.0.1", port))
    assert sorted(cache.get_many_or_load([1, 2], db.load_many)) == [1, 2]
    assert db.queries == [[1, 2]]
# --8<-- [end:memcached_test]


def test_a_hung_memcached_costs_one_timeout_then_is_skipped_but_invalidation_is_tried(caplog):
    port, db = free_port(), Books()
    server = start_memcached(port)
    cache = BookCache(connect("127.0.0.1", port, timeout=0.05))
    os.kill(server.pid, signal.SIGSTOP)  # alive but not answering
    try:
        with caplog.at_level(logging.WARNING):
            for _ in range(3):
                assert sorted(cache.get_many_or_load([1, 2], db.load_many)) == [1, 2]
            cache.invalidate_many([1])
    finally:
        os.kill(server.pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
    assert caplog.text.count("memcached unavailable") == 1 and len(db.queries) == 3
    assert [r.levelname for r in caplog.records if "invalidation" in r.message] == ["ERROR"]


def test_bad_ids_are_refused_before_any_key_is_built(memcached):
    cache, db = BookCache(connect("127.0.0.1", memcached, timeout=2)), Books()
    for bad in ("1 2", "7", True, 0, -1, 2**63, int("9" * 240), 1.5):
        with pytest.raises(ValueError, match="bad book id"):
            cache.get_many_or_load([bad], db.load_many)
        with pytest.raises(ValueError, match="bad book id"):
            cache.invalidate_many([bad])
    assert db.queries == []


def test_unreadable_values_are_misses_and_bad_keys_are_refused(memcached):
    client, db = connect("127.0.0.1", memcached, timeout=2), Books()
    client.flush_all()
    client.set("book:5", b"\x80\xff{")
    assert BookCache(client).get_many_or_load([5], db.load_many)[5]["title"] == "Buku 5"
    with pytest.raises(MemcacheIllegalInputError):
        client.get("book 5\r\nflush_all")  # a key with spaces or CR LF never reaches the server
