"""handbook/search-lazy: the search index loads when the reader reaches for search, and the
results show the section that answers.

Material (9.8.2) fetches the search index as soon as a page loads over HTTP, and only when the
search box opens from file:// (its `setupSearchWorker`: `merge(of(location.protocol !==
"file:"), watchToggle("search"))`). A reader who never searches paid 255 KB (gzip) for the
Indonesian index on every first visit. This plugin writes a copy of Material's bundle in which
HTTP behaves as file:// does (bundle.<Material's hash>.<its own hash>.min.js; the build stops if
Material's code no longer has that shape), and points every page at it. The search box opens
on focus, on the `/`, `s` and `f` shortcuts and on a tap on the search icon, so each loads the
index. Material's search highlighter also loads the index on every page (it needs it only on a
page opened from a result, whose address has ?h=words): the copy gives it the index only then.
Material has no option for either, so the two expressions are patched.

It also writes assets/javascripts/workers/handbook-search.js (worker.js here) and makes it the
page's search worker: a small script that loads Material's worker on the first message (the
worker's 12 KB are not fetched on page load either) and reorders its results so that the section
holding every word of the query comes first (see worker.js).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from handbook.plugins import nested_build
from handbook.plugins.search_lazy.config import SearchLazyConfig

WORKER = "handbook-search.js"
_BUNDLE = re.compile(r"(assets/javascripts/)bundle\.([0-9a-f]+)\.min\.js")
_BUNDLE_FILE = re.compile(r"bundle\.[0-9a-f]+(\.[0-9a-f]+)?\.min\.js")
_CONFIG_SCRIPT = re.compile(r'(<script id="?__config"?[^>]*>)(.*?)(</script>)', re.DOTALL)
_MATERIAL_WORKER = re.compile(r"search\.[0-9a-f]+\.min\.js$")
# Material's setupSearchWorker, minified: merge(of(location.protocol!=="file:"),watchToggle(
# "search")). The names of the minified functions change between releases; the shape does not.
_EAGER = re.compile(r'([\w$]+\()location\.protocol!=="file:"(\),[\w$]+\("search"\)\))')
# `index$ = document.forms.namedItem("search") ? fetchIndex() : NEVER`: both names.
_INDEX = re.compile(r'([\w$]+)=document\.forms\.namedItem\("search"\)\?[\w$]+\(\):([\w$]+)')
# mountSearchHiglight(el, {index$, location$}) subscribes to the index on every page load,
# though it needs it (for the separator) only on a page opened from a result, with ?h=words.
_HIGHLIGHT = r'\{{index\$:({index}),location\$:'


def _patch(pattern: re.Pattern, replacement, code: str, name: str, what: str) -> str:
    patched, count = pattern.subn(replacement, code)
    if count != 1:
        raise RuntimeError(
            f"handbook/search-lazy: {name}: {what} not found ({count} matches); fix: update the"
            " patterns in scripts/handbook/plugins/search_lazy/plugin.py for this release of"
            " Material, or disable the plugin")
    return patched


def lazy_bundle(code: str, name: str) -> str:
    """Material's bundle with the index loaded on the first opening of search, on any scheme,
    and by the highlighter only for a page opened from a search result (?h=...)."""
    code = _patch(_EAGER, r"\g<1>!1\g<2>", code, name, "Material's search set-up")
    index = _INDEX.search(code)
    if not index:
        raise RuntimeError(f"handbook/search-lazy: {name}: Material's search index not found")
    index_name, never = index.groups()
    highlight = re.compile(_HIGHLIGHT.format(index=re.escape(index_name)))
    return _patch(highlight,
                  lambda m: (f'{{index$:new URL(location.href).searchParams.has("h")?'
                             f'{m.group(1)}:{never},location$:'),
                  code, name, "Material's search highlighter")


def material_bundle() -> Path:
    """Material's bundle, in the installed theme."""
    import material

    found = list((Path(material.__file__).parent / "templates" / "assets" / "javascripts")
                 .glob("bundle.*.min.js"))
    if len(found) != 1:
        raise RuntimeError(f"handbook/search-lazy: Material's bundle not found: {found}")
    return found[0]


def lazy_name(bundle: Path, code: str) -> str:
    """bundle.<Material's hash>.<hash of the copy>.min.js: a new content gets a new name, so
    that a host may cache it for a year as it does Material's (scripts/serve_static.py)."""
    digest = hashlib.sha256(code.encode("utf-8")).hexdigest()[:8]
    return bundle.name.replace(".min.js", f".{digest}.min.js")


def point_page(html: str, where: str, bundle_name: str) -> str:
    """A page whose script is the lazy bundle and whose search worker is handbook-search.js."""
    html, count = _BUNDLE.subn(lambda m: m.group(1) + bundle_name, html)
    if count != 1:
        raise RuntimeError(f"{where}: Material's bundle script not found ({count} matches)")

    def config(match: re.Match) -> str:
        settings = json.loads(match.group(2))
        settings["search"] = _MATERIAL_WORKER.sub(WORKER, settings["search"])
        return match.group(1) + json.dumps(settings, separators=(",", ":")) + match.group(3)

    html, count = _CONFIG_SCRIPT.subn(config, html, count=1)
    if count != 1:
        raise RuntimeError(f"{where}: Material's __config script not found")
    return html


def write_assets(site: Path, shown_sections: int, bundle_name: str, code: str) -> None:
    scripts = site / "assets" / "javascripts"
    workers = list((scripts / "workers").glob("search.*.min.js"))
    if len(workers) != 1:
        raise RuntimeError(f"handbook/search-lazy: expected one search worker of Material in"
                           f" {scripts}, found {workers}")
    (scripts / bundle_name).write_text(code, encoding="utf-8")
    # No page loads Material's own bundle any more (its source map stays, for the copy).
    for bundle in scripts.glob("bundle.*.min.js"):
        if bundle.name != bundle_name and _BUNDLE_FILE.fullmatch(bundle.name):
            bundle.unlink()
    source = (Path(__file__).with_name("worker.js").read_text(encoding="utf-8")
              .replace("__MATERIAL_WORKER__", workers[0].name)
              .replace("__SHOWN_SECTIONS__", str(shown_sections)))
    (scripts / "workers" / WORKER).write_text(source, encoding="utf-8")


class SearchLazyPlugin(BasePlugin[SearchLazyConfig]):
    bundle_name = ""
    code = ""

    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def on_config(self, config):
        if self.config.enabled:
            bundle = material_bundle()
            self.code = lazy_bundle(bundle.read_text(encoding="utf-8"), bundle.name)
            self.bundle_name = lazy_name(bundle, self.code)

    @event_priority(40)  # after handbook/search-split (50) has rebased English pages
    def on_post_page(self, output, *, page, config):
        if not self.config.enabled:
            return output
        return point_page(output, page.file.src_uri, self.bundle_name)

    @event_priority(-80)  # before handbook/not-found (-90) keeps the 404 page of each language
    def on_post_template(self, output_content, *, template_name, config):
        if self.config.enabled and template_name == "404.html":
            return point_page(output_content, template_name, self.bundle_name)
        return output_content

    @event_priority(-250)  # after the search split (-200), before precompress (-300)
    def on_post_build(self, *, config):
        if self.config.enabled and not nested_build(config):
            write_assets(Path(config.site_dir), self.config.shown_sections, self.bundle_name,
                         self.code)
