"""Foundation: the strict build, both languages, and what every built page must carry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from lxml import etree, html
from support import LANGUAGES, ROOT, language_root


def nav_pages() -> list[str]:
    """Every Markdown path named in mkdocs.yml's nav."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    pages: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, str):
                pages.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value if isinstance(value, list) else [value])

    walk(config["nav"])
    return pages


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def page_language(site: Path, page: Path) -> str:
    return "en" if page.relative_to(site).parts[0] == "en" else "id"


def test_nav_covers_the_whole_book():
    pages = nav_pages()
    assert len(pages) == len(set(pages)), "a page is listed twice in the nav"
    assert len([p for p in pages if p.startswith("duties/") and p != "duties/index.md"]) == 11
    assert len([p for p in pages if p.startswith("skills/") and p != "skills/index.md"]) == 12
    for required in ("index.md", "overview.md", "learning-path.md", "glossary.md",
                     "contributing.md", "about.md"):
        assert required in pages


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_nav_page_exists_in_both_languages(lang):
    missing = [p for p in nav_pages() if not (ROOT / "docs" / lang / p).is_file()]
    assert not missing, f"pages in the nav with no docs/{lang}/ file: {missing}"


def test_no_markdown_page_outside_the_nav():
    listed = set(nav_pages())
    for lang in LANGUAGES:
        folder = ROOT / "docs" / lang
        extra = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")} - listed
        # Pages the build generates or links to on purpose stay out of the nav.
        extra -= {"translation-status.md"}
        assert not extra, f"docs/{lang} has pages that no nav entry reaches: {sorted(extra)}"


def test_home_pages_are_in_their_language(built_site):
    assert html.parse(str(built_site / "index.html")).getroot().get("lang") == "id"
    assert html.parse(str(built_site / "en" / "index.html")).getroot().get("lang") == "en"


@pytest.mark.parametrize("lang, title", [("id", "Tautan ke bagian ini"),
                                          ("en", "Link to this section")])
def test_heading_permalinks_are_titled_in_the_page_language(built_site, lang, title):
    # Regression: mkdocs.yml's Indonesian permalink_title was on every heading of /en/ too.
    for page in ("glossary.html", "duties/api-development.html"):
        root = html.parse(str(language_root(built_site, lang) / page)).getroot()
        titles = {a.get("title") for a in root.iterfind(".//a[@class='headerlink']")}
        assert titles == {title}, f"{lang}/{page}: {titles}"


def test_every_built_page_has_lang_title_and_description(built_site):
    problems = []
    for page in built_pages(built_site):
        root = html.parse(str(page)).getroot()
        name = page.relative_to(built_site).as_posix()
        if root.get("lang") != page_language(built_site, page):
            problems.append(f"{name}: lang={root.get('lang')!r}")
        if not (root.findtext(".//title") or "").strip():
            problems.append(f"{name}: empty <title>")
        description = root.xpath("//meta[@name='description']/@content")
        if not description or len(description[0].strip()) < 20:
            problems.append(f"{name}: missing or too short meta description")
    assert not problems, "\n".join(problems)


def test_no_page_loads_anything_from_another_host(built_site):
    """Scripts, styles, fonts, images and frames must come from the build itself."""
    loaders = ("//script/@src", ("//link[@rel='stylesheet' or @rel='preload' or @rel='preconnect'"
               " or @rel='icon' or @rel='modulepreload']/@href"), "//img/@src", "//iframe/@src",
               "//source/@src", "//video/@src", "//audio/@src")
    problems = []
    for page in built_pages(built_site):
        root = html.parse(str(page)).getroot()
        for xpath in loaders:
            for url in root.xpath(xpath):
                if urlsplit(url).netloc or url.startswith("//"):
                    problems.append(f"{page.relative_to(built_site)}: {url}")
        for style in root.xpath("//style/text()"):
            if "http://" in style or "https://" in style:
                problems.append(f"{page.relative_to(built_site)}: remote URL in inline <style>")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", [p.removesuffix(".md") + ".html" for p in nav_pages()])
def test_language_selector_lands_on_the_twin(built_site, page):
    for lang in LANGUAGES:
        source = language_root(built_site, lang) / page
        root = html.parse(str(source)).getroot()
        links = {a.get("hreflang"): a.get("href") for a in root.xpath("//a[@hreflang]")}
        assert set(links) == set(LANGUAGES), f"{source}: selector offers {sorted(links)}"
        for target_lang, href in links.items():
            assert not href.startswith(("/", "http")), f"{source}: non-relative {href}"
            target = (source.parent / href).resolve()
            assert target == (language_root(built_site, target_lang) / page).resolve()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_edit_link_points_at_the_page_language_source(built_site, lang):
    page = language_root(built_site, lang) / "overview.html"
    edit = html.parse(str(page)).getroot().xpath("//a[contains(@class, 'md-content__button')]/@href")
    assert edit and edit[0].endswith(f"/docs/{lang}/overview.md"), edit


