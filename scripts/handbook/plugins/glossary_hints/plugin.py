"""handbook/glossary-hints: the English term after the first use of an Indonesian one.

"basis data" becomes "basis data (*database*)" at its first use in prose on an Indonesian page
(handbook.glossary.linking.first_use_hints says where it is not added).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from handbook.cache import page_cache
from handbook.glossary.linking import first_use_hints
from handbook.glossary.model import GlossaryError, cached_glossary, is_glossary_page
from handbook.languages import content_language
from handbook.plugins import nested_build
from handbook.plugins.glossary_hints.config import GlossaryHintsConfig


class GlossaryHintsPlugin(BasePlugin[GlossaryHintsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_config(self, config):
        self.cache = page_cache("glossary-hints", self.config.cache_dir, config,
                                self.config.glossary)
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or is_glossary_page(page.file.src_uri):
            return markdown
        try:
            terms, _spelling = cached_glossary(self.config.glossary, check_pages=False)
        except GlossaryError as error:
            raise PluginError(str(error)) from None
        lang = content_language(page, config)
        return self.cache.cached(lambda: first_use_hints(markdown, terms, lang), markdown, lang)

    @event_priority(-200)
    def on_post_build(self, *, config):
        if not nested_build(config):
            self.cache.prune()
