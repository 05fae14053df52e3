"""Browser fixtures: the built site opened from file:// or over HTTP on 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from serve_static import StaticServer

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


@pytest.fixture(scope="session")
def http_base(built_site):
    """The built site served like a static host (under /panduan-backend/, compressed)."""
    with StaticServer(built_site) as base:
        yield base


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
