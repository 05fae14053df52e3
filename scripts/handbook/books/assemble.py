"""From the built site to a book: the nav's pages, in order, each made printable.

The site's HTML is the source (not the Markdown again): it already holds everything the site's
plugins add. Each page's <article> is taken, cleaned of what only works on a screen, and its
links are sorted into three kinds: to a chapter of the book, to the rest of the published site,
and external. The PDF (one document, ids made unique per chapter) and the EPUB (one file per
chapter) each rewrite them their own way through `rewrite_links`.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from lxml import etree, html

from handbook.books import LEFT_OUT
from handbook.languages import DEFAULT_LANGUAGE, root_prefix

# A table of this many columns or more is set in smaller type in the PDF (book.css: table.wide).
WIDE_TABLE = 7
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Words of the book's own pages (cover, contents), per language.
WORDS = {
    "id": {"language": "Bahasa Indonesia", "contents": "Daftar Isi", "built": "Dibuat pada",
           "edition": "Edisi PDF", "site": "Versi daring", "epub": "Edisi EPUB"},
    "en": {"language": "English", "contents": "Contents", "built": "Built on",
           "edition": "PDF edition", "site": "Online version", "epub": "EPUB edition"},
}


class BookError(Exception):
    """A problem that stops the book, with where it is and how to fix it."""


@dataclass
class Chapter:
    pid: str  # unique id in the book: "duties-api-development", "index"
    src: str  # the nav's path: "duties/api-development.md"
    url: str  # the built page below the site folder: "en/duties/api-development.html"
    title: str  # the page's h1, as text
    level: int  # 1: a page of its own or a part's opening page; 2: a page inside a part
    part: str | None  # the nav section's title, on a part's opening page
    body: html.HtmlElement  # the cleaned article (a <div>), with the page's own ids
    ids: set[str] = field(default_factory=set)


@dataclass
class Book:
    lang: str
    title: str
    description: str
    copyright: str
    site_url: str  # the published site's root, ending in "/"
    date: dt.date
    site: Path  # the built site the chapters come from
    chapters: list[Chapter]

    @property
    def words(self) -> dict[str, str]:
        return WORDS[self.lang]

    def chapter_by_url(self) -> dict[str, Chapter]:
        return {chapter.url: chapter for chapter in self.chapters}


def build_date() -> dt.date:
    """Today in Jakarta, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()


def nav_entries(nav, translations: dict[str, str] | None = None):
    """(src, level, part title) for each page of mkdocs.yml's nav, in order.

    A section's first page is its index (navigation.indexes): it opens the part (level 1, with
    the section's title); the section's other pages are level 2."""
    translations = translations or {}
    for entry in nav or []:
        title, value = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
        if isinstance(value, list):
            pages = [next(iter(v.values())) if isinstance(v, dict) else v for v in value]
            for number, src in enumerate(pages):
                part = translations.get(title, title) if number == 0 else None
                yield src, (1 if number == 0 else 2), part
        else:
            yield value, 1, None


def chapter_id(src: str) -> str:
    return src.removesuffix(".md").replace("/", "-")


def load(site: Path, settings: dict, lang: str, date: dt.date | None = None) -> Book:
    """The book of one language from a built site.

    settings: what mkdocs.yml says of the language — nav, site_url and, per language, site_name,
    site_description, copyright and nav_translations (see `language_settings`)."""
    own = settings["languages"][lang]
    chapters = []
    for src, level, part in nav_entries(settings["nav"], own.get("nav_translations")):
        if src in LEFT_OUT:
            continue
        url = root_prefix(lang) + src.removesuffix(".md") + ".html"
        page = site / url
        if not page.is_file():
            raise BookError(f"{page}: the built page of {src} is missing — fix: build the site "
                            "first (`python scripts/books.py build` does)")
        chapters.append(_chapter(page, src, url, level, part))
    return Book(lang=lang, title=own["site_name"], description=own["site_description"],
                copyright=own["copyright"], site_url=settings["site_url"].rstrip("/") + "/",
                date=date or build_date(), site=site, chapters=chapters)


def language_settings(config) -> dict:
    """What `load` needs from a loaded MkDocs config, read before a build changes it (static-i18n
    rewrites site_name, copyright... for each language it builds)."""
    i18n = config.plugins["i18n"].config
    languages = {}
    for language in i18n.languages:
        languages[language.locale] = {
            "site_name": language.site_name or config.site_name,
            "site_description": " ".join((language.site_description
                                          or config.site_description or "").split()),
            "copyright": " ".join((language.copyright or config.copyright or "").split()),
            "nav_translations": dict(language.nav_translations or {}),
        }
    return {"nav": config.nav, "site_url": config.site_url, "languages": languages,
            "default": DEFAULT_LANGUAGE}


