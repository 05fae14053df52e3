"""handbook/search-offline: search/search_index.js beside each language's search index.

From file:// (the offline zip, or site/ opened from disk) browsers refuse fetch(), so Material
loads this script instead (`var __index = {...}`). Material's own offline plugin does this too,
but it also adds a script from unpkg.com, which must not happen here (the iframe-worker shim is
vendored; see mkdocs.yml `extra.polyfills`).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.languages import LANGUAGES, root_prefix
from handbook.plugins import nested_build
from handbook.plugins.search_offline.config import SearchOfflineConfig
from handbook.search import write_index_script


class SearchOfflinePlugin(BasePlugin[SearchOfflineConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    @event_priority(-210)  # after handbook/search-split (-200)
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config):
            return
        if self.serving and not self.config.serve:
            return
        for lang in LANGUAGES:
            index = Path(config.site_dir) / root_prefix(lang) / "search" / "search_index.json"
            if index.is_file():
                write_index_script(index)