def test_hreflang_alternates_are_in_the_sitemap_not_the_head(built_site):
    """Material fetches a sitemap beside every <link rel=alternate>; the sitemap holds them."""
    for lang in LANGUAGES:
        page = language_root(built_site, lang) / "duties" / "index.html"
        assert not html.parse(str(page)).getroot().xpath("//link[@rel='alternate'][@hreflang]")
    sitemap = etree.parse(str(built_site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = sitemap.xpath("//s:url", namespaces=ns)
    assert len(urls) == len(LANGUAGES) * len(nav_pages())  # every page, once per language
    for url in urls:
        loc = url.findtext("s:loc", namespaces=ns)
        alternates = {a.get("hreflang"): a.get("href") for a in url.xpath("x:link", namespaces=ns)}
        assert set(alternates) == set(LANGUAGES), loc
        assert loc in alternates.values()
        assert alternates["en"] == alternates["id"].replace("/panduan-backend/",
                                                            "/panduan-backend/en/", 1)


def test_each_language_has_its_own_404(built_site):
    root_404 = html.parse(str(built_site / "404.html")).getroot()
    en_404 = html.parse(str(built_site / "en" / "404.html")).getroot()
    assert root_404.get("lang") == "id" and "Tidak Ditemukan" in root_404.findtext(".//h1")
    assert en_404.get("lang") == "en" and "Not Found" in en_404.findtext(".//h1")


@pytest.mark.parametrize("page", ["404.html", "en/404.html"])
def test_language_selector_of_a_404_leads_to_each_home_page(built_site, page):
    # Rendered after the content pages, the 404 must not keep the last page's alternates.
    root = html.parse(str(built_site / page)).getroot()
    links = {a.get("hreflang"): a.get("href") for a in root.xpath('//a[@hreflang]')}
    assert links == {"id": "/panduan-backend/index.html", "en": "/panduan-backend/en/index.html"}


def test_sitemap_lists_both_languages(built_site):
    sitemap = (built_site / "sitemap.xml").read_text()
    assert "https://panduan-backend.github.io/panduan-backend/overview.html" in sitemap
    assert "https://panduan-backend.github.io/panduan-backend/en/overview.html" in sitemap


def test_fonts_are_system_fonts():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config["theme"]["font"] == "false"
    assert "navigation.instant" not in config["theme"]["features"]


def test_offline_zip_holds_both_languages(built_site):
    import zipfile

    with zipfile.ZipFile(built_site / "downloads" / "panduan-backend-offline.zip") as zf:
        names = set(zf.namelist())
    for page in ("index.html", "en/index.html", "search/search_index.js",
                 "en/search/search_index.js", "assets/javascripts/vendor/iframe-worker/shim.js"):
        assert f"panduan-backend/{page}" in names, page
    assert not any(name.endswith(".zip") for name in names), "the zip must not contain itself"


@pytest.mark.parametrize(("lang", "label"), [("id", "Pembaruan terakhir:"), ("en", "Last update:")])
def test_last_updated_is_shown_in_the_page_language(built_site, lang, label):
    page = language_root(built_site, lang) / "overview.html"
    text = " ".join(html.parse(str(page)).getroot().xpath("string(//div[@class='md-source-file'])")
                    .split())
    assert text.startswith(label), text
    assert "2026" in text or "20" in text


def test_search_index_per_language_does_not_mix(built_site):
    import json

    indexes = {lang: json.loads((language_root(built_site, lang) / "search" /
                                 "search_index.json").read_text()) for lang in LANGUAGES}
    assert all(index["docs"] for index in indexes.values())
    assert not any(d["location"].startswith("en/") for d in indexes["id"]["docs"])
    for lang, index in indexes.items():
        for doc in index["docs"]:
            page = language_root(built_site, lang) / doc["location"].split("#")[0]
            assert page.is_file(), f"{lang} index points at a missing page: {doc['location']}"
        js = (language_root(built_site, lang) / "search" / "search_index.js").read_text()
        assert js.startswith("var __index = ") and json.loads(js[len("var __index = "):]) == index


@pytest.mark.parametrize(("lang", "locale"), [("id", "id_ID"), ("en", "en_US")])
def test_open_graph_tags_with_a_local_image(built_site, lang, locale):
    root = html.parse(str(language_root(built_site, lang) / "overview.html")).getroot()
    og = {m.get("property"): m.get("content") for m in root.xpath("//meta[@property]")}
    assert og["og:locale"] == locale
    assert og["og:title"] and og["og:description"] and og["og:url"].endswith("overview.html")
    image = og["og:image"]
    assert image.startswith("https://panduan-backend.github.io/panduan-backend/")
    assert (built_site / image.split("/panduan-backend/", 1)[1]).is_file()


def test_scripts_are_deferred_so_the_page_paints_first(built_site):
    """Material's bundle and our scripts load with defer (overrides/main.html): parsed in
    order after the page, before DOMContentLoaded, never before the first paint. Only the
    iframe-worker shim in <head> stays synchronous (the bundle needs it)."""
    for page in built_pages(built_site):
        doc = html.fromstring(page.read_bytes())
        scripts = doc.xpath("//script[@src]")
        assert scripts, page
        for script in scripts:
            src = script.get("src")
            if src.endswith("iframe-worker/shim.js"):
                assert script.getparent().tag == "head" and script.get("defer") is None, page
            else:
                assert script.get("defer") is not None, f"{page}: {src} is not deferred"
        assert any("bundle." in s.get("src") for s in scripts), page
