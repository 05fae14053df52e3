"""handbook/glossary-page: the glossary page of each language, generated from data/glossary.yml.

docs/<lang>/glossary.md holds an introduction and the marker `<!-- glossary -->`, which becomes a
letter index, one section per first letter and one entry per term (handbook.glossary.rendering).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook.glossary.model import GlossaryError, cached_glossary, is_glossary_page
from handbook.glossary.rendering import expand_glossary_marker
from handbook.languages import content_language
from handbook.plugins.glossary_page.config import GlossaryPageConfig


class GlossaryPagePlugin(BasePlugin[GlossaryPageConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or not is_glossary_page(page.file.src_uri):
            return markdown
        try:
            terms, _spelling = cached_glossary(self.config.glossary, check_pages=False)
            return expand_glossary_marker(markdown, terms, content_language(page, config),
                                          config.docs_dir)
        except GlossaryError as error:
            raise PluginError(str(error)) from None
