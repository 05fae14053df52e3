"""handbook/minify-html: smaller HTML pages, with minify-html (Rust, maintained).

It replaced mkdocs-minify-plugin's htmlmin (pure Python, unmaintained since 2017): on the full
book minify-html takes 0.2 s where htmlmin took about 0.9 s, and saves more (gzip -9: 1,352 KB
unminified, 1,278 KB htmlmin, 1,269 KB minify-html; brotli 10: 1,123 / 1,072 / 1,066 KB). It runs
after every plugin that edits the markup (priority 50) and before handbook/not-found keeps the
404 pages (-90). Inline scripts and styles are left as they are (Material's are minified).
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins.minify_html.config import MinifyHtmlConfig


class MinifyHtmlPlugin(BasePlugin[MinifyHtmlConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def _minify(self, html: str) -> str:
        if not self.config.enabled or (self.serving and not self.config.serve):
            return html
        import minify_html

        return minify_html.minify(html, **self.config.options)

    @event_priority(-50)  # after the plugins that edit the markup (50)
    def on_post_page(self, output, *, page, config):
        return self._minify(output)

    @event_priority(-50)  # before handbook/not-found keeps the 404 pages (-90)
    def on_post_template(self, output_content, *, template_name, config):
        if template_name.endswith(".html"):
            return self._minify(output_content)
        return output_content
