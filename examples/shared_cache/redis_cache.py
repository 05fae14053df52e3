"""A cache shared by many processes, in Redis (the Shared Caches and CDNs page).

Cache-aside: the application looks in Redis first and, on a miss, loads from the database and
stores the answer with a TTL. Three things make it safe to share between processes:

- a lease (SET NX PX with a random token, renewed while the load runs, for at most `wait`) so that N concurrent
  misses run one database load, and a store only if the lease is still ours, so that a write that
  invalidated the key while we were loading cannot be overwritten with the old value (the "lease"
  of Nishtala et al., NSDI 2013);
- JSON, never pickle: a shared cache is written by many programs, and unpickling what any of them
  wrote would run its code;
- failing open: when Redis is down, slow or full, the request is answered from the database, and
  Redis is left alone for a second instead of costing every request a timeout.
"""

from __future__ import annotations

import json
import logging
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)
MISS = object()  # not in the cache
UNAVAILABLE = object()  # Redis failed, refused, or is being skipped
_PART = re.compile(r"[A-Za-z0-9_-]{1,64}")


# --8<-- [start:keys]
def cache_key(namespace: str, version: int, kind: str, ident: str | int) -> str:
    """'bookstore:v1:{book:42}': the version changes with the shape of the stored value, and the
    braces make a Redis Cluster keep the value and its lease in the same slot."""
    parts = [namespace, kind, str(ident)]
    if (not all(_PART.fullmatch(p) for p in parts) or type(version) is not int  # not True
            or not 1 <= version <= 9999):
        raise ValueError(f"bad cache key part in {parts!r} v{version}: use [A-Za-z0-9_-]{{1,64}}")
    return f"{namespace}:v{version}:{{{kind}:{ident}}}"
# --8<-- [end:keys]


# Three tiny Lua scripts, written here because redis-py's Lock can extend and release a lock
# with its token but cannot "store the value only if I still hold the lease" in one atomic step.
_STORE_IF_LEASED = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


# --8<-- [start:client]
def connect(url: str, timeout: float = 0.05) -> redis.Redis:
    """A client that gives up after `timeout` seconds: a cache must never be slower than the
    database it saves. No retries: a failed call is a miss, not something to wait for."""
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                retry=Retry(NoBackoff(), 0))
# --8<-- [end:client]


