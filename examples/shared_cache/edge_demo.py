"""Record examples/shared_cache/output/edge.txt: curl through edge.conf in a real nginx.

Run from the examples/ directory (needs nginx and curl; writes nothing outside a temp folder):

    python -m shared_cache.edge_demo > shared_cache/output/edge.txt

A stub origin answers /books/42 as a public page and /account as a personal one; nginx listens
on 127.0.0.1:8080 as in edge.conf (--port to change it). Only the status line, Cache-Control
and X-Cache-Status of each answer are printed.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EDGE_CONF = Path(__file__).with_name("edge.conf")
PAGES = {
    "/books/42": "public, max-age=60, s-maxage=600, stale-while-revalidate=60, "
                 "stale-if-error=86400",
    "/account": "private, no-store",
}
SHOWN = ("http/", "cache-control:", "x-cache-status:")


class StubOrigin(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<h1>ok</h1>"
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Cache-Control", PAGES.get(self.path, "no-store"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def edge(port: int) -> Iterator[None]:
    """The stub origin on a free port and nginx with edge.conf on `port`, in a temp folder."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        raise SystemExit("edge_demo: nginx not found — fix: apt-get install nginx-light")
    with socket.socket() as probe:  # another server on the port would answer curl instead
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"edge_demo: port {port} is in use — fix: --port N") from None
    origin = ThreadingHTTPServer(("127.0.0.1", 0), StubOrigin)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    home = Path(tempfile.mkdtemp(prefix="edge-demo-"))
    home.chmod(0o755)  # as root, nginx's workers run as nobody and must reach the cache
    conf = (EDGE_CONF.read_text(encoding="utf-8")
            .replace("/var/cache/nginx/edge", str(home / "cache"))
            .replace("127.0.0.1:8001", f"127.0.0.1:{origin.server_address[1]}")
            .replace("127.0.0.1:8080", f"127.0.0.1:{port}")
            .replace("listen 127.0.0.1:8081;", f"listen unix:{home}/purge.sock;"))
    (home / "nginx.conf").write_text(
        f"pid {home}/nginx.pid;\nerror_log {home}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{conf}\n}}\n", encoding="utf-8")
    server = subprocess.Popen([nginx, "-p", str(home), "-c", str(home / "nginx.conf"),
                               "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                if server.poll() is None:  # and it is our nginx that listens
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                error = (server.stderr.read() or "no message").strip().splitlines()[-1]
                raise SystemExit(f"edge_demo: nginx did not start: {error}") from None
            time.sleep(0.05)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)
        origin.shutdown()
        shutil.rmtree(home, ignore_errors=True)


def transcript(port: int = 8080) -> str:
    curl = shutil.which("curl")
    if curl is None:
        raise SystemExit("edge_demo: curl not found — fix: apt-get install curl")
    out = []
    with edge(port):
        for path in ("/books/42", "/books/42", "/account", "/account"):
            url = f"http://127.0.0.1:{port}{path}"
            command = [curl, "-s", "-o", "/dev/null", "-D", "-", "-H", "Host: toko.example", url]
            try:
                headers = subprocess.run(command, capture_output=True, text=True, check=True,
                                         timeout=10).stdout
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                raise SystemExit(f"edge_demo: curl {url} failed ({error}) — fix: check that "
                                 f"nothing else answers on port {port}") from None
            out.append(f"$ curl -s -o /dev/null -D - -H 'Host: toko.example' {url}")
            out += [line for line in headers.splitlines() if line.lower().startswith(SHOWN)]
            out.append("")
    return "\n".join(out[:-1]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port {args.port}: use a port from 1 to 65535")
    sys.stdout.write(transcript(args.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
