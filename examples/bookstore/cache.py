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
        self._loading: dict[Hashable, object] = {}  # key -> ticket of its newest load
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
            self._loading[key] = ticket
        try:
            value = load()  # outside the lock: a slow query does not hold up other keys
        except BaseException:
            with self._lock:
                if self._loading.get(key) is ticket:
                    del self._loading[key]
            raise
        with self._lock:
            # Keep it only if no invalidate() or newer load came meanwhile: it may predate a COMMIT.
            if self._loading.get(key) is ticket:
                del self._loading[key]
                self._items[key] = (now + self._ttl, value)
        return value

    def invalidate(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)
            self._loading.pop(key, None)  # a load under way will not store its value

    # --8<-- [end:ttl_cache]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._loading.clear()
