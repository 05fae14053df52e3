"""perf.latency: nearest-rank percentiles, and a measurement against a real local server."""

import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from perf import latency


# --8<-- [start:percentile_tests]
def test_percentiles_of_one_to_a_hundred():
    values = list(range(1, 101))  # already sorted
    assert latency.percentile(values, 50) == 50
    assert latency.percentile(values, 95) == 95
    assert latency.percentile(values, 99) == 99
    assert latency.percentile(values, 100) == 100


def test_a_slow_tail_moves_p99_not_the_median():
    durations = sorted([0.010] * 98 + [2.0] * 2)  # 98 fast answers, two of 2 s
    assert latency.percentile(durations, 50) == 0.010  # the median sees nothing
    assert latency.percentile(durations, 99) == 2.0  # p99 shows the slow tail
    # The mean is about 5x the median (49.8 ms), yet not one request took that long.
    assert sum(durations) / len(durations) > 0.049


# --8<-- [end:percentile_tests]


def test_small_lists_round_the_rank_up():
    assert latency.percentile([10, 20, 30], 50) == 20
    assert latency.percentile([10, 20, 30], 99) == 30
    assert latency.percentile([7], 1) == 7


@pytest.mark.parametrize("values, p", [([], 50), ([1], 0), ([1], 101)])
def test_invalid_input_is_refused(values, p):
    with pytest.raises(ValueError):
        latency.percentile(values, p)


def test_measure_counts_requests_and_errors():
    statuses = iter([200, 503, 304, 0] * 5)
    lock = threading.Lock()

    def send():
        with lock:  # the iterator is shared by the worker threads
            return next(statuses)

    summary = latency.measure([send] * 4, requests=20)
    assert summary.requests == 20 and summary.concurrency == 4
    assert summary.errors == 10  # 503 and 0 (no answer) are errors; 200 and 304 are not
    assert summary.error_kinds == ((0, 5), (503, 5))
    assert len(summary.durations) == 10  # latency of the 200 and 304 answers only
    assert list(summary.durations) == sorted(summary.durations)
    report = summary.report().splitlines()
    assert report[0].startswith("requests: 20 (errors: 10)")
    assert report[1] == "errors: no answer x5, status 503 x5 (not counted in throughput or latency)"


def test_each_sender_runs_in_its_own_thread_and_shares_the_requests():
    calls: dict[int, list[int]] = {}
    lock = threading.Lock()

    def sender(number):
        def send():
            with lock:
                calls.setdefault(number, []).append(threading.get_ident())
            return 200

        return send

    latency.measure([sender(n) for n in range(3)], requests=10)
    assert sorted(len(threads) for threads in calls.values()) == [3, 3, 4]  # 10 over 3
    assert all(len(set(threads)) == 1 for threads in calls.values())  # one thread each
    assert len({threads[0] for threads in calls.values()}) == 3  # and not the same one


def test_a_sender_that_raises_stops_the_measurement():
    def send():
        raise LookupError("a bug in the sender")

    with pytest.raises(LookupError, match="a bug in the sender"):  # not a report of nothing
        latency.measure([send, lambda: 200], requests=4)


def test_good_hosts_and_ports_are_accepted():
    for url in (
        "http://xn--tda.example/",
        "http://ü.example/",
        "http://[::1]:8001/",
        "https://api_internal.example:65535/",
    ):
        assert latency.http_url(url) == url


@pytest.mark.parametrize("senders, requests", [([], 5), ([lambda: 200], 0)])
def test_measure_refuses_nothing_to_do(senders, requests):
    with pytest.raises(ValueError):
        latency.measure(senders, requests)


def test_only_the_requests_are_timed():
    """Regression (issue 14): a client made inside the timed loop was timed as latency."""
    events, lock = [], threading.Lock()

    def clock():  # a fake clock that records when the timing starts: no real time read
        with lock:
            events.append("clock")
        return 0.0

    def send():
        with lock:
            events.append("request")
        return 200

    latency.measure([send, send], requests=4, clock=clock)
    assert events[0] == "clock"  # the run's start, then only requests between clock reads
    assert events.count("request") == 4 and events.count("clock") == 2 + 2 * 4


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server
    connections: ClassVar[list[tuple[str, int]]] = []  # client address of every connection

    def setup(self):  # called once per connection, before its first request
        Ok.connections.append(self.client_address)
        super().setup()

    def do_GET(self):  # the method name http.server calls for GET
        body = b'{"status":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def local_url():
    Ok.connections.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_command_line_against_a_local_server(local_url, capsys):
    latency.main([local_url, "--requests", "40", "--concurrency", "4", "--warm-up", "2"])
    out = capsys.readouterr().out
    assert "requests: 40 (errors: 0)" in out and "concurrency 4" in out
    assert "throughput:" in out and "p99" in out
    assert "measured " in out and "CPUs" in out  # the figures say where they come from
    assert f"httpx {httpx.__version__}" in out  # and the library they depend on


