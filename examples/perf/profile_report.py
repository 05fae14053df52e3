"""Profile the slow report of perf/sales_report.py three ways. Run from examples/:

    python -m perf.profile_report cprofile            # deterministic: every call, counted
    python -m perf.profile_report pyinstrument        # sampling: the call stack every 1 ms
    python -m perf.profile_report flamegraph -o FILE  # py-spy samples the server: an SVG
    python -m perf.profile_report cprofile --fixed    # the same, after the fix
    python -m perf.profile_report compare             # slow against fixed: wall and CPU time
    python -m perf.profile_report compare --books 4000   # more books, the same orders

pyinstrument sees only the thread that starts it, and so does cProfile up to Python 3.11
(from 3.12 cProfile records every thread's calls, mixed into one profile), so both profile
the report function directly, on the same data the endpoint reads. py-spy reads the stacks
of every thread of another process from outside it, so it profiles the real server while
requests arrive.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
from lxml import etree

from perf.latency import environment, int_between
from perf.sales_report import Report, open_report_db, sales_by_author, sales_by_author_slow

EXAMPLES = Path(__file__).resolve().parent.parent


def best_seconds(
    function: Callable[[], object], repeat: int = 3, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of `repeat` runs: the least disturbed by the rest of the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        function()
        best = min(best, clock() - start)
    return best


# --8<-- [start:cprofile]
def with_cprofile(report: Report, conn, top: int = 8) -> str:
    profiler = cProfile.Profile()
    profiler.enable()  # from here on, every call and return in this thread is recorded
    report(conn)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()  # file names without folders
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)  # by time spent in the function
    return out.getvalue()


# --8<-- [end:cprofile]


# --8<-- [start:pyinstrument]
def with_pyinstrument(report: Report, conn) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)  # look at the call stack every millisecond
    with profiler:
        report(conn)
    text = profiler.output_text(unicode=True, color=False)
    return text.replace(f"{EXAMPLES}{os.sep}", "")  # paths from examples/, as in the tree


# --8<-- [end:pyinstrument]


def overhead(report: Report, conn) -> str:
    """How much more CPU time the report takes under cProfile, which pays for every call it
    counts. CPU time, not the wall clock: on a busy machine the wall clock also counts the
    wait for a free core, and the ratio then says more about the machine than the profiler."""
    plain = best_seconds(lambda: report(conn), clock=time.process_time)
    profiled = best_seconds(lambda: with_cprofile(report, conn), clock=time.process_time)
    return (
        f"{report.__name__}, CPU time, best of 3 runs: {plain * 1e3:.1f} ms alone,"
        f" {profiled * 1e3:.1f} ms under cProfile ({profiled / plain:.1f}x)"
    )


# --8<-- [start:compare]
def compare(conn, repeat: int = 5) -> str:
    """Slow and fixed report by wall-clock time (what a user waits) and by CPU time (the
    work done): on a busy machine the wall clock also counts the wait for a free core."""
    lines, times = [], {}
    for report in (sales_by_author_slow, sales_by_author):
        run = partial(report, conn)
        wall, cpu = best_seconds(run, repeat), best_seconds(run, repeat, time.process_time)
        times[report] = (wall, cpu)
        lines.append(f"{report.__name__:<21} wall {wall * 1e3:8.2f} ms, CPU {cpu * 1e3:8.2f} ms")
    (slow_wall, slow_cpu), (wall, cpu) = times.values()
    lines.append(
        f"the fix: {slow_wall / wall:.0f}x faster by wall clock, {slow_cpu / cpu:.0f}x by CPU"
    )
    return "\n".join(lines)


# --8<-- [end:compare]


# --- flame graph: py-spy records the real server --------------------------------------

PY_SPY_DOCS = "https://github.com/benfred/py-spy#when-do-you-need-to-run-as-sudo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --8<-- [start:record_flamegraph]
def record_flamegraph(svg: Path, requests: int, fixed: bool, database: Path) -> str:
    """Start the report server, attach py-spy to it (as you would in production), send
    `requests` requests, stop py-spy as Ctrl+C would, and return py-spy's summary."""
    port = free_port()
    server = [sys.executable, "-m", "perf.sales_report", "--port", str(port)]
    server += ["--database", str(database)] + (["--fixed"] if fixed else [])
    with subprocess.Popen(server, cwd=EXAMPLES) as app:
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                wait_until_up(client, app)  # start-up (imports) stays out of the profile
                spy = start_py_spy(app.pid, svg)
                try:
                    for _ in range(requests):
                        client.get("/reports/sales-by-author").raise_for_status()
                finally:
                    spy.send_signal(signal.SIGINT)  # like Ctrl+C: py-spy writes the SVG
                    output, _ = spy.communicate(timeout=60)
        finally:
            app.terminate()  # SIGTERM: uvicorn finishes and exits
    if spy.returncode != 0 or not svg.exists():
        reason = output.split("Stack backtrace:")[0].strip()  # Rust's frames help no reader
        raise SystemExit(f"py-spy failed ({spy.returncode}): {reason}")
    return output


# --8<-- [end:record_flamegraph]


def py_spy() -> str:
    """The py-spy next to this Python (the virtual environment's), else the one on PATH."""
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if found is None:
        raise SystemExit("py-spy is not installed — fix: pip install -r requirements.txt")
    return found


