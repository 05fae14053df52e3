"""Shared cache samples (examples/shared_cache/): each test proves what the Shared Caches and
CDNs page says, against a real redis-server (redis_support) and a real nginx (cdn tests)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pytest
import redis
from redis_support import redis_server
from shared_cache import redis_cache
from shared_cache.redis_cache import SharedCache, cache_key, connect


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def cache(redis_url):
    client = connect(redis_url, timeout=2)  # timeouts are tested below; a busy CI box is slow
    client.flushall()
    return SharedCache(client, ttl=60)


class Database:
    """Stands in for the bookstore's database: counts loads, can be held mid-load."""

    def __init__(self, title: str = "Laskar Pelangi", seconds: float = 0) -> None:
        self.title, self.loads, self.lock, self.seconds = title, 0, threading.Lock(), seconds
        self.hold = threading.Event()
        self.hold.set()
        self.started = threading.Event()

    def load_book(self) -> dict:
        with self.lock:
            self.loads += 1
            title = self.title
        self.started.set()
        self.hold.wait(5)
        if self.seconds:
            time.sleep(self.seconds)  # a slow query
        return {"id": 42, "title": title, "price": "89000.00"}


# --8<-- [start:keys_test]
def test_keys_carry_a_version_and_refuse_hostile_parts():
    assert cache_key("bookstore", 1, "book", 42) == "bookstore:v1:{book:42}"
    for bad in ("42:lease", "4 2", "", "x" * 65, "{42}", "42\n", "buku-ñ"):
        with pytest.raises(ValueError, match="bad cache key part"):
            cache_key("bookstore", 1, "book", bad)
    with pytest.raises(ValueError, match="bad cache key part"):
        cache_key("bookstore", True, "book", 42)  # regression: was "bookstore:vTrue:{book:42}"
# --8<-- [end:keys_test]


# --8<-- [start:cache_aside_test]
def test_a_miss_loads_once_and_stores_json_with_a_ttl(cache):
    db, key = Database(), cache_key("bookstore", 1, "book", 42)
    assert cache.get_or_load(key, db.load_book)["title"] == "Laskar Pelangi"
    assert cache.get_or_load(key, db.load_book)["title"] == "Laskar Pelangi"
    assert db.loads == 1
    assert cache.redis.get(key) == b'{"id":42,"title":"Laskar Pelangi","price":"89000.00"}'
    assert 54_000 <= cache.redis.pttl(key) <= 60_000  # 60 s minus up to 10% jitter


def test_a_write_invalidates_even_a_load_already_running(cache):
    db, key = Database(), cache_key("bookstore", 1, "book", 42)
    db.hold.clear()  # the reader reads the old row, then stalls before storing it
    reader = threading.Thread(target=cache.get_or_load, args=(key, db.load_book))
    reader.start()
    db.started.wait(5)
    db.title = "Laskar Pelangi (edisi revisi)"  # the write commits...
    cache.invalidate(key)  # ...then drops the value and the reader's lease
    db.hold.set()
    reader.join(5)
    assert cache.redis.get(key) is None  # the old title was not stored
    assert cache.get_or_load(key, db.load_book)["title"] == "Laskar Pelangi (edisi revisi)"
# --8<-- [end:cache_aside_test]


# --8<-- [start:stampede_test]
def test_twenty_processes_missing_at_once_load_the_database_once(redis_url):
    db, key = Database(), cache_key("bookstore", 1, "book", 42)
    connect(redis_url).flushall()
    db.hold.clear()
    answers: list[dict] = []
    errors: list[Exception] = []  # a worker's failure, named in the assertion below
    start = threading.Barrier(20)

    def process() -> None:  # each with its own client, as separate processes would have
        try:  # generous timeout and lease: on a busy CI box, neither may run out mid-test
            cache = SharedCache(connect(redis_url, timeout=5), ttl=60, lease=10)
            start.wait(5)
            answers.append(cache.get_or_load(key, db.load_book))
        except Exception as error:  # noqa: BLE001 - recorded, so the assertion names it
            errors.append(error)

    workers = [threading.Thread(target=process) for _ in range(20)]
    for w in workers:
        w.start()
    db.started.wait(5)  # one of them holds the lease and is loading; the others poll
    db.hold.set()
    for w in workers:
        w.join(5)
    assert errors == []
    assert db.loads == 1 and len(answers) == 20 and all(a == answers[0] for a in answers)


