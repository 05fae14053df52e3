"""Reading the bookstore's JSON log lines: follow one request, count failures per endpoint.

Run from examples/:

    python -m debugging.read_logs debugging/data/app.log --request-id 7c2e91d04a5b4f3e8a6d2c1b0e9f8a7d
    python -m debugging.read_logs debugging/data/app.log --failures
    python -m debugging.read_logs debugging/data/app.log --between 02:14:00 02:14:32

debugging/read_logs.sh does the same with jq. Python here because the page compares the two.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path


# --8<-- [start:follow_request]
def read_entries(lines: Iterable[str]) -> Iterator[dict]:
    """One dict per JSON line; other lines (a stray print()) are skipped."""
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            yield entry


def follow_request(entries: Iterable[dict], request_id: str) -> list[dict]:
    """Every entry of one request, oldest first: the story of that request."""
    mine = [e for e in entries if e.get("request_id") == request_id]
    return sorted(mine, key=lambda e: e["time"])  # ISO 8601 in UTC sorts as text


# --8<-- [end:follow_request]


# --8<-- [start:failures]
def failures_by_endpoint(entries: Iterable[dict]) -> Counter:
    """(method, path, status) -> how many 5xx answers: where it fails, and how often."""
    return Counter(
        (e["method"], e["path"], e["status"])
        for e in entries
        if e.get("message") == "request finished" and e.get("status", 0) >= 500
    )


def around(entries: Iterable[dict], start: str, end: str) -> list[dict]:
    """Every entry between two times, whatever its request: what else happened then?"""
    return [e for e in entries if start <= e["time"] <= end]


# --8<-- [end:failures]


def describe(entry: dict) -> str:
    """One readable line: time, level, logger, message, then the other fields."""
    skip = {"time", "level", "logger", "message", "request_id", "exception"}
    fields = " ".join(f"{k}={v}" for k, v in entry.items() if k not in skip)
    line = f"{entry['time'][11:23]} {entry['level']:<5} {entry['logger']}: {entry['message']}"
    if fields:
        line += f" {fields}"
    if "exception" in entry:
        line += "\n    " + entry["exception"].splitlines()[-1]  # the exception's last line
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--request-id")
    group.add_argument("--failures", action="store_true")
    group.add_argument("--between", nargs=2, metavar=("HH:MM:SS", "HH:MM:SS"))
    args = parser.parse_args(argv)
    entries = list(read_entries(args.log.read_text(encoding="utf-8").splitlines()))
    if args.request_id:
        for entry in follow_request(entries, args.request_id):
            print(describe(entry))
    elif args.between:
        day = entries[0]["time"][:11] if entries else ""  # "2026-03-02T"
        for entry in around(entries, day + args.between[0], day + args.between[1]):
            print(describe(entry))
    else:
        for (method, path, status), count in failures_by_endpoint(entries).most_common():
            print(f"{count:>4} {method} {path} {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
