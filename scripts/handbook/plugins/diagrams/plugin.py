"""handbook/diagrams: each ```mermaid fence becomes its pre-rendered light and dark SVG.

`make diagrams` renders the SVGs with a local Chromium into docs/assets/diagrams/ (named by a
hash of the source and the renderer's version); this plugin swaps each fence for the two images,
Material showing one per palette. A fence without a current SVG is a warning, which fails the
strict build. Pages ship no renderer (Mermaid is 3.5 MB of JavaScript, loaded from a CDN by
Material's own integration). The code is in handbook.diagrams (`python scripts/diagrams.py`).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin

from handbook import diagrams
from handbook.languages import depth
from handbook.plugins import logger
from handbook.plugins.diagrams.config import DiagramsConfig

log = logger("diagrams")


class DiagramsPlugin(BasePlugin[DiagramsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or "mermaid" not in markdown:
            return markdown
        output = self.config.output.strip("/")
        return diagrams.replace_with_images(
            markdown, Path(page.file.abs_src_path), depth(page.file.src_uri), log.warning,
            output=Path(config.docs_dir) / output, url=f"{output}/",
            renderer=diagrams.mermaid_version(Path(self.config.lock_file)))
