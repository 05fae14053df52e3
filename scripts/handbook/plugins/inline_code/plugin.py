"""handbook/inline-code: a line break inside inline code is a space.

A `code span` that wraps across lines in the Markdown source keeps its line break in
Python-Markdown's HTML, and Material styles code with `white-space: pre-wrap`, so the break
showed on the page ("systemctl reload" / "nginx" on two lines). CommonMark makes it a space;
the HTML minifier the build used until issue 17 (htmlmin) collapsed it too, which is how the
site has always looked. Code blocks (<pre>) keep their lines.
"""

from __future__ import annotations

import re

from mkdocs.plugins import BasePlugin

from handbook.plugins.inline_code.config import InlineCodeConfig

_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_CODE = re.compile(r"(<code\b[^>]*>)([^<]*\n[^<]*)(</code>)")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")


def join_code_lines(html: str) -> str:
    def joined(match: re.Match) -> str:
        return match.group(1) + _BREAK.sub(" ", match.group(2)) + match.group(3)

    pieces, last = [], 0
    for block in _PRE.finditer(html):
        pieces += [_CODE.sub(joined, html[last:block.start()]), block.group()]
        last = block.end()
    return "".join(pieces) + _CODE.sub(joined, html[last:])


class InlineCodePlugin(BasePlugin[InlineCodeConfig]):
    def on_page_content(self, html, *, page, config, files):
        return join_code_lines(html) if self.config.enabled and "<code" in html else html
