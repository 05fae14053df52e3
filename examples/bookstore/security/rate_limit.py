"""Rate limiting (login, sign-up, review posts): a sliding window of recent attempts per key.

Written here (about 30 lines) so the handbook can show it whole. It keeps state in this
process only: with several worker processes or servers, keep the counters in a shared
store such as Redis, or limit at the reverse proxy as well (see deploy/nginx.conf).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


# --8<-- [start:rate_limiter]
class RateLimiter:
    """At most `limit` attempts per `window` seconds for each key, and at most `max_keys`
    keys in memory: a flood of made-up e-mail addresses cannot grow it without end."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,  # monotonic: immune to clock changes
        max_keys: int = 100_000,
    ) -> None:
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        # Least recently used key first, so forgetting one is O(1), never a scan of all.
        self._attempts: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Count one attempt. Returns 0 if allowed, else seconds to wait (for Retry-After)."""
        now = self.clock()
        with self._lock:
            self._forget_idle_keys(now)
            attempts = self._attempts.setdefault(key, deque())
            self._attempts.move_to_end(key)  # just used: the last to be forgotten
            if len(self._attempts) > self.max_keys:  # full: drop the least recently used
                self._attempts.popitem(last=False)
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()  # forget attempts older than the window
            if len(attempts) >= self.limit:
                return max(1, math.ceil(attempts[0] + self.window - now))
            attempts.append(now)
            return 0

    def _forget_idle_keys(self, now: float) -> None:
        # From the front (least recently used) while the key has no attempt in the window.
        while self._attempts:
            attempts = next(iter(self._attempts.values()))
            if attempts and attempts[-1] > now - self.window:
                break
            self._attempts.popitem(last=False)


# --8<-- [end:rate_limiter]
