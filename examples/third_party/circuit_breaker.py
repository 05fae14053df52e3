"""A minimal circuit breaker (Nygard, "Release It!"; Fowler, "CircuitBreaker").

Written here (about 35 lines) so the page can show the whole state machine. In production,
prefer a maintained library for your stack (for example pybreaker in Python,
Resilience4j in Java) or your service mesh's outlier detection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class CircuitOpen(Exception):
    """The upstream is considered down: fail fast without calling it."""


# --8<-- [start:circuit_breaker]
class CircuitBreaker:
    """closed -> (failure_threshold failures in a row) -> open -> (reset_after seconds)
    -> half-open: one trial call; success closes the circuit, failure opens it again."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold, self.reset_after, self.clock = failure_threshold, reset_after, clock
        self.failures, self.opened_at = 0, None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.reset_after else "open"

    def call(self, operation: Callable[[], T]) -> T:
        with self._lock:
            if self.state == "open":
                raise CircuitOpen("upstream unavailable; not calling it for now")
            if self.state == "half-open":
                self.opened_at = self.clock()  # let only this one trial call through
        try:
            result = operation()
        except Exception:
            with self._lock:
                self.failures += 1
                if self.failures >= self.failure_threshold or self.opened_at is not None:
                    self.opened_at = self.clock()  # (re)open: callers fail fast
            raise
        with self._lock:
            self.failures, self.opened_at = 0, None  # a success closes the circuit
        return result


# --8<-- [end:circuit_breaker]
