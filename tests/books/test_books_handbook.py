"""The handbook's own books, as `make books` built them (issue 18). They take minutes to build,
so these run in `make test-books` (CI's "books" job), not in `make test`; the same checks on a
small fixture book run in `make test` (test_books_fixture.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from books_support import (
    code_overflow,
    destination_page,
    internal_links,
    outline_pages,
    outline_titles,
    squeeze,
    unembedded_fonts,
)
from handbook.books import file_name
from handbook.books.cli import epubcheck
from handbook.pages import nav_files
from lxml import html
from pypdf import PdfReader
from support import ROOT

pytestmark = pytest.mark.books

# The sample paragraph of each language: the first paragraph of a duty page's "In Short" (found by
# the section's id, so that an edit of the page does not break the test). It holds what PDF text
# extraction gets wrong when a font or a ligature is mapped badly: "fi" (mendefinisikan, define).
SAMPLE = "duties/api-development.md"


def nav_pages(prefix: str) -> list[str]:
    """The duty (or skill) pages mkdocs.yml's nav lists, their section's index page left out."""
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [p for p in nav_files(nav["nav"]) if p.startswith(prefix) and not p.endswith("index.md")]


def page_title(work: Path, lang: str, src: str) -> str:
    built = work / "site" / ("" if lang == "id" else "en") / src.replace(".md", ".html")
    h1 = html.parse(str(built)).find(".//h1")
    for link in h1.findall('.//a[@class="headerlink"]'):
        link.drop_tree()
    return " ".join(h1.text_content().split())


@pytest.fixture(scope="module")
def readers(handbook_books):
    out, _ = handbook_books
    return {lang: PdfReader(out / file_name(lang, "pdf")) for lang in ("id", "en")}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_page_count(readers, lang):
    # 490 (id) and 470 (en) A4 pages on 2026-12-07; a book under 200 pages has lost most of its
    # chapters.
    assert len(readers[lang].pages) > 200


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_contents_give_each_chapter_the_page_it_starts_on(readers, lang):
    reader = readers[lang]
    contents = {"id": "Daftar Isi", "en": "Contents"}[lang]
    outline = outline_pages(reader)
    at = next(page for _, title, page in outline if title == contents)
    # The contents' pages: from its own to the page the first chapter starts on.
    first = next(page for _, title, page in outline if page > at)
    listed = {}
    for number in range(at, first):
        for line in reader.pages[number].extract_text().splitlines():
            found = re.match(r"(.+?)\s*\.{3,}\s*(\d+)$", line.strip())
            if found:
                listed[" ".join(found.group(1).split())] = int(found.group(2))
    chapters = [(title, page) for depth, title, page in outline if depth <= 1 and page > at
                and title in listed]
    assert len(listed) >= 30 and len(chapters) == len(listed), (listed, chapters)
    wrong = [(title, listed[title], page + 1) for title, page in chapters
             if listed[title] != page + 1]
    assert wrong == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_bookmark_for_every_duty_and_skill_page(readers, handbook_books, lang):
    _, work = handbook_books
    titles = {title for _, title in outline_titles(readers[lang])}
    pages = nav_pages("duties/") + nav_pages("skills/")
    assert len(pages) == 23
    missing = [src for src in pages if page_title(work, lang, src) not in titles]
    assert missing == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_sample_paragraph_is_extractable(readers, handbook_books, lang):
    _, work = handbook_books
    built = work / "site" / ("" if lang == "id" else "en") / SAMPLE.replace(".md", ".html")
    heading = html.parse(str(built)).find('.//h2[@id="in-short"]')
    paragraph = squeeze(heading.getnext().text_content())
    assert len(paragraph) > 200 and "fi" in paragraph
    # The chapter's first pages, found by its bookmark (extracting all 480 pages takes minutes).
    reader = readers[lang]
    title = page_title(work, lang, SAMPLE)
    start = next(page for depth, name, page in outline_pages(reader) if name == title)
    text = squeeze(" ".join(reader.pages[n].extract_text() for n in range(start, start + 2)))
    assert paragraph in text
    # No ligature glyph (U+FB00-FB06), replacement character or soft hyphen in place of letters.
    assert not re.search("[\ufb00-\ufb06\ufffd\u00ad]", text)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_internal_link_resolves_to_a_page(readers, lang):
    reader = readers[lang]
    links = internal_links(reader)
    assert len(links) > 1000  # contents, glossary terms, cross references
    lost = [(page, dest) for page, dest in links if destination_page(reader, dest) is None]
    assert lost == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_fonts_are_embedded(readers, lang):
    assert unembedded_fonts(readers[lang]) == set()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_code_line_runs_past_the_right_margin(handbook_books, browser, lang):
    _, work = handbook_books
    assert code_overflow(browser, work / f"book-{lang}.html") == []


def test_epubcheck_finds_no_error(handbook_books, capsys):
    if shutil.which("java") is None:
        pytest.fail("Java is missing: EPUBCheck needs it (`make system` installs it)")
    out, _ = handbook_books
    assert epubcheck([out / file_name(lang, "epub") for lang in ("id", "en")]) == 0, \
        capsys.readouterr().out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_each_book_declares_its_language(readers, lang):
    assert readers[lang].trailer["/Root"]["/Lang"] == lang
