"""handbook/abbreviations: every abbreviation of the glossary explained where a page uses it.

Appends `*[API]: Application Programming Interface` lines (in the page's language) for the
abbreviations the page uses; Python-Markdown's abbr extension turns them into <abbr title>.
List it after the other plugins that change a page's Markdown, so it sees their text too.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from handbook.cache import page_cache
from handbook.glossary.model import GlossaryError, cached_glossary
from handbook.glossary.rendering import append_abbreviations, focusable_abbreviations
from handbook.languages import content_language
from handbook.plugins import nested_build
from handbook.plugins.abbreviations.config import AbbreviationsConfig


class AbbreviationsPlugin(BasePlugin[AbbreviationsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_config(self, config):
        self.cache = page_cache("abbreviations", self.config.cache_dir, config,
                                self.config.glossary)
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        try:
            terms, _spelling = cached_glossary(self.config.glossary, check_pages=False)
        except GlossaryError as error:
            raise PluginError(str(error)) from None
        lang = content_language(page, config)
        return self.cache.cached(lambda: append_abbreviations(markdown, terms, lang),
                                 markdown, lang)

    @event_priority(-200)
    def on_post_build(self, *, config):
        if not nested_build(config):
            self.cache.prune()

    def on_page_content(self, html, *, page, config, files):
        if not (self.config.enabled and self.config.focusable):
            return html
        return focusable_abbreviations(html)
