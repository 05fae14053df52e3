"""Login rate limiting: a sliding window of recent attempts per key.

Written here (about 20 lines) so the handbook can show it whole. It keeps state in this
process only: with several worker processes or servers, keep the counters in a shared
store such as Redis, or limit at the reverse proxy as well (see deploy/nginx.conf).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


# --8<-- [start:rate_limiter]
class RateLimiter:
    """At most `limit` attempts per `window` seconds for each key."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Count one attempt. Returns 0 if allowed, else seconds to wait (for Retry-After)."""
        now = self.clock()
        with self._lock:
            attempts = self._attempts.setdefault(key, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()  # forget attempts older than the window
            if len(attempts) >= self.limit:
                return max(1, math.ceil(attempts[0] + self.window - now))
            attempts.append(now)
            return 0


# --8<-- [end:rate_limiter]
