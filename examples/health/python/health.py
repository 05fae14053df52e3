"""GET /health -> {"status": "ok"} with only the standard library.

Run: PORT=8080 python3 health.py
"""

# --8<-- [start:health_python]
import io
import json
import os
import re
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

DEADLINE = 10  # seconds a client has to send its whole request


class DeadlineReader(io.RawIOBase):
    """The client's bytes, all of them within DEADLINE seconds. http.server's own `timeout`
    counts per read, so a client sending one byte every 9 s would keep its thread forever."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.deadline = sock, time.monotonic() + DEADLINE

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request not complete in time")  # http.server closes, no answer
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)


# --8<-- [end:health_python]
# --8<-- [start:health_python_main]
class HealthHandler(BaseHTTPRequestHandler):
    def setup(self) -> None:
        super().setup()
        self.rfile = io.BufferedReader(DeadlineReader(self.connection))

    def do_GET(self) -> None:  # the method name http.server looks for
        # urlsplit: /health?probe=1 and the absolute form http://host/health are /health too
        found = urlsplit(self.path).path == "/health"
        body = json.dumps({"status": "ok"} if found else {"error": "not found"}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":  # HEAD: the same status and headers, never a body
            self.wfile.write(body)

    do_HEAD = do_GET  # without it http.server answers HEAD with 501 (RFC 9110, 9.3.2)


if __name__ == "__main__":
    port = os.environ.get("PORT", "8080")
    if not (re.fullmatch("[0-9]{1,5}", port) and 1 <= int(port) <= 65535):
        problem = f"PORT={port} is not a port number"
        print(f"{problem} — fix: use a number from 1 to 65535", file=sys.stderr)
        sys.exit(2)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", int(port)), HealthHandler)  # thread/request
    except OSError as error:
        sys.exit(f"cannot listen on 127.0.0.1:{port} ({error.strerror}) — fix: use another PORT")
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # Ctrl+C: stop quietly, exit status 130 (128 + SIGINT)
        sys.exit(130)
# --8<-- [end:health_python_main]
