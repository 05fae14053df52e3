"""handbook/abbreviations: every abbreviation of the glossary explained where a page uses it.

Appends `*[API]: Application Programming Interface` lines (in the page's language) for the
abbreviations the page uses; Python-Markdown's abbr extension turns them into <abbr title>.
List it after the other plugins that change a page's Markdown, so it sees their text too.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook.glossary.model import GlossaryError, cached_glossary
from handbook.glossary.rendering import append_abbreviations, focusable_abbreviations
from handbook.languages import content_language
from handbook.plugins.abbreviations.config import AbbreviationsConfig


class AbbreviationsPlugin(BasePlugin[AbbreviationsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        try:
            terms, _spelling = cached_glossary(self.config.glossary, check_pages=False)
        except GlossaryError as error:
            raise PluginError(str(error)) from None
        return append_abbreviations(markdown, terms, content_language(page, config))

    def on_page_content(self, html, *, page, config, files):
        if not (self.config.enabled and self.config.focusable):
            return html
        return focusable_abbreviations(html)