# --8<-- [start:cache_aside]
class SharedCache:
    """Cache-aside over Redis: get_or_load(key, load) and invalidate(key) after a write."""

    def __init__(self, client: redis.Redis, ttl: float = 300, lease: float = 2.0,
                 wait: float = 5.0, max_bytes: int = 1_000_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.redis, self.ttl, self.lease, self.wait = client, ttl, lease, wait
        self.max_bytes, self.clock = max_bytes, clock
        self._store = client.register_script(_STORE_IF_LEASED)
        self._extend = client.register_script(_EXTEND)
        self._release = client.register_script(_RELEASE)
        self._skip_until = 0.0  # Redis failed: go straight to the database until then
        self._leases: dict[tuple[str, str], float] = {}  # (lease key, token) -> renew until
        self._lock = threading.Lock()
        self._renewer: threading.Thread | None = None

    def get_or_load(self, key: str, load: Callable[[], Any]) -> Any:
        value = self._get(key)
        if value is not MISS:
            return value
        deadline = self.clock() + self.wait
        while True:
            token = secrets.token_hex(16)
            taken = self._call(self.redis.set, f"{key}:lease", token, nx=True,
                               px=int(self.lease * 1000))
            if taken is UNAVAILABLE:  # Redis down, skipped or refusing writes: no waiting
                return load()
            if taken:
                return self._load_and_store(key, token, load)
            value = self._wait_for(key, deadline)  # another process holds the lease
            if value is not MISS:
                return value
            if self.clock() >= deadline:  # the holder is too slow: answer, store nothing
                return load()
            # Its lease is gone without a value (its load failed, or a write invalidated
            # the key): try to take the lease ourselves.
# --8<-- [end:cache_aside]

    # --8<-- [start:invalidate]
    def invalidate(self, key: str) -> None:
        """Call after the database COMMIT: drops the value and any lease, so a load that read
        the old row before the write cannot store it (its lease is gone). Always tried, even
        while reads skip Redis: a lost delete leaves the old value for up to the TTL."""
        try:
            self.redis.delete(key, f"{key}:lease")
        except redis.RedisError as error:
            logger.error("invalidation of %s failed; other processes may read the old value "
                         "for up to %s s (its TTL): %r", key, self.ttl, error)
    # --8<-- [end:invalidate]

    # --8<-- [start:load_and_store]
    def _load_and_store(self, key: str, token: str, load: Callable[[], Any]) -> Any:
        lease_key = f"{key}:lease"
        value = self._get(key)  # stored between our miss and our lease? then no load
        if value is not MISS:
            self._call(self._release, keys=[lease_key], args=[token])
            return value
        self._hold(lease_key, token)
        try:
            value = load()  # ValueError below: NaN or Infinity, which JSON has no words for
            payload = json.dumps(value, separators=(",", ":"), allow_nan=False)  # or TypeError
        except BaseException:
            self._call(self._release, keys=[lease_key], args=[token])
            raise
        finally:
            with self._lock:
                self._leases.pop((lease_key, token), None)
        if len(payload) > self.max_bytes:  # a huge SET would time out and block Redis
            logger.warning("%s is too big to cache: %d bytes > %d", key, len(payload),
                           self.max_bytes)
            self._call(self._release, keys=[lease_key], args=[token])
            return value
        ttl_ms = int(self.ttl * random.uniform(0.9, 1.0) * 1000)  # spread the expiries
        self._call(self._store, keys=[lease_key, key], args=[token, payload, ttl_ms])
        return value
    # --8<-- [end:load_and_store]

    # --8<-- [start:renew]
    def _hold(self, lease_key: str, token: str) -> None:
        """Renew this lease while load() runs, for at most `wait` seconds: the waiters stop
        waiting then anyway, and a hung load must not hold the key for as long as it hangs."""
        with self._lock:
            self._leases[(lease_key, token)] = self.clock() + self.wait
            if self._renewer is None:  # one thread per SharedCache, not one per miss
                self._renewer = threading.Thread(target=self._renew, daemon=True)
                self._renewer.start()

    def _renew(self) -> None:
        """Every lease/3 s, push back the expiry of each lease a load still holds. A thread,
        because load() blocks its caller; if the process dies, the leases expire by themselves."""
        while not threading.Event().wait(self.lease / 3):
            with self._lock:
                if not self._leases:
                    self._renewer = None
                    return
                held = list(self._leases.items())
            for (lease_key, token), until in held:
                kept = 0  # held for `wait` s: let the lease run out so a later caller loads
                if self.clock() < until:
                    try:  # not _call: a blip must not skip Redis, nor end the renewal
                        kept = self._extend(keys=[lease_key],
                                            args=[token, int(self.lease * 1000)])
                    except redis.RedisError:
                        kept = 1  # try again at the next tick, while the lease may be ours
                if kept == 0:  # out of time, or the token is gone (a write invalidated it)
                    with self._lock:
                        self._leases.pop((lease_key, token), None)
    # --8<-- [end:renew]

    # --8<-- [start:fail_open]
    def _call(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one Redis command; on any Redis error answer UNAVAILABLE, so the caller falls
        back to the database. A connection failure or timeout also skips Redis for 1 s."""
        if self.clock() < self._skip_until:
            return UNAVAILABLE
        try:
            return command(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self._skip_until = self.clock() + 1.0
            logger.warning("redis unavailable, using the database for 1 s: %r", error)
        except redis.RedisError as error:  # e.g. OOM under maxmemory-policy noeviction
            logger.warning("redis refused %s: %r", getattr(command, "__name__", "script"), error)
        return UNAVAILABLE

    def _get(self, key: str) -> Any:
        return self._decode(key, self._call(self.redis.get, key))

    def _decode(self, key: str, raw: Any) -> Any:
        if raw is None or raw is UNAVAILABLE:
            return MISS
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):  # not ours, or a half-written format: a miss
            logger.warning("dropping unreadable cache value at %s", key)
            self._call(self.redis.delete, key)
            return MISS
    # --8<-- [end:fail_open]

    # --8<-- [start:wait_for]
    def _wait_for(self, key: str, deadline: float) -> Any:
        """Poll until the lease holder's value appears (return it), its lease is gone or
        Redis fails (MISS: the caller retries the lease), or the deadline passes (MISS).
        The pause doubles from 10 ms to 100 ms: quick for fast loads, cheap for slow ones."""
        pause = 0.01
        while (left := deadline - self.clock()) > 0:
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.1)
            reply = self._call(self.redis.mget, key, f"{key}:lease")
            if reply is UNAVAILABLE:
                return MISS
            value = self._decode(key, reply[0])
            if value is not MISS or reply[1] is None:
                return value
        return MISS
    # --8<-- [end:wait_for]