def start_py_spy(pid: int, svg: Path) -> subprocess.Popen:
    """`py-spy record --pid`, once it has attached. Attaching to a process that is not your
    child needs root or CAP_SYS_PTRACE on Linux (py-spy's FAQ); without them, say how."""
    command = [py_spy(), "record", "--pid", str(pid), "--rate", "250", "--function"]
    command += ["--format", "flamegraph", "--output", str(svg)]
    spy = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in spy.stdout:  # py-spy says when it samples, or why it cannot
        seen.append(line)
        if "Sampling process" in line:
            return spy
    spy.wait()
    raise PermissionError(
        f"py-spy could not attach to {pid}: {''.join(seen).strip()} — fix: run as root"
        f" (sudo), or add the SYS_PTRACE capability to the container; see {PY_SPY_DOCS}"
    )


def wait_until_up(client: httpx.Client, app: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until the server accepts connections, then send the first, cold request. Only a
    refused connection is retried: a slow answer on a busy machine is waited for (the
    client's timeout), not abandoned and sent again, which would pile requests up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise SystemExit(f"the report server stopped (exit status {app.returncode})")
        try:
            client.get("/reports/sales-by-author")  # also the first, cold request
            return
        except httpx.ConnectError:
            time.sleep(0.2)
        except httpx.TimeoutException:
            raise SystemExit(
                "the report server did not answer its first request in time — fix: run it on"
                " a less busy machine, or retry"
            ) from None
    raise SystemExit(f"the report server did not start within {seconds:.0f} s")


SVG = "{http://www.w3.org/2000/svg}"
FG = "{http://github.com/jonhoo/inferno}"


def make_offline(svg: Path, title: str) -> None:
    """Keep the picture, drop what needs a browser or the network: py-spy's SVG carries a
    script (zoom and search, which do not run in an <img> anyway), a DOCTYPE pointing at the
    W3C, and comments with links. The XML namespace names stay: they are names, never
    fetched. lxml does the editing: a regular expression on XML breaks on the first oddity."""
    tree = etree.parse(str(svg), etree.XMLParser(remove_comments=True, resolve_entities=False))
    root = tree.getroot()
    for script in root.iter(f"{SVG}script"):
        script.getparent().remove(script)
    for element in root.iter():
        for name in [n for n in element.attrib if n.startswith(FG) or n == "onload"]:
            del element.attrib[name]
    for element_id in ("unzoom", "search", "matched", "details"):  # buttons for the script
        for element in root.iterfind(f".//{SVG}text[@id='{element_id}']"):
            element.getparent().remove(element)
    for element in root.iterfind(f".//{SVG}text[@id='title']"):
        element.text = title  # py-spy writes its own command line there, paths and all
    etree.cleanup_namespaces(root)
    svg.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def sales_report_title(report: Report) -> str:
    version = subprocess.run([py_spy(), "--version"], capture_output=True, text=True, check=True)
    return f"{version.stdout.strip()}: GET /reports/sales-by-author ({report.__name__})"


def frames(svg: Path) -> list[tuple[str, int]]:
    """(label, samples) of every frame in a py-spy flame graph, from its <title> texts."""
    titles = etree.parse(str(svg)).getroot().iterfind(f".//{SVG}title")
    found = []
    for title in titles:
        match = re.fullmatch(r"(.+) \((\d[\d,]*) samples?, [\d.]+%\)", title.text or "")
        if match:
            found.append((match[1], int(match[2].replace(",", ""))))
    return found


def svg_path(text: str) -> Path:
    """An argparse type for -o: refuse a path py-spy cannot write now, not after the server
    has started and every request has been sent."""
    if not text:  # Path("") is the current folder
        raise argparse.ArgumentTypeError(
            "-o is empty — fix: name the SVG file, such as flamegraph.svg"
        )
    path = Path(text)
    folder = path.parent
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text} is a folder — fix: name a file in it, such as {path / 'flamegraph.svg'}"
        )
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{folder} is a file, not a folder — fix: choose another")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f"folder {folder} does not exist — fix: create it (mkdir -p {folder}) or choose another"
        )
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise argparse.ArgumentTypeError(
            f"cannot write {text} — fix: choose a path you can write to"
        )
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiler", choices=["cprofile", "pyinstrument", "flamegraph", "compare"])
    parser.add_argument("--fixed", action="store_true", help="profile the fixed report")
    parser.add_argument("-o", "--output", type=svg_path, help="flamegraph: the SVG to write")
    parser.add_argument("--requests", type=int_between(1, 1000), default=40)
    parser.add_argument("--books", type=int_between(10, 10_000), default=2_000)
    parser.add_argument("--orders", type=int_between(1, 10_000), default=2_000)
    args = parser.parse_args(argv)
    if args.profiler == "flamegraph" and args.output is None:
        parser.error("flamegraph needs -o FILE.svg")
    report = sales_by_author if args.fixed else sales_by_author_slow
    versions = {"SQLite": sqlite3.sqlite_version}  # what these figures depend on
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "sales-report.db"
        conn = open_report_db(str(database), args.books, args.orders)  # the endpoint's data
        data = f"{args.books} books, {args.orders} orders"
        report(conn)  # once before measuring: SQLite's page cache is warm, as in a server
        if args.profiler == "cprofile":
            print(with_cprofile(report, conn))
            print(overhead(report, conn))
            print(f"{data}; {environment(versions)}")
        elif args.profiler == "pyinstrument":
            print(with_pyinstrument(report, conn))
            import pyinstrument

            print(f"{data}; {environment(versions | {'pyinstrument': pyinstrument.__version__})}")
        elif args.profiler == "compare":
            print(compare(conn))
            print(f"{data}; {environment(versions)}")
        else:
            conn.close()
            try:
                print(record_flamegraph(args.output, args.requests, args.fixed, database).strip())
            except PermissionError as exc:
                raise SystemExit(str(exc)) from None
            make_offline(args.output, f"{sales_report_title(report)}, {args.requests} requests")
            print(f"wrote {args.output} (offline: no script, no links)")
        conn.close()


if __name__ == "__main__":
    main()
