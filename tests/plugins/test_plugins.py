"""The build's plugins (scripts/handbook/plugins/): registered, configured in mkdocs.yml, and
each doing its job on small inputs. Their libraries have their own tests (tests/glossary,
tests/site/test_diagrams.py, tests/translations, tests/search); the whole build is tested in
tests/site (test_build.py, test_preview.py)."""

from __future__ import annotations

import gzip
import importlib
import json
import logging
import tomllib
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from handbook.bench import plugin_items
from handbook.plugins.nav_labels.plugin import name_section_toggles
from handbook.plugins.not_found.plugin import language_home_links
from handbook.plugins.offline_zip.plugin import write_offline_zip
from handbook.plugins.precompress.plugin import Compressor, write_precompressed
from handbook.plugins.progress.plugin import fill_progress_page
from handbook.plugins.search_split.plugin import rebase
from mkdocs.config.base import Config
from support import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REGISTERED = PYPROJECT["project"]["entry-points"]["mkdocs.plugins"]


def test_every_plugin_is_installed_named_in_mkdocs_yml_and_has_a_config_schema():
    installed = {ep.name: ep.value for ep in entry_points(group="mkdocs.plugins")}
    listed = {name for name, _start, _end in plugin_items((ROOT / "mkdocs.yml").read_text())}
    for name, target in REGISTERED.items():
        assert installed.get(name) == target, f"{name}: run `make` (pip install -e .)"
        assert name in listed, f"mkdocs.yml does not switch on {name}"
        module, cls = target.split(":")
        plugin = getattr(importlib.import_module(module), cls)()
        folder = Path(importlib.import_module(module).__file__).parent
        assert (folder / "config.py").is_file(), f"{name}: its options belong in config.py"
        assert issubclass(plugin.config_class, Config) and plugin.config_class is not Config
        assert plugin.config_class.__module__ == module.rsplit(".", 1)[0] + ".config"
        errors, _warnings = plugin.load_config({}, str(ROOT / "mkdocs.yml"))
        assert not errors, f"{name}: its defaults do not validate: {errors}"
        assert plugin.config.enabled is True
        assert importlib.import_module(module).__doc__, f"{name}: say what it does in plugin.py"
    ours = {name for name in listed if name.startswith("handbook/")}
    assert ours == set(REGISTERED), "mkdocs.yml names a handbook plugin pyproject.toml lacks"


def test_no_hooks_and_no_sys_path_edits():
    text = (ROOT / "mkdocs.yml").read_text()
    assert "\nhooks:" not in text
    assert not (ROOT / "scripts" / "hooks.py").exists()
    for path in (ROOT / "scripts" / "handbook").rglob("*.py"):
        assert "sys.path" not in path.read_text(), path
    for name in ("glossary.py", "diagrams.py", "translations.py"):
        assert "sys.path" not in (ROOT / "scripts" / name).read_text(), name


def test_404_language_selector_leads_home_under_the_site_path():
    html = ('<a href="skills/x.html" hreflang="id" class="md-select__link">Bahasa Indonesia</a>'
            '<a href=en/skills/x.html hreflang=en class=md-select__link>English</a>')
    fixed = language_home_links(html, "https://example.org/book/")
    assert 'href="/book/index.html" hreflang="id"' in fixed
    assert 'href="/book/en/index.html" hreflang=en' in fixed
    assert 'href="/index.html"' in language_home_links(html, "http://127.0.0.1:8000/")


def test_section_toggles_get_the_section_title_quoted_or_not():
    page = ('<a href="index.html" class="md-nav__link">\n <span class="md-ellipsis">\n Tugas\n'
            ' </span>\n </a>\n <label class="md-nav__link" for="__nav_3" id="__nav_3_label" '
            'tabindex="">')
    assert 'id="__nav_3_label" aria-label="Tugas" tabindex' in name_section_toggles(page)
    minified = ('<a href=index.html class=md-nav__link><span class=md-ellipsis>Tugas</span></a>'
                '<label class=md-nav__link for=__nav_3 id=__nav_3_label tabindex>')
    assert 'id=__nav_3_label aria-label="Tugas" tabindex' in name_section_toggles(minified)
    assert name_section_toggles("<p>no navigation</p>") == "<p>no navigation</p>"


def test_english_pages_load_the_english_search_index():
    page = '<script id="__config" type="application/json">{"base":"..","search":"x.js"}</script>'
    assert '"base":"../en/"' in rebase(page, "en", "en/x.md")
    with pytest.raises(RuntimeError, match="en/x.md"):
        rebase("<p>no config</p>", "en", "en/x.md")