def test_a_failed_load_frees_the_lease_for_the_next_caller(cache):
    key = cache_key("bookstore", 1, "book", 404)

    def missing_book() -> dict:
        raise LookupError("no book 404")

    with pytest.raises(LookupError):
        cache.get_or_load(key, missing_book)
    assert cache.redis.exists(f"{key}:lease") == 0
# --8<-- [end:stampede_test]


# --8<-- [start:slow_load_test]
def test_a_load_slower_than_a_second_still_runs_once(redis_url):
    # Regression: waiters gave up after 1 s and each loaded; with a 1.5 s query, 20 loads.
    db, key = Database(seconds=1.5), cache_key("bookstore", 1, "book", 43)
    connect(redis_url).flushall()
    caches = [SharedCache(connect(redis_url, timeout=2), ttl=60) for _ in range(20)]
    start = threading.Barrier(20)
    answers: list[dict] = []
    errors: list[Exception] = []

    def process(cache: SharedCache) -> None:
        try:
            start.wait(5)
            answers.append(cache.get_or_load(key, db.load_book))
        except Exception as error:  # noqa: BLE001 - recorded, so the assertion names it
            errors.append(error)

    workers = [threading.Thread(target=process, args=(c,)) for c in caches]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    assert errors == [] and db.loads == 1 and len(answers) == 20


def test_a_load_slower_than_the_lease_is_stored(redis_url):
    # Regression: a 3 s query outlived its 2 s lease, a waiter took a new lease and loaded
    # too, and neither could store (each store found another token): never cached.
    db, key = Database(seconds=3), cache_key("bookstore", 1, "book", 44)
    holder, waiter = (SharedCache(connect(redis_url, timeout=2), ttl=60) for _ in range(2))
    holder.redis.flushall()
    first = threading.Thread(target=holder.get_or_load, args=(key, db.load_book))
    first.start()
    db.started.wait(5)
    assert waiter.get_or_load(key, db.load_book)["id"] == 42
    first.join(10)
    assert db.loads == 1 and holder.redis.get(key) is not None

# --8<-- [end:slow_load_test]


def test_a_hung_load_gives_the_lease_up_after_wait(redis_url):
    # Regression: the lease was renewed for as long as load() hung, so every caller of the
    # key waited the full `wait` and then loaded without storing, for as long as it hung.
    key, hung = cache_key("bookstore", 1, "book", 45), threading.Event()
    holder = SharedCache(connect(redis_url, timeout=2), ttl=60, lease=0.3, wait=0.6)
    holder.redis.flushall()
    first = threading.Thread(target=holder.get_or_load, args=(key, lambda: hung.wait(10)))
    first.start()
    guard = time.monotonic() + 60  # renewals stop at 0.6 s, the lease ends by 0.9 s
    while holder.redis.exists(f"{key}:lease"):
        if time.monotonic() > guard:  # a hang guard, never a measured budget
            raise AssertionError("the hung load kept its lease")
        time.sleep(0.05)
    later = SharedCache(connect(redis_url, timeout=2), ttl=60)
    assert later.get_or_load(key, lambda: {"id": 45}) == {"id": 45}  # it took the lease
    assert later.redis.get(key) == b'{"id":45}'  # and stored
    hung.set()
    first.join(5)
    assert later.redis.get(key) == b'{"id":45}'  # the hung load's store was refused


def test_one_failed_renewal_does_not_end_the_lease(redis_url):
    # Regression: one failed PEXPIRE (a 50 ms blip) ended the renewals, the lease ran out
    # mid-load, and a waiter loaded the same row again.
    db, key = Database(), cache_key("bookstore", 1, "book", 46)
    holder = SharedCache(connect(redis_url, timeout=2), ttl=60, lease=1.5)
    holder.redis.flushall()
    real_extend, calls, renewed = holder._extend, [], threading.Event()

    def extend_that_fails_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise redis.TimeoutError("a 50 ms blip")
        if len(calls) >= 3:
            renewed.set()
        return real_extend(**kwargs)

    holder._extend = extend_that_fails_once
    db.hold.clear()
    first = threading.Thread(target=holder.get_or_load, args=(key, db.load_book))
    first.start()
    assert renewed.wait(5), f"renewal stopped after {len(calls)} call(s)"
    assert holder.redis.exists(f"{key}:lease") == 1  # past 1.5 s, still ours
    db.hold.set()
    first.join(5)
    assert db.loads == 1 and holder.redis.get(key) is not None


