"""Serve the built site the way a static host does, on 127.0.0.1, for audits and tests.

    python scripts/serve_static.py [--site site] [--port 8000]

Like GitHub Pages the site lives under the path of site_url (/panduan-backend/), a missing page
gets the 404 page of its language with status 404, and compressed copies are negotiated: the
pre-compressed .br or .gz beside a file when the browser accepts it, otherwise gzip on the fly for
text. Hashed assets are cacheable for a year, other assets for a day, HTML is revalidated.
Our own code because http.server does none of this and a real web server is not on the machine.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/panduan-backend/"
LANGUAGES = ("en",)  # language folders other than the default
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md", ".map"}
HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")


class Handler(http.server.BaseHTTPRequestHandler):
    site: Path = ROOT / "site"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: audits print their own summary
        pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def respond(self, head: bool):
        path = unquote(urlsplit(self.path).path)
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
        target = (self.site / relative).resolve()
        status = 200
        if self.site.resolve() not in target.parents or not target.is_file():
            status = 404
            lang = relative.split("/", 1)[0]
            target = self.site / (f"{lang}/404.html" if lang in LANGUAGES else "404.html")
        body, encoding = self.encoded(target)
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


class StaticServer:
    """The server in a background thread: `with StaticServer(site) as base: ...`."""

    def __init__(self, site: Path, port: int = 0):
        handler = type("SiteHandler", (Handler,), {"site": Path(site)})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

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
    args = parser.parse_args()
    server = StaticServer(args.site, args.port)
    print(f"serving {args.site} at {server.base} (Ctrl+C stops)")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