def test_clients_are_made_and_warmed_up_before_timing(local_url, capsys, monkeypatch):
    """Regression (issue 14): the warm-up used a client that no worker thread used, so every
    worker made its own client, and opened its connection, inside the timed loop, and p99
    measured that setup (the page's Common Mistakes quotes the figures)."""
    measure, open_when_timing_starts = latency.measure, []

    def watched_measure(*args, **kwargs):
        open_when_timing_starts.append(len(Ok.connections))
        return measure(*args, **kwargs)

    monkeypatch.setattr(latency, "measure", watched_measure)
    latency.main([local_url, "--requests", "40", "--concurrency", "4", "--warm-up", "1"])
    capsys.readouterr()
    # One keep-alive connection per worker thread, all open before the timing starts, and
    # no new one during it. The old code had one open (the warm-up's), then opened four more.
    assert open_when_timing_starts == [4]
    assert len(Ok.connections) == 4


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ftp://example.org/"], "give an http:// or https:// URL"),
        (["http://[::1"], "is not a URL"),
        (["http://127.0.0.1/", "--requests", "0"], "must be from 1 to 1000000, not 0"),
        (["http://127.0.0.1/", "--concurrency", "many"], "'many' is not a whole number"),
        (["http://127.0.0.1/", "--concurrency", "100000"], "must be from 1 to 256"),
        (["http://127.0.0.1/", "--warm-up", "-1"], "must be from 0 to 10000, not -1"),
        (["http://127.0.0.1/", "--timeout", "0"], "must be from 0.1 to 600 s, not 0"),
        (["http://127.0.0.1/", "--timeout", "nan"], "must be from 0.1 to 600 s, not nan"),
        (["http://127.0.0.1/", "--timeout", "5s"], "'5s' is not a number of seconds"),
        # Regression (review round 3): these two failed later, as "refused, reset, ...".
        (["http://127.0.0.1:99999/"], "port 99999 is outside 1 to 65535 — fix:"),
        (["http://exa mple.com/"], "has characters no host name has — fix: check the URL"),
    ],
)
def test_bad_arguments_get_a_clear_error(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        latency.main(argv)
    assert exit_.value.code == 2  # argparse's usage error, not a traceback
    assert message in capsys.readouterr().err


def test_a_refused_connection_counts_as_an_error(free_port):
    with latency.http_senders(f"http://127.0.0.1:{free_port}/", 1, warm_up=0, timeout=1) as s:
        assert latency.measure(s, requests=3).errors == 3


def test_no_answer_at_all_is_a_failure_not_a_measurement(free_port, capsys):
    """Regression (review round 1): with the server down, it printed a throughput and the
    percentiles of the failures, and exited 0."""
    url = f"http://127.0.0.1:{free_port}/"
    with pytest.raises(SystemExit) as exit_:
        latency.main([url, "--requests", "5", "--concurrency", "1", "--warm-up", "0"])
    assert str(exit_.value) == (
        f"{url}: no request got an answer from 200 to 399 (no answer x5)"
        " — fix: start the server, or check the URL and that it answers GET"
    )
    out = capsys.readouterr().out
    assert "requests/s" not in out and "p50" not in out
    assert "errors: no answer x5" in out


def test_the_report_gives_percentiles_and_the_mean():
    summary = latency.Summary(4, 0, 2.0, 1, (0.010, 0.010, 0.010, 0.050))
    assert summary.report().splitlines() == [
        "requests: 4 (errors: 0) in 2.00 s, concurrency 1",
        "throughput: 2.0 requests/s",
        "latency ms: p50 10.00  p95 50.00  p99 50.00  max 50.00  mean 20.00",
    ]


class BrokenGzip(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"this is not gzip"  # a server bug: the header promises gzip, the body is not
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_an_answer_that_cannot_be_decoded_counts_as_an_error():
    """Regression (review round 1): httpx.DecodingError escaped send() as a traceback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BrokenGzip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with latency.http_senders(url, 2, warm_up=0) as senders:  # a warm-up would stop it
            summary = latency.measure(senders, requests=4)
    finally:
        server.shutdown()
        server.server_close()
    assert summary.errors == 4 and summary.durations == ()


def test_the_environment_names_the_libraries_it_is_given():
    line = latency.environment({"SQLite": "3.40.1"})
    assert re.match(
        r"measured \d{4}-\d\d-\d\d \d\d:\d\d UTC; \w+ [\d.]+\w*, SQLite 3\.40\.1; ", line
    )
    assert "httpx" not in line and "load average" in line


class Drip(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # headers at once, then the body one byte every 50 ms: 5 s in all
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:  # the client gave up and closed the connection
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def drip_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_body_that_trickles_in_is_no_answer(drip_url):
    """Regression (review round 2): httpx's timeout applies to each read, so a server that
    sent its body one byte a second kept a request, and the whole run, going for hours."""
    with latency.http_senders(drip_url, 1, warm_up=0, timeout=0.5) as senders:
        summary = latency.measure(senders, requests=2)
    assert summary.error_kinds == ((0, 2),)  # no usable answer, counted as an error
    assert summary.durations == ()


def test_a_failed_warm_up_stops_the_run_before_timing(drip_url, capsys):
    with pytest.raises(SystemExit) as exit_:
        latency.main([drip_url, "--timeout", "0.5", "--requests", "500", "--warm-up", "20"])
    assert str(exit_.value) == (
        f"{drip_url}: a warm-up request got no answer (refused, reset, undecodable or over"
        " 0.5 s), so nothing was timed"
        " — fix: start the server, check the URL, raise --timeout, or pass --warm-up 0"
        " to time the errors"
    )
    assert "requests:" not in capsys.readouterr().out


class HeaderDrip(socketserver.StreamRequestHandler):
    """A status line at once, then one header byte every 0.2 s, forever: each read gets a
    byte well within httpx's read timeout, and httpx waits for the last header."""

    arrived: ClassVar[threading.Semaphore]  # released once per request received

    def handle(self):
        self.rfile.readline()  # the request line; the rest does not matter here
        HeaderDrip.arrived.release()
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while True:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client went away
            pass


@pytest.fixture
def header_drip_url():
    HeaderDrip.arrived = threading.Semaphore(0)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), HeaderDrip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# The program as a user runs it, with Ctrl+C's KeyboardInterrupt even where the test runner
# started it with SIGINT ignored (Python then keeps it ignored).
RUN_WITH_CTRL_C = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
    " from perf.latency import main; main(sys.argv[1:])"
)


