"""Serve the built site the way a static host does, on 127.0.0.1, for audits and tests.

    python scripts/serve_static.py [--site site] [--port 8000]

Like GitHub Pages the site lives under the path of site_url (/panduan-backend/), a missing page
gets the 404 page of its language with status 404, and compressed copies are negotiated: the
pre-compressed .br or .gz beside a file when the browser accepts it, otherwise gzip on the fly for
text. Hashed assets are cacheable for a year, other assets for a day, HTML is revalidated.
Our own code because http.server does none of this and a real web server is not on the machine.

Hostile or broken clients cost a bounded amount: a request's line and headers must arrive within
--timeout seconds of the connection (or of the previous response) — an idle keep-alive connection
is closed, a half-sent request gets 408 and is closed —, at most --max-threads connections are
served at once (the next ones get 503 with Retry-After straight away, from the accepting thread),
and every malformed request gets a status code: 400 for a NUL or control character in the path
or a request line http.server cannot parse, 414 for a target over 2,048 bytes or a request line
over 64 KiB, 431 for an over-long or 101st header, 404 for a name the file system cannot hold,
501 for a method other than GET and HEAD.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import mimetypes
import re
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/panduan-backend/"
LANGUAGES = ("en",)  # language folders other than the default
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md", ".map"}
HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")
TIMEOUT = 10.0  # seconds for a request's line and headers to arrive (and for a response to leave)
MAX_THREADS = 32  # connections served at once; more get 503
MAX_TARGET = 2048  # bytes of a request target: far more than any URL of the site needs
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n")
TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


class _DeadlineReader(io.RawIOBase):
    """The connection's reading side, with a deadline: each read waits only for the time left.

    A socket timeout alone is per read, so a client sending one byte every few seconds would keep
    a thread forever; this bounds the whole request head. (http.server has no such limit.)"""

    def __init__(self, connection: socket.socket):
        self.connection = connection
        self.deadline = float("inf")
        self.received = 0  # bytes of the current request so far
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.received = 0
        self.timed_out = False

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError("request head not complete in time")
            self.connection.settimeout(left)
            count = self.connection.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise
        self.received += count
        return count


class Handler(http.server.BaseHTTPRequestHandler):
    site: Path = ROOT / "site"
    protocol_version = "HTTP/1.1"
    # http.server answers a request line it cannot read as HTTP/0.9 (a body without status line);
    # no client speaks 0.9 any more (RFC 9112 dropped it), so the answer gets a status line.
    default_request_version = "HTTP/1.0"
    timeout_seconds = TIMEOUT
    rbufsize = 0  # setup() wraps the socket in a buffered _DeadlineReader instead

    def log_message(self, *args):  # quiet: audits print their own summary
        pass

    def setup(self):
        super().setup()
        self.rfile.close()  # the plain reader setup() made; the socket itself stays open
        self.reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self):
        self.reader.start(self.timeout_seconds)
        self.requestline, self.request_version, self.command = "", "HTTP/1.0", ""
        super().handle_one_request()  # closes the connection on a timeout
        if self.reader.timed_out and self.reader.received:  # a half-sent request: say so
            try:
                self.connection.settimeout(1.0)
                self.connection.sendall(TIMED_OUT)
            except OSError:
                pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True  # after a malformed request the stream cannot be trusted
        super().send_error(code, message, explain)

    def respond(self, head: bool):
        self.connection.settimeout(self.timeout_seconds)  # for writing the response
        if self.headers.get("Content-Length", "0").strip() != "0" or \
                "Transfer-Encoding" in self.headers:
            self.close_connection = True  # a body we do not read must not become a request
        if len(self.path) > MAX_TARGET:
            self.send_error(414, explain=f"The request target is over {MAX_TARGET} bytes.")
            return
        path = unquote(urlsplit(self.path).path, errors="replace")
        if CONTROL.search(path):
            self.send_error(400, explain="The path holds a control character (such as %00).")
            return
        if path == "/robots.txt":  # crawlers look at the host's root
            path = PREFIX + "robots.txt"
        if not path.startswith(PREFIX):
            self.send_response(301)
            self.send_header("Location", PREFIX)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        relative = path[len(PREFIX):]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        status, target = 200, self.find(relative)
        if target is None:
            status = 404
            lang = relative.split("/", 1)[0]
            target = self.site / (f"{lang}/404.html" if lang in LANGUAGES else "404.html")
        try:
            body, encoding = self.encoded(target)
        except OSError:  # no 404 page in this site, or a file that vanished
            self.send_error(status if status == 404 else 500)
            return
        self.send_response(status)
        self.send_header("Content-Type", self.content_type(target))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", self.cache_control(target, status))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def find(self, relative: str) -> Path | None:
        """The file under the site for a decoded path, or None (also for a name the file system
        cannot hold: too long, or not encodable)."""
        try:
            target = (self.site / relative).resolve()
            inside = self.site.resolve() in target.parents
            return target if inside and target.is_file() else None
        except (OSError, ValueError):
            return None

    def encoded(self, target: Path) -> tuple[bytes, str | None]:
        accepted = {part.split(";")[0].strip() for part in
                    self.headers.get("Accept-Encoding", "").split(",")}
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
            packed = target.with_name(target.name + suffix)
            if encoding in accepted and packed.is_file():
                return packed.read_bytes(), encoding
        data = target.read_bytes()
        if "gzip" in accepted and target.suffix in TEXT and len(data) > 256:
            return gzip.compress(data, compresslevel=6), "gzip"
        return data, None

    @staticmethod
    def content_type(target: Path) -> str:
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f"{kind}; charset=utf-8" if target.suffix in TEXT else kind

    @staticmethod
    def cache_control(target: Path, status: int) -> str:
        if status != 200 or target.suffix == ".html":
            return "no-cache"
        if HASHED.search(target.name):
            return "public, max-age=31536000, immutable"
        return "public, max-age=86400"


class Server(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer with a bound on the threads: over `max_threads` connections at once,
    the accepting thread answers 503 itself and closes (a thread per connection is the
    stdlib's model; this keeps it from growing without limit)."""

    request_queue_size = 128

    def __init__(self, address, handler, max_threads: int = MAX_THREADS):
        self.slots = threading.BoundedSemaphore(max_threads)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        """One line, no traceback: a client that hangs up or stalls is a normal day."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            print(f"serve_static: {client_address[0]}: {type(error).__name__}: {error}",
                  file=sys.stderr)


class StaticServer:
    """The server in a background thread: `with StaticServer(site) as base: ...`."""

    def __init__(self, site: Path, port: int = 0, timeout: float = TIMEOUT,
                 max_threads: int = MAX_THREADS):
        handler = type("SiteHandler", (Handler,), {"site": Path(site),
                                                   "timeout_seconds": timeout})
        self.httpd = Server(("127.0.0.1", port), handler, max_threads)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,),
                                       daemon=True)  # poll 0.1 s: a quick shutdown in tests

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{PREFIX}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.base

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"seconds for a request head to arrive (default: {TIMEOUT:g})")
    parser.add_argument("--max-threads", type=int, default=MAX_THREADS,
                        help=f"connections served at once; more get 503 (default: {MAX_THREADS})")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"serve_static.py: no built site in {args.site} — fix: run `make build` first")
    try:
        server = StaticServer(args.site, args.port, args.timeout, args.max_threads)
    except OSError as error:
        sys.exit(f"serve_static.py: cannot listen on 127.0.0.1:{args.port}: {error.strerror} — "
                 "fix: stop what uses the port, or pass --port with another number")
    print(f"serving {args.site} at {server.base} (Ctrl+C stops)")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
