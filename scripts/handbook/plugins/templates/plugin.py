"""handbook/templates: the Markdown templates of examples/templates/, for download.

examples/templates/<lang>/ is copied to <language root>/downloads/templates/<lang>/, which the
skill pages link to (a .md file in docs/ would become a page instead). The files are tested
under tests/examples like every other example.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.languages import LANGUAGES, root_prefix
from handbook.plugins import nested_build
from handbook.plugins.templates.config import TemplatesConfig


def copy_templates(source: Path, site: Path, target: str = "downloads/templates") -> None:
    for lang in LANGUAGES:
        if (source / lang).is_dir():
            shutil.copytree(source / lang, site / root_prefix(lang) / target / lang,
                            dirs_exist_ok=True)


class TemplatesPlugin(BasePlugin[TemplatesConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    @event_priority(-200)  # after static-i18n (-100) has built every language
    def on_post_build(self, *, config):
        if self.config.enabled and not nested_build(config):
            copy_templates(Path(self.config.source), Path(config.site_dir),
                           self.config.target.strip("/"))
