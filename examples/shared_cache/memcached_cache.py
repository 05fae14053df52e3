"""The Memcached twin of redis_cache.py (the Shared Caches and CDNs page).

Memcached keeps only strings under keys, in memory, with no persistence, no replication and no
server-side scripts. What it does well is many keys in one round trip: a listing page asks for
twenty books with one `get_many`, and the database loads only the ones that were missing.

pymemcache 4.0 speaks Memcached's text protocol only, not the meta protocol of Memcached 1.6
(which has its own stampede handling), so this twin has no lease: see the page.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from pymemcache.client.base import PooledClient
from pymemcache.exceptions import MemcacheError, MemcacheUnexpectedCloseError

logger = logging.getLogger(__name__)


# --8<-- [start:memcached]
def connect(host: str, port: int, timeout: float = 0.05) -> PooledClient:
    """One connection per thread (a plain pymemcache Client is not thread-safe); errors raise."""
    return PooledClient((host, port), connect_timeout=timeout, timeout=timeout,
                        key_prefix=b"bookstore:v1:")


def book_key(ident: int) -> str:
    """A 64-bit id only (keys: ASCII, no spaces, <= 250 bytes): '1 2' or True is a ValueError."""
    if type(ident) is not int or not 1 <= ident < 2**63:
        raise ValueError(f"bad book id {ident!r}: use an integer from 1 to 2**63 - 1")
    return f"book:{ident}"


class BookCache:
    """Books by id: one round trip to Memcached, then one query for the ids it did not have."""

    def __init__(self, client: PooledClient, ttl: int = 300,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ttl, self.clock = client, ttl, clock
        self._skip_until = 0.0  # Memcached failed: go straight to the database until then

    def get_many_or_load(self, ids: Iterable[int],
                         load_many: Callable[[list[int]], dict[int, Any]]) -> dict[int, Any]:
        wanted = {book_key(i): i for i in ids}
        found = {}
        for key, raw in (self._call(self.client.get_many, list(wanted)) or {}).items():
            try:
                found[wanted[key]] = json.loads(raw)
            except ValueError:  # not JSON (UnicodeDecodeError is a ValueError too): a miss
                logger.warning("dropping unreadable cache value at %s", key)
        missing = [i for i in wanted.values() if i not in found]
        if missing:
            loaded = load_many(missing)
            found.update(loaded)
            values = {book_key(i): json.dumps(v) for i, v in loaded.items()}
            # noreply=False: with pymemcache's default, a refused store is never heard of.
            if refused := self._call(self.client.set_many, values, expire=self.ttl,
                                     noreply=False):
                logger.warning("memcached did not store: %s", refused)
        return found
# --8<-- [end:memcached]

    # --8<-- [start:memcached_invalidate]
    def invalidate_many(self, ids: Iterable[int]) -> None:
        """Call after the database COMMIT. Always tried, even while reads skip Memcached: a
        lost delete leaves the old value for up to the TTL, so a failure is logged as ERROR."""
        keys = [book_key(i) for i in ids]
        try:
            self.client.delete_many(keys, noreply=False)
        except (MemcacheError, OSError) as error:
            logger.error("invalidation of %s failed; other processes may read the old values "
                         "for up to %s s (the TTL): %r", keys, self.ttl, error)

    def _call(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One Memcached command; None on failure. A timeout or a lost connection also skips
        Memcached for 1 s, so a hung server costs one timeout, not two per request."""
        if self.clock() < self._skip_until:
            return None
        try:
            return command(*args, **kwargs)
        except (OSError, MemcacheUnexpectedCloseError) as error:  # timeouts are OSErrors
            self._skip_until = self.clock() + 1.0
            logger.warning("memcached unavailable, using the database for 1 s: %r", error)
        except MemcacheError as error:  # e.g. "object too large for cache"
            logger.warning("memcached refused %s: %r", command.__name__, error)
        return None
    # --8<-- [end:memcached_invalidate]
