"""GET /health -> {"status": "ok"} with only the standard library.

Run: PORT=8080 python3 health.py
"""

# --8<-- [start:health_python]
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class HealthHandler(BaseHTTPRequestHandler):
    timeout = 10  # seconds a client may take to send its request before its thread gives up

    def do_GET(self) -> None:  # the method name http.server looks for
        found = urlsplit(self.path).path == "/health"  # /health?probe=1 is /health too
        body = json.dumps({"status": "ok"} if found else {"error": "not found"}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":  # HEAD: the same status and headers, never a body
            self.wfile.write(body)

    do_HEAD = do_GET  # without it http.server answers HEAD with 501 (RFC 9110, 9.3.2)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), HealthHandler)  # one thread per request
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    server.serve_forever()
# --8<-- [end:health_python]
