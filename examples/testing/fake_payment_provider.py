"""A fake of the payment provider's status API, for tests: a real HTTP server on 127.0.0.1.

It keeps payments in a dict and answers like the provider does, so the code under test uses
its real httpx client, real timeouts and real retries. Tests change its state (`pay`,
`outage`, `html_page`) instead of scripting each reply, and read what it received (`requests`).
Start it with `serve(provider)`, which sets `provider.url`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PAYMENT_PATH = re.compile(r"/v1/payments/([0-9]{1,18})", re.ASCII)  # use with fullmatch


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # pragma: no cover - client went away
        pass


# --8<-- [start:fake_provider]
class FakePaymentProvider:
    """Behaves like the provider's GET /v1/payments/{order_id}, from in-memory state."""

    def __init__(self) -> None:
        self.payments: dict[int, str] = {}  # order id -> "pending" | "succeeded" | "failed"
        self.outage = 0  # answer the next N requests with 503, like a provider having a bad day
        self.html_page = False  # answer 200 with HTML, like a proxy's maintenance page
        self.requests: list[str] = []
        self.url = ""  # set by serve()
        self._lock = threading.Lock()

    def pay(self, order_id: int, status: str = "succeeded") -> None:
        with self._lock:  # the server thread reads payments under the same lock
            self.payments[order_id] = status

    def answer(self, path: str) -> tuple[int, dict | str]:
        with self._lock:
            self.requests.append(path)
            if self.outage > 0:
                self.outage -= 1
                return 503, {"error": "service unavailable"}
            if self.html_page:
                return 200, "<html><body>Down for maintenance</body></html>"
            match = _PAYMENT_PATH.fullmatch(path)
            if match is None or int(match[1]) not in self.payments:
                return 404, {"error": "no such payment"}
            order_id = int(match[1])
            return 200, {"order_id": order_id, "status": self.payments[order_id]}


# --8<-- [end:fake_provider]


@contextmanager
def serve(provider: FakePaymentProvider) -> Iterator[FakePaymentProvider]:
    """Run the fake on a free port of 127.0.0.1 in a thread, with `provider.url` set."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = provider.answer(self.path)
            if isinstance(body, str):
                data, media_type = body.encode(), "text/html"
            else:
                data, media_type = json.dumps(body).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)  # port 0: the OS picks a free port
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        provider.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield provider
    finally:
        server.shutdown()
        server.server_close()