@pytest.mark.parametrize("warm_up", ["0", "1"])
def test_one_ctrl_c_ends_a_run_stuck_on_trickling_headers(header_drip_url, warm_up):
    """Regression (review round 3): the deadline cannot reach headers that trickle in. Once
    timing had started, the first Ctrl+C left the program waiting in ThreadPoolExecutor for
    the stuck thread; a second one ended it with two tracebacks. In the warm-up, one Ctrl+C
    ended it, with a traceback."""
    argv = [header_drip_url, "--requests", "2", "--concurrency", "2", "--warm-up", warm_up]
    examples = Path(latency.__file__).resolve().parents[1]
    program = subprocess.Popen(
        [sys.executable, "-c", RUN_WITH_CTRL_C, *argv, "--timeout", "1"],
        cwd=examples,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert HeaderDrip.arrived.acquire(timeout=60)  # a request is stuck in the headers
        time.sleep(0.5)  # past several header bytes: well within the read timeout each
        program.send_signal(signal.SIGINT)  # one Ctrl+C
        out, err = program.communicate(timeout=60)  # a guard against a hang, not a budget
    finally:
        program.kill()
        program.wait()
    assert program.returncode == 130  # 128 + SIGINT, as shells report Ctrl+C
    assert "Traceback" not in err and out == ""
    assert err.strip() == (
        f"{header_drip_url}: interrupted, nothing measured — fix: if a request hung, the"
        " server may be sending its headers piece by piece, which --timeout does not cut"
        " off; look at it with curl -v"
    )
