"""Browser fixtures: the built site opened from file:// or over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field

import pytest

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@dataclass
class Visit:
    """A browser page plus everything that went wrong while using it."""

    page: object
    base: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self.page

    def assert_clean(self):
        assert not self.blocked, f"requests left the machine: {self.blocked}"
        assert not self.errors, f"console errors: {self.errors}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def http_base(built_site):
    """The built site served like a static host on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _visit(browser, base: str, allowed_prefix: str | None) -> Visit:
    context = browser.new_context()
    visit = Visit(page=None, base=base)

    def route(r):
        url = r.request.url
        if url.startswith(LOCAL_SCHEMES) or (allowed_prefix and url.startswith(allowed_prefix)):
            r.continue_()
        else:
            visit.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    visit.page = page
    return visit


@pytest.fixture(params=["file", "http"])
def visit(request, browser, built_site):
    """One Visit per transport: straight from disk, and from a local static server."""
    if request.param == "file":
        v = _visit(browser, built_site.as_uri() + "/", None)
    else:
        base = request.getfixturevalue("http_base")
        v = _visit(browser, base, base)
    yield v
    v.page.context.close()
