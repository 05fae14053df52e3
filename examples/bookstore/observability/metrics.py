"""Metrics in the Prometheus text exposition format, served at /metrics.

Written here (a counter and a histogram, about 60 lines) so the handbook can show what
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
        with self._lock:  # a copy taken while no inc() runs (requests run in 40 threads)
            series = sorted(self._values.items())
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        for values, total in series:
            lines.append(f"{self.name}{_labels(self.label_names, values)} {total}")
        return lines


# --8<-- [end:counter]


# --8<-- [start:histogram]
class Histogram:
    """Counts of observations (e.g. seconds per request) per upper bound ("le"), kept
    apart per label values (e.g. status_class="5xx": failed requests have their own)."""

    def __init__(self, name: str, help_text: str, labels=(), buckets=LATENCY_BUCKETS) -> None:
        self.name, self.help, self.label_names, self.buckets = name, help_text, labels, buckets
        # label values -> [count per bucket..., count of all, sum of all]
        self._series: dict[tuple[str, ...], list[float]] = {}
        self._lock = threading.Lock()

    def observe(self, value: float, *label_values: str) -> None:
        with self._lock:
            row = self._series.setdefault(label_values, [0] * len(self.buckets) + [0, 0.0])
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    row[i] += 1  # buckets are cumulative
            row[-2] += 1
            row[-1] += value

    def expose(self) -> list[str]:
        with self._lock:  # one snapshot: never a bucket counted without its _count
            series = sorted((values, list(row)) for values, row in self._series.items())
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        names = (*self.label_names, "le")
        for values, row in series:
            for bound, count in zip((*self.buckets, "+Inf"), row[:-1], strict=True):
                lines.append(f"{self.name}_bucket{_labels(names, (*values, str(bound)))} {count}")
            labels = _labels(self.label_names, values)
            lines += [f"{self.name}_sum{labels} {row[-1]}", f"{self.name}_count{labels} {row[-2]}"]
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
            "http_request_duration_seconds",
            "Time to answer an HTTP request, in seconds, by status class.",
            ("status_class",),
        )

    def render(self) -> str:
        return "\n".join(self.requests.expose() + self.latency.expose()) + "\n"