def test_progress_page_gets_its_data_and_rows():
    pages = [{"slug": "duties/a", "href": "duties/a.html", "title": "A </script>", "items": 3}]
    page = fill_progress_page("<!-- progress-pages -->\n<table><tbody></tbody></table>\n"
                              "<strong data-progress-total>0 / 0</strong>", pages)
    data = page.split('id="progress-pages">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data.replace("<\\/", "</")) == pages  # never closes the script early
    assert '<tr data-slug="duties/a">' in page and "0 / 3</strong>" in page


def test_precompress_writes_smaller_copies_and_reuses_them_from_the_cache(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "page.html").write_text("<p>halo dunia</p>\n" * 200)
    (site / "tiny.css").write_text("a{}")  # under min_size: left alone
    first = Compressor(cache)
    write_precompressed(site, {".html", ".css"}, first)
    assert (first.hits, first.misses) == (0, 1)
    assert gzip.decompress((site / "page.html.gz").read_bytes()) == \
        (site / "page.html").read_bytes()
    assert (site / "page.html.br").is_file() and not (site / "tiny.css.gz").exists()
    for copy in site.glob("*.gz"):
        copy.unlink()
    again = Compressor(cache)
    write_precompressed(site, {".html", ".css"}, again)
    assert (again.hits, again.misses) == (1, 0) and (site / "page.html.gz").is_file()
    (site / "page.html").write_text("<p>berubah</p>\n" * 200)
    changed = Compressor(cache)
    write_precompressed(site, {".html"}, changed)
    changed.prune()
    assert changed.misses == 1 and len(list(cache.glob("*/*"))) == 2  # old copies pruned
    assert gzip.decompress((site / "page.html.gz").read_bytes()).startswith(b"<p>berubah")


def test_offline_zip_reuses_gzip_copies_only_when_they_hold_the_file(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<p>beranda</p>\n" * 100)
    (site / "en" / "index.html").write_text("<p>home</p>\n" * 100)
    (site / "logo.png").write_bytes(bytes(range(256)))
    (site / "index.html.gz").write_bytes(gzip.compress((site / "index.html").read_bytes()))
    stale = gzip.compress(b"<p>old</p>\n" * 100)
    (site / "en" / "index.html.gz").write_bytes(stale)  # not this file: must not be used
    target = write_offline_zip(site, "downloads/book.zip", "book")
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        assert names == {"book/index.html", "book/en/index.html", "book/logo.png"}
        for name in names:
            assert zf.read(name) == (site / name.removeprefix("book/")).read_bytes()


def test_quiet_drops_info_of_the_named_loggers_only(caplog):
    from handbook.plugins.quiet.plugin import QuietPlugin

    noisy = logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure")
    plugin = QuietPlugin()
    plugin.load_config({}, str(ROOT / "mkdocs.yml"))
    plugin.on_config(None)
    try:
        with caplog.at_level(logging.INFO, logger="mkdocs"):
            noisy.info("Overriding 'en' config 'site_name'")
            noisy.warning("a real problem")
            logging.getLogger("mkdocs.commands.build").info("Documentation built")
    finally:
        for logger in plugin.filtered:
            logger.removeFilter(plugin.filter)
    messages = [record.getMessage() for record in caplog.records]
    assert "a real problem" in messages and "Documentation built" in messages
    assert not any("Overriding" in message for message in messages)


@pytest.mark.parametrize("module", ["offline_zip", "precompress", "search_offline"])
def test_work_a_preview_does_not_need_is_skipped_by_serve(module):
    plugin_module = importlib.import_module(f"handbook.plugins.{module}.plugin")
    cls = next(v for k, v in vars(plugin_module).items() if k.endswith("Plugin")
               and k != "BasePlugin")
    plugin = cls()
    plugin.load_config({}, str(ROOT / "mkdocs.yml"))
    assert plugin.config.serve is False
    plugin.on_startup(command="serve", dirty=True)
    assert plugin.serving


def test_inline_code_lines_join_but_code_blocks_keep_theirs():
    from handbook.plugins.inline_code.plugin import join_code_lines

    html = ('<p>Run <code>systemctl reload\n  nginx</code> now.</p>'
            '<pre><span></span><code>line one\nline two</code></pre>'
            '<p><code class="x">a\nb</code> <code>one line</code></p>')
    assert join_code_lines(html) == (
        '<p>Run <code>systemctl reload nginx</code> now.</p>'
        '<pre><span></span><code>line one\nline two</code></pre>'
        '<p><code class="x">a b</code> <code>one line</code></p>')


def test_page_cache_reuses_results_only_for_the_same_inputs(tmp_path):
    from handbook.cache import PageCache

    made = []

    def make(text):
        made.append(text)
        return text.upper()

    cache = PageCache(tmp_path, "glossary v1")
    assert cache.cached(lambda: make("halo"), "halo", "id") == "HALO"
    assert cache.cached(lambda: make("halo"), "halo", "id") == "HALO"
    assert made == ["halo"]  # the second time from disk
    cache.cached(lambda: make("halo"), "halo", "en")  # another input: made again
    PageCache(tmp_path, "glossary v2").cached(lambda: make("halo"), "halo", "id")  # new salt
    assert made == ["halo", "halo", "halo"]
    assert PageCache(None).cached(lambda: make("x"), "x") == "X"  # no folder: no cache


def test_dropping_a_plugin_with_options_keeps_the_next_plugin():
    """Regression: an entry with options (`- handbook/books:` and its `required:` line) followed
    by a comment ended, for plugin_items, on the next entry's line, so without_plugins dropped
    handbook/diagrams with handbook/books (and tests/site/test_same_html.py compared a site
    without diagrams)."""
    from handbook.bench import without_plugins

    text = ("plugins:\n  - a\n  - b:\n      x: 1\n  # c comes next\n  - c\n"
            "  - d:\n      y: [1, 2]\n")
    assert [(n, s, e) for n, s, e in plugin_items(text)] == [
        ("a", 1, 2), ("b", 2, 5), ("c", 5, 6), ("d", 6, 8)]
    assert without_plugins(text, lambda name: name in ("b", "d")) == "plugins:\n  - a\n  - c\n"


def test_search_lazy_patches_materials_bundle_or_stops_the_build():
    """Material's bundle loads the index on page load over HTTP and for its highlighter; the
    copy loads it when search opens, and on a page opened from a result (?h=). A release of
    Material whose code has another shape stops the build with what to do."""
    from handbook.plugins.search_lazy.plugin import lazy_bundle, material_bundle, point_page

    code = material_bundle().read_text(encoding="utf-8")
    patched = lazy_bundle(code, "bundle.js")
    assert 'location.protocol!=="file:"),' in code
    assert 'location.protocol!=="file:"),' not in patched
    assert 'searchParams.has("h")' in patched
    with pytest.raises(RuntimeError, match="fix: update the patterns"):
        lazy_bundle(code.replace('location.protocol!=="file:"', "true"), "bundle.js")
    page = ('<script id="__config" type="application/json">{"base":".","search":'
            '"assets/javascripts/workers/search.a7633da7.min.js"}</script>'
            '<script defer src="assets/javascripts/bundle.a5f9d56c.min.js"></script>')
    pointed = point_page(page, "x.md", "bundle.a5f9d56c.0123abcd.min.js")
    assert '"search":"assets/javascripts/workers/handbook-search.js"' in pointed
    assert 'src="assets/javascripts/bundle.a5f9d56c.0123abcd.min.js"' in pointed


def test_search_index_merges_in_short_into_the_page_result():
    from handbook.search import merge_summaries

    docs = [{"location": "a.html", "title": "A", "text": ""},
            {"location": "a.html#in-short", "title": "In Short", "text": "<p>sum</p>"},
            {"location": "a.html#more", "title": "More", "text": "x"},
            {"location": "b.html", "title": "B", "text": "<p>opening</p>"},
            {"location": "b.html#in-short", "title": "In Short", "text": "y"}]
    assert [(d["location"], d["text"]) for d in merge_summaries(docs)] == [
        ("a.html", "<p>sum</p>"), ("a.html#more", "x"), ("b.html", "<p>opening</p>"),
        ("b.html#in-short", "y")]


def test_search_index_leaves_code_listings_out_but_keeps_inline_code():
    from handbook.search import without_code_blocks

    docs = [{"location": "a.html", "title": "A",
             "text": '<p>Run <code>git bisect</code>:</p><pre class="x"><code>git bisect start\n'
                     "</code></pre><p>then read the log.</p>"}]
    assert without_code_blocks(docs)[0]["text"] == (
        "<p>Run <code>git bisect</code>:</p><p>then read the log.</p>")
