"""handbook/diagrams: each ```mermaid fence becomes its pre-rendered light and dark SVG.

`make diagrams` renders the SVGs with a local Chromium into docs/assets/diagrams/ (named by a
hash of the source and the renderer's version); this plugin swaps each fence for the two images,
Material showing one per palette. A fence without a current SVG is a warning, which fails the
strict build. Pages ship no renderer (Mermaid is 3.5 MB of JavaScript, loaded from a CDN by
Material's own integration). The code is in handbook.diagrams (`python scripts/diagrams.py`).
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from handbook import diagrams
from handbook.languages import depth
from handbook.plugins import logger
from handbook.plugins.diagrams.config import DiagramsConfig

log = logger("diagrams")


class DiagramsPlugin(BasePlugin[DiagramsConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_pre_build(self, *, config):
        """A strict build stops here, before any page is rendered, on every fence that has no
        current SVG; a build that is not strict (mkdocs serve) warns page by page instead."""
        if not self.config.enabled or not config.strict:
            return
        output = Path(config.docs_dir) / self.config.output.strip("/")
        renderer = self._renderer()
        problems = []
        for path in sorted(Path(config.docs_dir).rglob("*.md")):
            text = path.read_bytes().decode("utf-8", errors="replace")
            if "mermaid" in text:
                problems += diagrams.page_problems(text, path, output, renderer)
        if problems:
            raise PluginError(f"handbook/diagrams: {len(problems)} diagram(s) cannot be shown:\n"
                              + "\n".join(problems))

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or "mermaid" not in markdown:
            return markdown
        output = self.config.output.strip("/")
        source = Path(page.file.abs_src_path)
        lines = None
        if source.is_file():  # the fences' lines in the file the writer edits
            text = source.read_bytes().decode("utf-8", errors="replace")
            lines = [d.line for d in diagrams.find(text, source)]
        return diagrams.replace_with_images(
            markdown, source, depth(page.file.src_uri), log.warning,
            output=Path(config.docs_dir) / output, url=f"{output}/",
            renderer=self._renderer(), lines=lines)

    def _renderer(self) -> str | None:
        try:
            return diagrams.mermaid_version(Path(self.config.lock_file))
        except json.JSONDecodeError as error:  # a merge left conflict markers in it
            raise PluginError(
                "handbook/diagrams: the renderer's lock file cannot be read:\n"
                + diagrams.lock_problem(Path(self.config.lock_file), error)) from None
