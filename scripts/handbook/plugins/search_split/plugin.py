"""handbook/search-split: one search index per language.

static-i18n merges every language into search/search_index.json, so an Indonesian reader got
English results. After the build this plugin writes search/search_index.json (Indonesian) and
en/search/search_index.json (English), each with locations relative to its language root and
its own stemmer, stop words and separator (handbook.search), and points Material's `base` in
each English page at /en/ so that the browser loads the English index.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.languages import DEFAULT_LANGUAGE, building
from handbook.plugins import nested_build
from handbook.plugins.search_split.config import SearchSplitConfig
from handbook.search import split_search_index

_CONFIG_SCRIPT = re.compile(r'(<script id="?__config"?[^>]*>)(.*?)(</script>)', re.DOTALL)


def rebase(output: str, lang: str, where: str) -> str:
    """Point Material's `base` (its __config script) at the language root of the page."""
    def rebased(match: re.Match) -> str:
        settings = json.loads(match.group(2))
        settings["base"] = f"{settings['base'].rstrip('/')}/{lang}/"
        return match.group(1) + json.dumps(settings, separators=(",", ":")) + match.group(3)

    output, count = _CONFIG_SCRIPT.subn(rebased, output, count=1)
    if count != 1:
        raise RuntimeError(f"{where}: Material's __config script not found")
    return output


class SearchSplitPlugin(BasePlugin[SearchSplitConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    @event_priority(50)  # early: before any plugin that rewrites the whole page
    def on_post_page(self, output, *, page, config):
        lang = building(config)
        if not self.config.enabled or lang == DEFAULT_LANGUAGE:
            return output
        return rebase(output, lang, page.file.src_uri)

    @event_priority(-200)  # after static-i18n (-100) has built every language and merged
    def on_post_build(self, *, config):
        if self.config.enabled and not nested_build(config):
            split_search_index(Path(config.site_dir), Path(self.config.lunr_id))
