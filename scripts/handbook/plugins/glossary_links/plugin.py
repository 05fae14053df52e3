"""handbook/glossary-links: the first use of each glossary term on a page links to its entry.

The link carries the class glossary-term and, on the rendered page, the term's definition as its
title; docs/assets/javascripts/tooltips.js shows it as a tooltip on hover and keyboard focus.
`python scripts/glossary.py tooltips --lang en` lists where the links land.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from handbook.cache import page_cache
from handbook.glossary.linking import glossary_titles, link_first_uses
from handbook.glossary.model import GLOSSARY_PAGE, GlossaryError, cached_glossary, is_glossary_page
from handbook.languages import LANGUAGES, content_language
from handbook.plugins import nested_build
from handbook.plugins.glossary_links.config import GlossaryLinksConfig


def glossary_href(src_uri: str) -> str:
    """The glossary page, relative to a page of the same language ("../glossary.md")."""
    parts = PurePosixPath(src_uri).parts
    if parts and parts[0] in LANGUAGES:
        parts = parts[1:]
    return "../" * (len(parts) - 1) + GLOSSARY_PAGE


class GlossaryLinksPlugin(BasePlugin[GlossaryLinksConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def _terms(self) -> list[dict]:
        try:
            return cached_glossary(self.config.glossary, check_pages=False)[0]
        except GlossaryError as error:
            raise PluginError(str(error)) from None

    def on_config(self, config):
        self.cache = page_cache("glossary-links", self.config.cache_dir, config,
                                self.config.glossary)
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or is_glossary_page(page.file.src_uri):
            return markdown
        terms, lang = self._terms(), content_language(page, config)
        href = glossary_href(page.file.src_uri)
        return self.cache.cached(lambda: link_first_uses(markdown, terms, lang, href),
                                 markdown, lang, href)

    @event_priority(-200)
    def on_post_build(self, *, config):
        if not nested_build(config):
            self.cache.prune()

    def on_page_content(self, html, *, page, config, files):
        if not (self.config.enabled and self.config.tooltips):
            return html
        return glossary_titles(html, self._terms(), content_language(page, config))
