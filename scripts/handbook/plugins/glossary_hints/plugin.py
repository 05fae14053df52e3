"""handbook/glossary-hints: the English term after the first use of an Indonesian one.

"basis data" becomes "basis data (*database*)" at its first use in prose on an Indonesian page
(handbook.glossary.linking.first_use_hints says where it is not added).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook.glossary.linking import first_use_hints
from handbook.glossary.model import GlossaryError, cached_glossary, is_glossary_page
from handbook.languages import content_language
from handbook.plugins.glossary_hints.config import GlossaryHintsConfig


class GlossaryHintsPlugin(BasePlugin[GlossaryHintsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or is_glossary_page(page.file.src_uri):
            return markdown
        try:
            terms, _spelling = cached_glossary(self.config.glossary, check_pages=False)
        except GlossaryError as error:
            raise PluginError(str(error)) from None
        return first_use_hints(markdown, terms, content_language(page, config))
