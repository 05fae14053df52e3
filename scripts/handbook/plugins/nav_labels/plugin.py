"""handbook/nav-labels: each section toggle of the navigation gets the section's title as its
accessible name.

A section with an index page has its title as a link, and beside it a toggle (a <label> that
also names the section's <nav> through aria-labelledby) holding only an icon. Without a name the
toggle is a focusable control with no name, and every section's <nav> has an empty label, so
the landmarks cannot be told apart (axe: landmark-unique). Content pages and the 404 pages.
"""

from __future__ import annotations

import re

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins.nav_labels.config import NavLabelsConfig

# Quoted or not: a minifier may already have rewritten the markup.
_SECTION_TOGGLE = re.compile(
    r'(<a href=[^>]*class="?md-nav__link[^>]*>\s*<span class="?md-ellipsis"?>\s*([^<]*?)\s*</span>'
    r'\s*</a>\s*<label class="?md-nav__link[^>]*?id="?__nav_[\d_]+_label"?)')


_LABEL_ID = re.compile(r'id="?__nav_[\d_]+_label"?')


def name_section_toggles(html: str) -> str:
    """Add aria-label="<section title>" to each section toggle.

    Same result as _SECTION_TOGGLE.sub() over the page, which tried the pattern at each of the
    hundreds of links of a page: a match ends at a toggle's id and starts at the link just
    before it, so only those links are tried (a few per page).
    """
    pieces, last = [], 0
    for label in _LABEL_ID.finditer(html):
        start = html.rfind("<a href=", last, label.start())
        match = _SECTION_TOGGLE.match(html, start) if start != -1 else None
        if match is None or match.end() != label.end():
            continue
        pieces += [html[last:match.end()], f' aria-label="{match.group(2)}"']
        last = match.end()
    return "".join(pieces) + html[last:] if pieces else html


class NavLabelsPlugin(BasePlugin[NavLabelsConfig]):
    @event_priority(50)  # early: before any plugin that rewrites the whole page
    def on_post_page(self, output, *, page, config):
        return name_section_toggles(output) if self.config.enabled else output

    @event_priority(50)
    def on_post_template(self, output_content, *, template_name, config):
        if self.config.enabled and template_name == "404.html":
            return name_section_toggles(output_content)
        return output_content