def test_concurrent_misses_share_one_renewal_thread(cache):
    # Regression: one thread per miss; 200 concurrent misses ran 401 threads.
    held, started, before = threading.Event(), threading.Semaphore(0), threading.active_count()

    def load() -> dict:
        started.release()
        held.wait(5)
        return {"id": 1}

    workers = [threading.Thread(target=cache.get_or_load,
                                args=(cache_key("bookstore", 1, "book", i), load))
               for i in range(10)]
    for w in workers:
        w.start()
    for _ in workers:
        assert started.acquire(timeout=5)
    assert threading.active_count() <= before + 10 + 1  # the 10 callers and one renewer
    held.set()
    for w in workers:
        w.join(5)


def test_a_value_stored_between_our_miss_and_our_lease_is_not_loaded_again(cache):
    # Regression: another process stores the value and frees its lease right after our GET
    # missed; we then win a fresh lease. The read after taking the lease must find the value.
    db, key = Database(), cache_key("bookstore", 1, "book", 42)
    cache.redis.set(key, b'{"id":42,"title":"Laskar Pelangi","price":"89000.00"}')
    real_get, calls = cache.redis.get, []

    def get_that_misses_once(name):
        calls.append(name)
        return None if len(calls) == 1 else real_get(name)

    cache.redis.get = get_that_misses_once
    assert cache.get_or_load(key, db.load_book)["title"] == "Laskar Pelangi"
    assert db.loads == 0 and len(calls) == 2 and cache.redis.exists(f"{key}:lease") == 0


