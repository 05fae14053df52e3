"""Metrics in the Prometheus text exposition format, served at /metrics.

Written here (a counter and a histogram, about 50 lines) so the handbook can show what
the format contains; a real service would normally use the prometheus_client library.
"""

from __future__ import annotations

import threading
from collections import defaultdict

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def _labels(names: tuple[str, ...], values: tuple[str, ...]) -> str:
    pairs = (f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True))
    return "{" + ",".join(pairs) + "}" if names else ""


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


# --8<-- [start:counter]
class Counter:
    """A number that only goes up, e.g. requests served, per label values."""

    def __init__(self, name: str, help_text: str, labels: tuple[str, ...]) -> None:
        self.name, self.help, self.label_names = name, help_text, labels
        self._values: dict[tuple[str, ...], float] = defaultdict(float)
        self._lock = threading.Lock()

    def inc(self, *label_values: str, amount: float = 1.0) -> None:
        with self._lock:
            self._values[label_values] += amount

    def expose(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        for values, total in sorted(self._values.items()):
            lines.append(f"{self.name}{_labels(self.label_names, values)} {total}")
        return lines


# --8<-- [end:counter]


# --8<-- [start:histogram]
class Histogram:
    """Counts of observations (e.g. seconds per request) per upper bound ("le")."""

    def __init__(self, name: str, help_text: str, buckets=LATENCY_BUCKETS) -> None:
        self.name, self.help, self.buckets = name, help_text, buckets
        self._counts = [0] * len(buckets)
        self._sum, self._count = 0.0, 0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        with self._lock:
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    self._counts[i] += 1  # buckets are cumulative
            self._sum += value
            self._count += 1

    def expose(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        for bound, count in zip(self.buckets, self._counts, strict=True):
            lines.append(f'{self.name}_bucket{{le="{bound}"}} {count}')
        lines.append(f'{self.name}_bucket{{le="+Inf"}} {self._count}')
        lines += [f"{self.name}_sum {self._sum}", f"{self.name}_count {self._count}"]
        return lines


# --8<-- [end:histogram]


class Metrics:
    """The service's metrics; one instance per app."""

    def __init__(self) -> None:
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by method, route and status.",
            ("method", "route", "status"),
        )
        self.latency = Histogram(
            "http_request_duration_seconds", "Time to answer an HTTP request, in seconds."
        )

    def render(self) -> str:
        return "\n".join(self.requests.expose() + self.latency.expose()) + "\n"
