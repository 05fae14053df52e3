"""handbook/not-found: one 404 page per language (404.html and en/404.html).

static-i18n renders 404.html once per language into the same file, so the last language built
wins. This plugin keeps each language's rendering and writes it to its language root after the
build; its language selector leads to each language's home page (rendered after the content
pages, it would otherwise keep the alternates of the last page built).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin, event_priority

from handbook.languages import DEFAULT_LANGUAGE, building, root_prefix
from handbook.plugins import nested_build
from handbook.plugins.not_found.config import NotFoundConfig

# Quoted or not: a minifier may already have rewritten the markup.
_SELECTOR_LINK = re.compile(r'href=(?:"[^"]*"|[^\s>"]+)(\s+hreflang="?([\w-]+)"?)')


def language_home_links(html: str, site_url: str | None) -> str:
    """The language selector of a 404 page leads to each language's home page (the 404 page has
    no twin), rooted at the path of site_url: a static host serves it at any URL."""
    base = urlsplit(site_url or "/").path.rstrip("/") + "/"

    def home(match: re.Match) -> str:
        lang = match.group(2)
        return f'href="{base}{root_prefix(lang)}index.html"{match.group(1)}'

    return _SELECTOR_LINK.sub(home, html)


class NotFoundPlugin(BasePlugin[NotFoundConfig]):
    def __init__(self):
        super().__init__()
        self.pages: dict[str, str] = {}  # the rendered 404 page of each language

    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    @event_priority(-90)  # the final markup: after handbook/nav-labels (50) and the others
    def on_post_template(self, output_content, *, template_name, config):
        if self.config.enabled and template_name == "404.html":
            html = language_home_links(output_content, config.site_url)
            self.pages[building(config)] = html
            return html
        return output_content

    @event_priority(-200)  # after static-i18n (-100) has built every language
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config):
            return
        site = Path(config.site_dir)
        for lang, html in self.pages.items():
            target = site / "404.html" if lang == DEFAULT_LANGUAGE else site / lang / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
