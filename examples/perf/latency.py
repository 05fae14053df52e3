"""Measure one HTTP endpoint: latency percentiles (p50, p95, p99) and throughput.

Run from examples/ while the bookstore is running:

    python -m perf.latency http://127.0.0.1:8001/api/v1/books/1 --requests 500 --concurrency 8

Written here instead of using k6, wrk or Locust so the handbook can show in a few lines what
those tools compute. It is a closed loop (each thread waits for its answer before sending the
next request), so it never sends more than the server can take: use a real load-testing tool
to find the breaking point.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

Send = Callable[[], int]  # sends one request; returns the HTTP status, or 0 for no answer


# --8<-- [start:percentile]
def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value that at least p % of the values
    are less than or equal to. p50 is the median; p99 is what the slowest 1 % exceed."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    rank = math.ceil(p / 100 * len(sorted_values))  # 1-based position in the sorted list
    return sorted_values[rank - 1]


# --8<-- [end:percentile]


@dataclass(frozen=True)
class Summary:
    requests: int
    errors: int  # answers outside 200-399, and requests with no usable answer
    seconds: float
    concurrency: int
    durations: tuple[float, ...]  # sorted, in seconds: the answers in 200-399 only
    error_kinds: tuple[tuple[int, int], ...] = ()  # (status, count); status 0: no answer

    def report(self) -> str:
        first = f"requests: {self.requests} (errors: {self.errors}) in {self.seconds:.2f} s"
        lines = [f"{first}, concurrency {self.concurrency}"]
        if self.errors:  # errors apart: a fast 503 or a refused connection is no latency
            kinds = ", ".join(f"{_kind(status)} x{n}" for status, n in self.error_kinds)
            lines.append(f"errors: {kinds} (not counted in throughput or latency)")
        if not self.durations:
            return "\n".join([*lines, "no answer with a status from 200 to 399 to measure"])
        ms = {p: percentile(self.durations, p) * 1000 for p in (50, 95, 99, 100)}
        mean = sum(self.durations) / len(self.durations) * 1000  # for Little's law, below
        lines.append(f"throughput: {len(self.durations) / self.seconds:.1f} requests/s")
        lines.append(
            f"latency ms: p50 {ms[50]:.2f}  p95 {ms[95]:.2f}  p99 {ms[99]:.2f}"
            f"  max {ms[100]:.2f}  mean {mean:.2f}"
        )
        return "\n".join(lines)


def _kind(status: int) -> str:
    return f"status {status}" if status else "no answer"


# --8<-- [start:measure]
def measure(
    senders: Sequence[Send], requests: int, clock: Callable[[], float] = time.perf_counter
) -> Summary:
    """Send `requests` requests in all, each sender from its own thread, and time every call.
    Make and warm up the senders BEFORE this: any setup in here would be timed as latency."""
    if requests < 1 or not senders:
        raise ValueError("need at least one request and one sender")
    n = len(senders)  # split the requests evenly: 500 over 8 threads is 63 or 62 each
    shares = [requests // n + (i < requests % n) for i in range(n)]
    start_line = threading.Barrier(n)  # all threads start together, each with its sender
    parts: list[list[tuple[float, int]]] = [[] for _ in senders]  # one list per thread
    failures: list[Exception] = []

    def run(send: Send, count: int, results: list[tuple[float, int]]) -> None:
        start_line.wait()
        try:
            for _ in range(count):
                start = clock()
                status = send()
                results.append((clock() - start, status))
        except Exception as exc:  # noqa: BLE001 - any bug in a sender: raised again below
            failures.append(exc)

    # Daemon threads, not a ThreadPoolExecutor, which Python waits for on exit: one request
    # stuck in a server's endless headers would keep Ctrl+C from ending the run.
    jobs = zip(senders, shares, parts)
    threads = [threading.Thread(target=run, args=job, daemon=True) for job in jobs]
    started = clock()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # Ctrl+C raises KeyboardInterrupt here, in the main thread
    seconds = clock() - started
    if failures:
        raise failures[0]
    results = [r for part in parts for r in part]
    answered = sorted(duration for duration, status in results if 200 <= status < 400)
    errors = Counter(status for _, status in results if not 200 <= status < 400)
    kinds = tuple(sorted(errors.items()))
    return Summary(requests, errors.total(), seconds, n, tuple(answered), kinds)


# --8<-- [end:measure]


# --8<-- [start:http_senders]
class WarmUpFailed(Exception):
    """A warm-up request got no answer from 200 to 399: there is nothing worth timing."""

    def __init__(self, status: int) -> None:
        super().__init__(_kind(status))
        self.status = status


@contextmanager
def http_senders(url: str, count: int, warm_up: int, timeout: float = 5.0) -> Iterator[list[Send]]:
    """`count` senders, each with its own httpx.Client (one keep-alive connection per
    thread), each already warmed up: connection setup is paid here, before any timing."""
    with ExitStack() as stack:
        clients = [stack.enter_context(httpx.Client(timeout=timeout)) for _ in range(count)]

        def sender(client: httpx.Client) -> Send:
            def send() -> int:
                # httpx's timeout applies to each read, so a server that sends a byte a second
                # never trips it: this deadline covers the body, checked per chunk (not the headers).
                deadline = time.monotonic() + timeout
                try:
                    with client.stream("GET", url) as response:
                        for _ in response.iter_bytes():  # reads and decodes, as .get() does
                            if time.monotonic() > deadline:
                                break  # closing an unread answer drops its connection
                except httpx.HTTPError:  # refused, reset, timed out, undecodable body
                    return 0  # no usable answer
                return response.status_code if time.monotonic() <= deadline else 0

            return send

        senders = [sender(client) for client in clients]
        for send in senders:
            for _ in range(warm_up):  # opens the connection, warms the server's caches
                if not 200 <= (status := send()) < 400:
                    raise WarmUpFailed(status)  # stop now, not after `requests` failures
        yield senders  # the clients close when the caller's `with` block ends


# --8<-- [end:http_senders]


def environment(libraries: dict[str, str]) -> str:
    """What the figures were measured on: they hold for this machine, on this day. Name the
    libraries the figures depend on, e.g. {"httpx": httpx.__version__}."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")),
        platform.machine(),
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = "".join(f", {name} {version}" for name, version in libraries.items())
    return (
        f"measured {when}; {platform.python_implementation()} {platform.python_version()}"
        f"{versions}; {_system()}; {os.cpu_count()} CPUs ({cpu});"
        f" load average {os.getloadavg()[0]:.2f}"
    )


