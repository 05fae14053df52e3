"""perf.latency: nearest-rank percentiles, and a measurement against a real local server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
    assert sum(durations) / len(durations) > 0.049  # the mean is 5x the median, yet no one waited 50 ms


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

    summary = latency.measure(send, requests=20, concurrency=4)
    assert summary.requests == 20 and len(summary.durations) == 20
    assert summary.errors == 10  # 503 and 0 (no answer) are errors; 200 and 304 are not
    assert list(summary.durations) == sorted(summary.durations)
    assert "requests: 20 (errors: 10)" in summary.report()


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server

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
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_command_line_against_a_local_server(local_url, capsys):
    latency.main([local_url, "--requests", "40", "--concurrency", "4", "--warm-up", "2"])
    out = capsys.readouterr().out
    assert "requests: 40 (errors: 0)" in out
    assert "throughput:" in out and "p99" in out


def test_a_refused_connection_counts_as_an_error(free_port):
    send = latency.http_sender(f"http://127.0.0.1:{free_port}/", timeout=1)
    assert latency.measure(send, requests=3, concurrency=1).errors == 3
