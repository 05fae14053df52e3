"""handbook/progress: the data of the "My progress" page, written into the page itself.

The title and number of checklist items of every tracked page go into progress.md as JSON
(`<!-- progress-pages -->`) for docs/assets/javascripts/progress.js (no fetch: it must work
from file://), and as the summary rows with nothing ticked yet (`<tbody></tbody>`), so the
table has its final size before the script runs and is readable without it.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from mkdocs.plugins import BasePlugin

from handbook.languages import building
from handbook.pages import checklist_pages, progress_rows
from handbook.plugins.progress.config import ProgressConfig


def fill_progress_page(markdown: str, pages: list[dict]) -> str:
    data = json.dumps(pages, ensure_ascii=False)
    data = data.replace("</", "<\\/")  # never close the <script> early
    markdown = markdown.replace(
        "<!-- progress-pages -->",
        f'<script type="application/json" id="progress-pages">{data}</script>',
    )
    return markdown.replace("<tbody></tbody>", progress_rows(pages), 1).replace(
        "<strong data-progress-total>0 / 0</strong>",
        f"<strong data-progress-total>0 / {sum(p['items'] for p in pages)}</strong>", 1)


class ProgressPlugin(BasePlugin[ProgressConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        parts = PurePosixPath(page.file.src_uri).parts
        if parts[-1:] != (self.config.page,) or len(parts) > 2:
            return markdown
        pages = checklist_pages(config, building(config), tuple(self.config.tracked))
        return fill_progress_page(markdown, pages)
