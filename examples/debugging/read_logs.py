"""Reading the bookstore's JSON log lines: follow one request, count failures per endpoint.

Run from examples/:

    python -m debugging.read_logs debugging/data/app.log \
        --request-id 7c2e91d04a5b4f3e8a6d2c1b0e9f8a7d
    python -m debugging.read_logs debugging/data/app.log --failures
    python -m debugging.read_logs debugging/data/app.log --between 02:14:00 02:14:32

Times in the log are UTC; --between compares them on the log's first day. A line that is not
a JSON object (a stray print(), a line cut off when the disk filled up) is skipped, and so is
a field with the wrong type: a log is evidence, and the script must not fall over on it. A
field that is missing or null prints as "?"; a character that cannot be printed (a lone
surrogate such as \\ud800) prints as a \\u escape.
debugging/read_logs.sh does the same with jq. Python here because the page compares the two.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path


# --8<-- [start:follow_request]
def read_entries(lines: Iterable[str]) -> Iterator[dict]:
    """One dict per JSON object line with a text "time"; other lines are skipped."""
    for line in lines:
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
            continue  # a stray print(), a line cut off halfway, [[[[... nested too deep
        if isinstance(entry, dict) and isinstance(entry.get("time"), str):
            yield entry


def follow_request(entries: Iterable[dict], request_id: str) -> list[dict]:
    """Every entry of one request, oldest first: the story of that request."""
    mine = [e for e in entries if e.get("request_id") == request_id]
    # ISO 8601 sorts as text when every time has the same form, as the service writes them
    # (UTC, milliseconds, +00:00); a log that mixes Z or other offsets needs fromisoformat.
    return sorted(mine, key=lambda e: e["time"])


# --8<-- [end:follow_request]


# --8<-- [start:failures]
def text(value: object) -> str:
    """A field as text; missing and null are both "?", as jq writes both as null."""
    return "?" if value is None else str(value)  # str: a list is no key


def status_of(entry: dict) -> int | None:
    """The HTTP status as jq reads it: 500, 500.0 and 5e2 are all 500; text is no status."""
    status = entry.get("status")
    if type(status) is float and status.is_integer():  # not 500.5, inf or nan
        status = int(status)
    return status if type(status) is int else None  # type(True) is bool, not int


def failures_by_endpoint(entries: Iterable[dict]) -> Counter:
    """(method, path, status) -> how many 5xx answers: where it fails, and how often."""
    return Counter(
        (text(e.get("method")), text(e.get("path")), status)
        for e in entries
        if e.get("message") == "request finished"
        and (status := status_of(e)) is not None
        and 500 <= status <= 599
    )


def around(entries: Iterable[dict], start: str, end: str) -> list[dict]:
    """Every entry between two times, whatever its request: what else happened then?"""
    return [e for e in entries if start <= e["time"] <= end]


# --8<-- [end:failures]


def describe(entry: dict) -> str:
    """One readable line: time, level, logger, message, then the other fields."""
    skip = {"time", "level", "logger", "message", "request_id", "exception"}
    fields = " ".join(f"{k}={text(v)}" for k, v in entry.items() if k not in skip)
    level, logger = text(entry.get("level")), text(entry.get("logger"))  # null, [1]
    message = entry.get("message")
    line = f"{entry['time'][11:23]} {level:<5} {logger}: {'' if message is None else message}"
    if fields:
        line += f" {fields}"
    if isinstance(entry.get("exception"), str) and entry["exception"].strip():
        line += "\n    " + entry["exception"].strip().splitlines()[-1]  # its last line
    return line


def clock(text: str) -> str:
    """argparse type for --between: HH:MM:SS, optionally with .fff."""
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a time — fix: write it as 02:14:00")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--request-id")
    group.add_argument("--failures", action="store_true")
    group.add_argument("--between", nargs=2, type=clock, metavar=("HH:MM:SS", "HH:MM:SS"))
    args = parser.parse_args(argv)
    # A JSON string may hold a lone surrogate (\ud800 in the log) that no encoding can write,
    # and PYTHONIOENCODING=ascii refuses any non-ASCII letter: print both as \u escapes
    # instead of stopping with a UnicodeEncodeError.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        # errors="replace": a broken byte in one line must not hide the other lines.
        text = args.log.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        problem = f"cannot read it ({error.strerror})"
        print(f"{args.log}: {problem} — fix: give the path of a log file", file=sys.stderr)
        return 2
    entries = list(read_entries(text.splitlines()))
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