def _chapter(page: Path, src: str, url: str, level: int, part: str | None) -> Chapter:
    tree = html.parse(str(page))
    articles = tree.xpath('//article[contains(@class, "md-content__inner")]')
    if not articles:
        raise BookError(f"{page}: no <article class=\"md-content__inner\"> in the built page — "
                        "fix: the theme's page template changed; update handbook/books/assemble.py")
    body = articles[0]
    body.tag, body.attrib["class"] = "div", "chapter-body"
    clean(body)
    h1 = body.find(".//h1")
    title = " ".join(h1.text_content().split()) if h1 is not None else src
    ids = {element.get("id") for element in body.iter() if element.get("id")}
    return Chapter(pid=chapter_id(src), src=src, url=url, title=title, level=level, part=part,
                   body=body, ids=ids)


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _drop(element) -> None:
    """Remove an element but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def clean(body) -> None:
    """Make an article printable (in place): nothing a reader could only use on a screen."""
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            continue
        classes = _classes(element)
        if element.tag in ("script", "style", "noscript") or (
                element.tag == "a" and ("headerlink" in classes or "md-content__button" in classes)
        ) or "md-source-file" in classes:
            _drop(element)
        elif element.tag == "img":
            src = element.get("src", "")
            if src.endswith("#only-dark"):
                _drop(element)
            else:
                element.set("src", src.removesuffix("#only-light"))
                for attribute in ("loading", "decoding"):
                    element.attrib.pop(attribute, None)
    for tabs in body.xpath('.//div[contains(concat(" ", @class, " "), " tabbed-set ")]'):
        _unfold_tabs(tabs)
    for details in body.xpath(".//details"):
        _open_details(details)
    for control in body.xpath('.//label[contains(@class, "task-list-control")]'):
        box = html.Element("span", {"class": "task-box", "aria-hidden": "true"})
        box.text = "\u2610"  # BALLOT BOX: a box to tick with a pen
        box.tail = control.tail
        control.getparent().replace(control, box)
    for element in body.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("tabindex", None)
    for table in body.iter("table"):
        row = table.find(".//tr")
        if row is not None and len(row.findall("th") + row.findall("td")) >= WIDE_TABLE:
            table.set("class", " ".join([*_classes(table), "wide"]))


def _unfold_tabs(tabs) -> None:
    """Content tabs one after another, each under its label (a printed page has no tabs)."""
    labels = [" ".join(label.text_content().split()) for label in
              tabs.xpath('./div[contains(@class, "tabbed-labels")]/label')]
    blocks = tabs.xpath('./div[contains(@class, "tabbed-content")]/div[contains(@class, '
                        '"tabbed-block")]')
    unfolded = html.Element("div", {"class": "tabs-unfolded"})
    for label, block in zip(labels, blocks, strict=False):
        title = html.Element("p", {"class": "tab-label"})
        title.text = label
        unfolded.append(title)
        block.attrib["class"] = "tab-block"
        unfolded.append(block)
    unfolded.tail = tabs.tail
    tabs.getparent().replace(tabs, unfolded)


def _open_details(details) -> None:
    """A collapsed block (??? note) printed open, as the admonition it is."""
    details.tag = "div"
    details.set("class", " ".join(["admonition", *_classes(details)]))
    details.attrib.pop("open", None)
    summary = details.find("summary")
    if summary is not None:
        summary.tag = "p"
        summary.set("class", "admonition-title")


# --- links ---------------------------------------------------------------------------------

Resolver = Callable[[Chapter, str], str]


def rewrite_links(book: Book, chapter: Chapter, to_chapter: Resolver,
                  to_asset: Callable[[str], str], problems: list[str]) -> None:
    """Point every link and image of a chapter where its book needs it (in place).

    to_chapter(target, fragment): the href of a place in a chapter of the book (fragment "" is
    the chapter's start); to_asset(site path): the src of an image of the site. Links to other
    files of the site go to the published site. An unknown fragment is added to `problems`."""
    by_url = book.chapter_by_url()
    base = posixpath.dirname(chapter.url)
    for element in chapter.body.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        url = element.get(attribute)
        if not url or _SCHEME.match(url) or url.startswith("//"):
            continue
        path, _, fragment = url.partition("#")
        fragment = unquote(fragment)
        target = (posixpath.normpath(posixpath.join(base, unquote(path))) if path
                  else chapter.url)
        if element.tag == "img":
            element.set("src", to_asset(target))
            continue
        found = by_url.get(target)
        if found is None:
            element.set("href", book.site_url + target + (f"#{fragment}" if fragment else ""))
            continue
        if fragment and fragment not in found.ids:
            problems.append(f"{chapter.url}: link to {url}: no id {fragment!r} in {found.url}")
            fragment = ""
        element.set("href", to_chapter(found, fragment))


def prefix_ids(chapter: Chapter) -> None:
    """Make the chapter's ids unique in one document: "<chapter>--<id>" (in place)."""
    for element in chapter.body.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("id", "aria-labelledby", "aria-describedby", "for"):
            value = element.get(attribute)
            if value:
                element.set(attribute, " ".join(f"{chapter.pid}--{v}" for v in value.split()))


def copied(book: Book) -> Book:
    """A deep copy, so that the PDF and the EPUB can each rewrite the same chapters."""
    return copy.deepcopy(book)


def to_string(element) -> str:
    return etree.tostring(element, encoding="unicode", method="html")