def test_a_value_that_is_not_json_is_a_miss_and_is_replaced(cache, caplog):
    db, key = Database(), cache_key("bookstore", 1, "book", 42)
    # bytes another program wrote: broken UTF-8, then a pickle (never unpickled, only dropped)
    for junk in (b"\x80\xff{", b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K*."):
        cache.redis.set(key, junk)
        with caplog.at_level(logging.WARNING):
            assert cache.get_or_load(key, db.load_book)["id"] == 42
        assert cache.redis.get(key).startswith(b'{"id":42')
        cache.redis.delete(key)
    assert db.loads == 2 and "dropping unreadable cache value" in caplog.text


def test_an_invalidation_inside_the_skip_window_still_reaches_redis(redis_url, caplog):
    # Regression: one timeout made invalidate() a silent no-op for a second, so the other
    # processes kept reading the old title until its TTL ran out.
    writer, reader = (SharedCache(connect(redis_url, timeout=2), ttl=60) for _ in range(2))
    key = cache_key("bookstore", 1, "book", 42)
    writer.redis.set(key, b'{"title":"old"}')
    real_get = writer.redis.get
    writer.redis.get = lambda name: (_ for _ in ()).throw(redis.TimeoutError("a 50 ms blip"))
    assert writer.get_or_load(key, lambda: {"title": "new"}) == {"title": "new"}  # now skipping
    writer.redis.get = real_get
    writer.invalidate(key)  # the write's invalidation, inside the skip second
    assert reader.get_or_load(key, lambda: {"title": "new"}) == {"title": "new"}


def test_a_skipped_redis_costs_no_waiting(redis_url, monkeypatch):
    # Regression: a failed SET NX looked like "another process holds the lease", so every
    # request while Redis was skipped slept 10 ms in the wait loop before loading.
    cache, db = SharedCache(connect(redis_url, timeout=2), ttl=60), Database()
    cache.redis.get = lambda name: (_ for _ in ()).throw(redis.ConnectionError("down"))
    monkeypatch.setattr(redis_cache.time, "sleep", lambda s: pytest.fail(f"slept {s} s"))
    for _ in range(3):
        assert cache.get_or_load(cache_key("bookstore", 1, "book", 42), db.load_book)["id"] == 42
    assert db.loads == 3


def test_a_value_too_big_to_cache_is_answered_and_not_stored(cache, caplog):
    # Regression: a 60 MB value made SET time out, and Redis was skipped for every process
    # that loaded it; now anything over max_bytes (1 MB by default) is never sent.
    key = cache_key("bookstore", 1, "catalog", "all")
    with caplog.at_level(logging.WARNING):
        assert len(cache.get_or_load(key, lambda: "x" * 2_000_000)) == 2_000_000
    assert cache.redis.get(key) is None and cache.redis.exists(f"{key}:lease") == 0
    assert "too big to cache" in caplog.text


def test_a_value_json_cannot_spell_is_refused_and_frees_the_lease(cache):
    # Regression: NaN was stored as the bare word NaN, which other languages' JSON readers
    # refuse; now json.dumps(allow_nan=False) raises, as for any other value that is not JSON.
    key = cache_key("bookstore", 1, "rating", 42)
    with pytest.raises(ValueError, match="JSON compliant"):
        cache.get_or_load(key, lambda: {"rating": float("nan")})
    assert cache.redis.get(key) is None and cache.redis.exists(f"{key}:lease") == 0


# --8<-- [start:fail_open_test]
def test_redis_stopped_requests_are_answered_from_the_database(caplog):
    db = Database()
    with redis_server() as url:
        cache = SharedCache(connect(url, timeout=2), ttl=60)
        key = cache_key("bookstore", 1, "book", 42)
        cache.get_or_load(key, db.load_book)
        try:
            cache.redis.shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closed the connection as it went down
        with caplog.at_level(logging.WARNING):
            answers = [cache.get_or_load(key, db.load_book) for _ in range(3)]
            cache.invalidate(key)  # a write while Redis is down: tried, logged, not raised
    assert all(a["title"] == "Laskar Pelangi" for a in answers) and db.loads == 4
    assert caplog.text.count("redis unavailable") == 1  # then reads skip Redis for 1 s
    assert [r.levelname for r in caplog.records if "invalidation" in r.message] == ["ERROR"]


def test_a_hung_redis_costs_one_timeout_then_the_database_answers(caplog):
    db = Database()
    with redis_server() as url:
        pid = redis.Redis.from_url(url).info("server")["process_id"]
        cache = SharedCache(connect(url, timeout=0.05), ttl=60)
        os.kill(pid, signal.SIGSTOP)  # alive but not answering, like a swapped-out server
        try:
            with caplog.at_level(logging.WARNING):
                answer = cache.get_or_load(cache_key("bookstore", 1, "book", 7), db.load_book)
        finally:
            os.kill(pid, signal.SIGCONT)
    assert answer["id"] == 42 and db.loads == 1 and "Timeout" in caplog.text
# --8<-- [end:fail_open_test]


# --8<-- [start:eviction_test]
def test_a_full_redis_with_noeviction_refuses_writes_and_lru_evicts(redis_url, caplog):
    admin = redis.Redis.from_url(redis_url)
    cache, db = SharedCache(connect(redis_url, timeout=2), ttl=60), Database()
    cache.get_or_load(cache_key("bookstore", 1, "book", 1), db.load_book)  # scripts loaded
    admin.flushall()
    assert admin.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
    for i in range(200):  # 200 KB of other data, then the limit just below what Redis uses
        admin.set(f"filler:{i}", b"x" * 1024)
    admin.config_set("maxmemory", admin.info("memory")["used_memory"] - 1)
    try:
        with pytest.raises(redis.exceptions.OutOfMemoryError):
            admin.set("filler:one-more", b"x" * 1024)
        key = cache_key("bookstore", 1, "book", 42)
        with caplog.at_level(logging.WARNING):
            assert cache.get_or_load(key, db.load_book)["id"] == 42  # answered, not stored
        assert admin.get(key) is None and "redis refused" in caplog.text
        admin.config_set("maxmemory-policy", "allkeys-lru")
        assert cache.get_or_load(key, db.load_book)["id"] == 42
        assert admin.get(key) is not None and admin.info("stats")["evicted_keys"] > 0
    finally:
        admin.config_set("maxmemory", 0)
        admin.config_set("maxmemory-policy", "noeviction")
# --8<-- [end:eviction_test]
