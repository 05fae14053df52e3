"""A minimal circuit breaker (Nygard, "Release It!"; Fowler, "CircuitBreaker").

Written here (about 45 lines) so the page can show the whole state machine. In production,
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
    -> half-open: one trial call; its success closes the circuit, its failure reopens it."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        failure_types: tuple[type[BaseException], ...] = (Exception,),  # what counts
    ) -> None:
        self.failure_threshold, self.reset_after, self.clock = failure_threshold, reset_after, clock
        self.failure_types = failure_types
        self.failures, self.opened_at, self.trial_running = 0, None, False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.reset_after else "open"

    # --8<-- [end:circuit_breaker]

    # --8<-- [start:circuit_breaker_call]
    def call(self, operation: Callable[[], T]) -> T:
        with self._lock:
            state = self.state
            if state == "open" or (state == "half-open" and self.trial_running):
                raise CircuitOpen("upstream unavailable; not calling it for now")
            trial = state == "half-open"  # this call is the one trial
            self.trial_running = self.trial_running or trial
        try:
            result = operation()
        except BaseException as exc:
            with self._lock:
                self.trial_running = self.trial_running and not trial  # the trial is over
                if isinstance(exc, self.failure_types):
                    self.failures += 1
                    if trial or self.failures >= self.failure_threshold:
                        self.opened_at = self.clock()  # (re)open: callers fail fast
            raise
        with self._lock:
            self.trial_running = self.trial_running and not trial
            if trial or self.opened_at is None:  # a late success of an older call: ignored
                self.failures, self.opened_at = 0, None
        return result

    # --8<-- [end:circuit_breaker_call]
