"""A small in-process cache with expiry (TTL) and explicit invalidation.

Written here instead of using a library so the handbook can show the whole idea in a
few lines; in a service with several processes use a shared cache such as Redis.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


# --8<-- [start:ttl_cache]
class TTLCache:
    """Values expire `ttl` seconds after they were stored; writers invalidate() after COMMIT."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        # Monotonic: a wall clock set back an hour would keep entries an hour too long.
        # Injectable, so tests move time without sleeping.
        self._clock = clock
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._loading: dict[Hashable, set[object]] = {}  # key -> a ticket per load under way
        self._lock = threading.Lock()  # request handlers run in several threads
        self.hits = self.misses = 0

    def get_or_load(self, key: Hashable, load: Callable[[], Any]) -> Any:
        now, ticket = self._clock(), object()
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry[0] > now:
                self.hits += 1
                return entry[1]
            self.misses += 1  # inside the lock too: += is a read and a write
            self._loading.setdefault(key, set()).add(ticket)
        try:
            value = load()  # outside the lock: a slow query does not hold up other keys
        except BaseException:
            with self._lock:
                self._finish(key, ticket)
            raise
        with self._lock:
            # Only invalidate() removes another load's ticket. A missing ticket means the
            # value may predate a COMMIT, so it is not kept; other loads under way are no reason.
            if self._finish(key, ticket):
                self._items[key] = (now + self._ttl, value)
        return value

    # --8<-- [end:ttl_cache]

    # --8<-- [start:ttl_cache_invalidate]
    def invalidate(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._loading.pop(key, None)  # no load under way will store its value

    def _finish(self, key: Hashable, ticket: object) -> bool:
        """Remove a finished load's ticket; False if invalidate() removed it first."""
        tickets = self._loading.get(key, set())
        if ticket not in tickets:
            return False
        tickets.remove(ticket)
        if not tickets:
            del self._loading[key]
        return True

    # --8<-- [end:ttl_cache_invalidate]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._loading.clear()