def _system() -> str:
    """'Debian GNU/Linux 12 (bookworm), Linux 6.1.0' where the OS says; else what it can."""
    try:
        name = platform.freedesktop_os_release()["PRETTY_NAME"] + ", "
    except (OSError, KeyError):
        name = ""
    return f"{name}{platform.system()} {platform.release()}"


def _cpuinfo() -> list[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:  # Linux only; else the arch
            return file.read().splitlines()
    except OSError:
        return []


def http_url(text: str) -> str:
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise argparse.ArgumentTypeError(f"{text!r}: give an http:// or https:// URL with a host")
    host = url.raw_host.decode("ascii")  # IDNA-encoded: ü.example is xn--tda.example
    if ":" not in host and not re.fullmatch(r"[A-Za-z0-9._-]+", host):  # ":" is IPv6
        raise argparse.ArgumentTypeError(
            f"{text!r}: the host {url.host!r} has characters no host name has"
            " — fix: check the URL (a space, %, or another stray character)"
        )
    if url.port is not None and not 1 <= url.port <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r}: port {url.port} is outside 1 to 65535 — fix: give the server's port"
        )
    return text


def int_between(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer from low to high, or a clear error (no traceback)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, not {value}")
        return value

    return parse


def seconds_between(low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a number of seconds from low to high, or a clear error."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
        if not low <= value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g} s, not {text}")
        return value

    return parse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", type=http_url)
    parser.add_argument("--requests", type=int_between(1, 1_000_000), default=500)
    parser.add_argument(
        "--concurrency", type=int_between(1, 256), default=8, help="threads (one client each)"
    )
    parser.add_argument(
        "--warm-up",
        type=int_between(0, 10_000),
        default=20,
        help="untimed requests per client, first",
    )
    parser.add_argument(
        "--timeout",
        type=seconds_between(0.1, 600),
        default=5.0,
        help="seconds each request may take, checked as its body arrives; a slower one counts"
        " as no answer (headers that trickle in are not cut off: press Ctrl+C)",
    )
    args = parser.parse_args(argv)
    try:
        with http_senders(args.url, args.concurrency, args.warm_up, args.timeout) as senders:
            summary = measure(senders, args.requests)
    except KeyboardInterrupt:  # one Ctrl+C: a short message, no traceback, exit status 130
        print(
            f"{args.url}: interrupted, nothing measured — fix: if a request hung, the server may"
            " be sending its headers piece by piece, which --timeout does not cut off; look at"
            " it with curl -v",
            file=sys.stderr,
        )
        raise SystemExit(130) from None
    except WarmUpFailed as failed:
        why = "" if failed.status else f" (refused, reset, undecodable or over {args.timeout:g} s)"
        raise SystemExit(
            f"{args.url}: a warm-up request got {failed}{why}, so nothing was timed"
            " — fix: start the server, check the URL, raise --timeout, or pass --warm-up 0"
            " to time the errors"
        ) from None
    print(summary.report())
    print(environment({"httpx": httpx.__version__}))
    if not summary.durations:
        kinds = ", ".join(f"{_kind(status)} x{n}" for status, n in summary.error_kinds)
        raise SystemExit(
            f"{args.url}: no request got an answer from 200 to 399 ({kinds})"
            " — fix: start the server, or check the URL and that it answers GET"
        )


if __name__ == "__main__":
    main()
