"""Structured JSON logs with request ids, and Prometheus metrics."""

import io
import json
import logging
import re
import threading

import pytest
from bookstore.observability.logging import JsonFormatter, configure_logging, request_id_var


@pytest.fixture
def log_lines():
    """Everything the bookstore loggers write while the test runs, parsed from JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bookstore")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(old_level)


# --8<-- [start:logging_test]
def test_each_request_logs_one_json_line_with_its_id(client, log_lines):
    response = client.get("/api/v1/books/1", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"  # echoed for the caller

    [line] = [e for e in log_lines() if e["message"] == "request finished"]
    assert line["request_id"] == "trace-42"
    assert line["level"] == "INFO" and line["logger"] == "bookstore.access"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/books/1", 200)
    assert line["duration_ms"] >= 0


def test_a_missing_or_strange_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


# --8<-- [end:logging_test]


def test_errors_are_logged_with_traceback_and_request_id(app, client, log_lines):
    @app.get("/crash")
    def crash():
        raise ValueError("kaboom")

    client.get("/crash", headers={"X-Request-ID": "req-crash"})
    [error] = [e for e in log_lines() if e["message"] == "unhandled exception"]
    assert error["request_id"] == "req-crash" and "ValueError: kaboom" in error["exception"]


def test_outside_a_request_the_id_is_a_dash():
    record = logging.makeLogRecord({"msg": "starting", "levelname": "INFO", "name": "x"})
    assert json.loads(JsonFormatter().format(record))["request_id"] == request_id_var.get() == "-"


def test_configure_logging_routes_uvicorn_through_json(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("WARNING")
        logging.getLogger("uvicorn.error").warning("port in use")
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert line["logger"] == "uvicorn.error" and line["message"] == "port in use"
    finally:
        root.handlers[:], root.level = saved[0], saved[1]


# --8<-- [start:metrics_test]
def metric(text: str, name: str) -> float:
    """The value of one sample line, e.g. 'http_requests_total{...} 3.0'."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_and_time_them(client):
    books = 'http_requests_total{method="GET",route="/api/v1/books/{book_id}",status="200"}'
    before = client.get("/metrics").text
    for _ in range(3):
        client.get("/api/v1/books/1")
    after = client.get("/metrics")

    assert after.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert metric(after.text, books) == metric(before, books) + 3  # one series per route
    assert "# TYPE http_request_duration_seconds histogram" in after.text
    ok = 'http_request_duration_seconds_count{status_class="2xx"}'
    assert metric(after.text, ok) >= metric(before, ok) + 3
    every = 'http_request_duration_seconds_bucket{status_class="2xx",le="+Inf"}'
    assert metric(after.text, every) == metric(after.text, ok)


def test_failed_requests_have_latency_series_of_their_own(client):
    client.get("/api/v1/books/999")  # 404
    text = client.get("/metrics").text
    assert metric(text, 'http_request_duration_seconds_count{status_class="4xx"}') >= 1
    classes = set(re.findall(r'status_class="(\w+)"', text))
    assert classes <= {"1xx", "2xx", "3xx", "4xx", "5xx"}  # a bounded label


# --8<-- [end:metrics_test]


def test_a_scrape_waits_for_an_observation_in_progress():
    """expose() takes the lock, so it never shows a bucket counted without its _count."""
    from bookstore.observability.metrics import Histogram

    histogram = Histogram("h_seconds", "help", ("status_class",), buckets=(0.1,))
    histogram.observe(0.05, "2xx")
    scraped: list[list[str]] = []
    scraper = threading.Thread(target=lambda: scraped.append(histogram.expose()))
    with histogram._lock:  # an observe(0.05, "2xx") caught halfway, as another thread does it
        row = histogram._series[("2xx",)]
        row[0] += 1  # the bucket is counted ...
        scraper.start()
        scraper.join(timeout=1)  # without the lock, the scrape would run (and end) here
        row[1] += 1  # ... and now its _count
        row[2] += 0.05
    scraper.join()
    lines = scraped[0]
    assert 'h_seconds_bucket{status_class="2xx",le="0.1"} 2' in lines
    assert 'h_seconds_count{status_class="2xx"} 2' in lines


def test_unknown_paths_share_one_series(client):
    client.get("/wp-login.php")
    client.get("/.env")
    text = client.get("/metrics").text
    assert 'route="unmatched",status="404"} 2.0' in text
    assert "wp-login" not in text  # attackers cannot create new series


def test_label_values_are_escaped():
    from bookstore.observability.metrics import Counter

    counter = Counter("c_total", "help", ("name",))
    counter.inc('a"b\\c\nd')
    assert counter.expose()[-1] == r'c_total{name="a\"b\\c\nd"} 1.0'
