"""Move routes from the legacy application to a new service, one at a time, behind nginx.

`apply_routes` writes the map entries nginx reads from strangler-routes.conf (strangler.conf
includes it), checks the whole configuration with `nginx -t` and only then asks nginx to reload.
A reload is graceful: nginx starts new worker processes with the new configuration and lets the
old ones finish the requests they hold, so no request is dropped. Rolling back is the same call
with the previous list of routes.

    python -m evolving.strangler --routes-file /etc/nginx/strangler-routes.conf /books=catalog
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

UPSTREAMS = frozenset({"legacy", "catalog"})  # the upstream blocks of strangler.conf


class RouteError(ValueError):
    """A route or a configuration nginx refuses; the message says how to fix it."""


# --8<-- [start:render]
# One path segment: lowercase letters, digits, "-" and "_". Nothing that nginx's configuration
# syntax or a regular expression would read as code (";", "{", quotes, spaces, "(", "*"...).
PREFIX = re.compile(r"(/[a-z0-9][a-z0-9_-]*)+")


def render_routes(routes: dict[str, str]) -> str:
    """Map entries for strangler.conf: a prefix matches itself and everything below it.
    nginx's map takes the first regular expression that matches, so the longest prefix comes
    first: /books/admin=legacy still wins over /books=catalog."""
    lines = ["# written by evolving/strangler.py; edit the routes there, not here\n"]
    for prefix, upstream in sorted(routes.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        if not PREFIX.fullmatch(prefix):
            raise RouteError(f"route {prefix!r}: not a path prefix such as /books"
                             " — fix: use lowercase segments of a-z, 0-9, '-' or '_'")
        if upstream not in UPSTREAMS:
            raise RouteError(f"route {prefix}: unknown upstream {upstream!r}"
                             f" — fix: use one of {', '.join(sorted(UPSTREAMS))}")
        # "/books" and "/books/..." but not "/bookstore": the prefix ends at a "/" or the end
        lines.append(f"~^{prefix}(/|$) {upstream};\n")
    return "".join(lines)
# --8<-- [end:render]


# --8<-- [start:apply]
def apply_routes(routes: dict[str, str], routes_file: Path, nginx: Sequence[str]) -> None:
    """Write the routes, check nginx's whole configuration, then reload it gracefully.

    `nginx` is the command with its configuration, e.g. ["nginx", "-c", "/etc/nginx/nginx.conf"].
    On any failure the previous routes file is put back and nginx keeps running unchanged."""
    text = render_routes(routes)
    directory = os.open(routes_file.parent, os.O_RDONLY)
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)  # one run at a time: a second one waits here
        _check_and_reload(text, routes_file, nginx)
    finally:
        os.close(directory)


def _check_and_reload(text: str, routes_file: Path, nginx: Sequence[str]) -> None:
    previous = routes_file.read_text(encoding="utf-8") if routes_file.exists() else None
    _write_atomically(routes_file, text)
    for step in (["-t", "-q"], ["-s", "reload"]):  # exit 0 of reload: signal sent, not done
        try:
            result = subprocess.run([*nginx, *step], capture_output=True, text=True,
                                    timeout=30, check=False)
            failed, reason = result.returncode != 0, result.stderr
        except (OSError, subprocess.SubprocessError) as error:  # no nginx binary, a hang
            failed, reason = True, str(error)
        if failed:
            if previous is None:
                routes_file.unlink()
            else:
                _write_atomically(routes_file, previous)
            last = (reason.strip().splitlines() or ["no output"])[-1]
            raise RouteError(f"nginx {' '.join(step)} failed, routes left as they were: {last}"
                             f" — fix: run `{' '.join([*nginx, '-t'])}` to see the full error")


def _write_atomically(path: Path, text: str) -> None:
    """nginx never reads a half-written file: write a uniquely named sibling, then rename it."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name,
                                     suffix=".tmp", delete=False) as temporary:
        temporary.write(text)
    os.replace(temporary.name, path)
# --8<-- [end:apply]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evolving.strangler",
                                     description="Send path prefixes to an upstream of strangler.conf.")
    parser.add_argument("routes", nargs="*", metavar="PREFIX=UPSTREAM",
                        help="the complete list, e.g. /books=catalog; a prefix left out (or none given)"
                        " goes back to legacy")
    parser.add_argument("--routes-file", type=Path, default=Path("/etc/nginx/strangler-routes.conf"))
    parser.add_argument("--nginx", default="nginx", help="the nginx command (default: nginx)")
    args = parser.parse_args(argv)
    if not args.nginx.split():
        print("--nginx is empty — fix: give the nginx command, e.g. --nginx /usr/sbin/nginx",
              file=sys.stderr)
        return 2
    routes: dict[str, str] = {}  # the complete list: a prefix left out goes back to legacy
    for item in args.routes:
        prefix, sep, upstream = item.partition("=")
        if not sep:
            print(f"{item!r}: expected PREFIX=UPSTREAM — fix: write e.g. /books=catalog",
                  file=sys.stderr)
            return 2
        if prefix in routes:  # the last one would silently win
            print(f"route {prefix} given twice — fix: give each prefix once", file=sys.stderr)
            return 2
        routes[prefix] = upstream
    try:
        apply_routes(routes, args.routes_file, args.nginx.split())
    except RouteError as error:
        print(f"{args.routes_file}: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # the routes file or its directory cannot be read or written
        print(f"{args.routes_file}: {error.strerror or error} — fix: check that the directory"
              " exists and that this user may write to it (often: run with sudo)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
