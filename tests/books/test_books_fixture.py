"""The book build on a small fixture (issue 18): what a reader of the PDF and the EPUB gets, and
what a writer sees when a page is broken. These run in `make test`, but for the few that start
Java or Chromium (marked `books`: EPUBCheck and the code-line measure), which run with the checks
of the handbook's own books in `make test-books` (test_books_handbook.py)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from books_support import (
    build_books,
    code_overflow,
    copy_fixture,
    destination_page,
    epub_files,
    internal_links,
    outline_titles,
    squeeze,
    unembedded_fonts,
)
from handbook.books import file_name
from handbook.books.cli import epubcheck
from handbook.plugins.books.plugin import size_text
from pypdf import PdfReader


def pdf(out, lang):
    return PdfReader(out / file_name(lang, "pdf"))


def test_four_files_are_built(fixture_books):
    _, out, _ = fixture_books
    assert sorted(p.name for p in out.iterdir()) == [
        "panduan-backend-en.epub", "panduan-backend-en.pdf",
        "panduan-backend-id.epub", "panduan-backend-id.pdf"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pdf_has_a_cover_contents_and_a_page_per_chapter(fixture_books, lang):
    _, out, _ = fixture_books
    reader = pdf(out, lang)
    cover = squeeze(reader.pages[0].extract_text())
    title, language = {"id": ("Buku Uji", "Bahasa Indonesia"), "en": ("Test Book", "English")}[lang]
    assert title in cover and language in cover
    assert re.search(r"(Dibuat pada|Built on) \S+", cover), cover
    contents = squeeze(reader.pages[1].extract_text())
    assert ("Daftar Isi" if lang == "id" else "Contents") in contents
    # Each chapter starts on a new page: cover, contents, home, part, duty (at least).
    assert len(reader.pages) >= 5
    # The table of contents gives each chapter the page it starts on.
    duty = re.search(r"Caching\s*\.*\s*(\d+)", contents)
    assert duty, contents
    assert "Caching" in reader.pages[int(duty.group(1)) - 1].extract_text()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pdf_bookmarks_hold_every_part_and_page(fixture_books, lang):
    _, out, _ = fixture_books
    titles = outline_titles(pdf(out, lang))
    part = {"id": "Tugas Back-End Developer", "en": "Back-End Developer Duties"}[lang]
    assert titles[:2] == [(0, {"id": "Sampul", "en": "Cover"}[lang]),
                          (0, {"id": "Daftar Isi", "en": "Contents"}[lang])]
    assert (0, part) in titles
    # The duty page sits inside its part, its sections inside it.
    assert (1, "Caching") in titles
    assert titles.index((1, "Caching")) > titles.index((0, part))
    assert any(depth == 2 for depth, _ in titles)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_internal_link_lands_on_a_page_of_the_document(fixture_books, lang):
    _, out, _ = fixture_books
    reader = pdf(out, lang)
    links = internal_links(reader)
    assert len(links) >= 5  # contents, cross-page links, a link to a section of another page
    landing = [destination_page(reader, destination) for _, destination in links]
    assert None not in landing, links


@pytest.mark.parametrize("lang", ["id", "en"])
def test_external_links_stay_clickable(fixture_books, lang):
    _, out, _ = fixture_books
    uris = [annotation.get_object()["/A"]["/URI"]
            for page in pdf(out, lang).pages for annotation in page.get("/Annots") or []
            if "/URI" in annotation.get_object().get("/A", {})]
    # The download links of the home page go to the published site, as does the cover's link.
    assert f"https://example.org/buku/downloads/{file_name(lang, 'pdf')}" in uris


def test_fonts_are_embedded(fixture_books):
    _, out, _ = fixture_books
    for lang in ("id", "en"):
        assert unembedded_fonts(pdf(out, lang)) == set()


def test_a_paragraph_reads_back_as_written(fixture_books):
    """Text extraction returns the words as typed: no lost letters, ligatures or hyphens."""
    _, out, _ = fixture_books
    text = squeeze(" ".join(page.extract_text() for page in pdf(out, "id").pages))
    assert ("Pengembang back-end menyimpan hasil kueri yang mahal agar permintaan berikutnya "
            "lebih cepat; efisiensi ini tidak gratis, karena data di cache bisa basi.") in text


def test_no_interactive_leftovers_and_tabs_are_printed_with_their_labels(fixture_books):
    _, out, work = fixture_books
    text = squeeze(" ".join(page.extract_text() for page in pdf(out, "en").pages))
    # Both tabs, each after its label, in order; the collapsed hint printed open.
    python, sql = text.index("Python The lookup function"), text.index("SQL The expensive query")
    assert python < sql
    assert "Hint Measure the hit ratio" in text
    assert "¶" not in text  # no permalink signs
    page = (work / "book-en.html").read_text(encoding="utf-8")
    for leftover in ("<input", "md-search", "md-clipboard", "md-content__button", "#only-dark",
                     "tabbed-labels", "<details"):
        assert leftover not in page, leftover
    assert "☐" in text  # checklist items keep a box to tick with a pen


def test_diagrams_are_the_light_palette(fixture_books):
    _, _, work = fixture_books
    page = (work / "book-id.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+class="diagram[^"]*"[^>]*>', page)
    assert len(images) == 1 and "-light.svg" in images[0]


@pytest.mark.books
@pytest.mark.browser
def test_no_code_line_runs_past_the_right_margin(fixture_books, browser):
    _, _, work = fixture_books
    for lang in ("id", "en"):
        assert code_overflow(browser, work / f"book-{lang}.html") == []


@pytest.mark.books
@pytest.mark.browser
def test_the_overflow_measure_sees_a_line_that_runs_past(fixture_books, browser, tmp_path):
    """The measure above is not blind: without the book's wrapping rule the long line sticks out."""
    _, _, work = fixture_books
    page = (work / "book-en.html").read_text(encoding="utf-8").replace(
        "</head>", "<style>pre { white-space: pre !important; word-break: normal !important;"
        " overflow-wrap: normal !important; }</style></head>")
    unwrapped = tmp_path / "unwrapped.html"
    unwrapped.write_text(page, encoding="utf-8")
    assert code_overflow(browser, unwrapped)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_epub_has_chapters_navigation_language_and_images(fixture_books, lang):
    _, out, _ = fixture_books
    files = epub_files(out / file_name(lang, "epub"))
    names = list(files)
    assert names[0] == "mimetype" and files["mimetype"] == b"application/epub+zip"
    package = next(files[n] for n in names if n.endswith(".opf")).decode()
    assert re.search(rf"<dc:language>{lang}</dc:language>", package)
    assert 'properties="nav"' in package
    assert "rendition:layout" not in package or "reflowable" in package
    chapters = [n for n in names if n.endswith(("index.xhtml", "caching.xhtml"))]
    assert len(chapters) == 3  # home, the part's page, the duty: one file per page
    assert any(n.endswith("-light.svg") for n in names)
    assert not any(n.endswith("-dark.svg") for n in names)
    duty = next(files[n] for n in names if n.endswith("duties-caching.xhtml")).decode()
    assert 'src="images/' in duty
    # A link to a section of another chapter points into that chapter's file.
    assert 'href="index.xhtml#how-to-read"' in duty


@pytest.mark.books
def test_epubcheck_finds_no_error(fixture_books, capsys):
    if shutil.which("java") is None:
        pytest.skip("Java is missing: EPUBCheck needs it (`make system` installs it)")
    _, out, _ = fixture_books
    assert epubcheck([out / file_name(lang, "epub") for lang in ("id", "en")]) == 0, \
        capsys.readouterr().out


def test_a_broken_include_stops_the_build_with_file_line_and_fix(tmp_path):
    project = copy_fixture(tmp_path / "project")
    page = project / "docs" / "id" / "duties" / "caching.md"
    page.write_text(page.read_text(encoding="utf-8").replace("cache.py:lookup", "cache.py:lokup"),
                    encoding="utf-8")
    result = build_books(project, tmp_path / "out", tmp_path / "work")
    assert result.returncode == 1
    line = next(n for n, text in enumerate(page.read_text().splitlines(), 1) if "lokup" in text)
    assert re.search(rf"docs/id/duties/caching\.md:{line}: .*lokup.* — fix: ", result.stderr), \
        result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_diagram_stops_the_build_with_file_line_and_fix(tmp_path):
    project = copy_fixture(tmp_path / "project", render_diagrams=False)
    result = build_books(project, tmp_path / "out", tmp_path / "work")
    assert result.returncode == 1
    page = project / "docs" / "en" / "duties" / "caching.md"
    line = next(n for n, text in enumerate(page.read_text().splitlines(), 1) if "```mermaid" in text)
    assert re.search(rf"docs/en/duties/caching\.md:{line}: \[diagrams\] mermaid diagram not rendered.* — fix: "
                     r"run `make diagrams`", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


# --- the links from the site (handbook/books) ------------------------------------------------

def test_sizes_read_as_each_language_writes_them():
    assert size_text(8_208_655, "id") == "8,2 MB"
    assert size_text(8_208_655, "en") == "8.2 MB"
    assert size_text(945_400, "en") == "945 KB"


def _site_build(project, site, env=None):
    import os
    import sys

    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


def test_home_pages_link_the_books_of_their_language_with_their_size(tmp_path):
    """The Indonesian books are built, the English ones not: one build shows both cases."""
    project = copy_fixture(tmp_path / "project")
    books = project / "dist" / "books"
    books.mkdir(parents=True)
    for kind, size in (("pdf", 2_345_678), ("epub", 456_789)):
        (books / file_name("id", kind)).write_bytes(b"%" * size)
    result = _site_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home_id = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    home_en = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    base = "https://example.org/buku/downloads/"
    assert f'<a href="{base}panduan-backend-id.pdf" download>panduan-backend-id.pdf</a> (2,3 MB)' \
        in home_id
    assert f'<a href="{base}panduan-backend-id.epub" download>panduan-backend-id.epub</a> (457 KB)' \
        in home_id
    assert "panduan-backend-en" not in home_id
    # The files are in the site, where the links point.
    assert (tmp_path / "site" / "downloads" / "panduan-backend-id.epub").stat().st_size == 456_789
    # A book not built is a note, not a broken link (a local `make build` without `make books`).
    assert "<code>panduan-backend-en.pdf</code> (not in this build: run <code>make books</code>)" \
        in home_en
    assert "panduan-backend-id" not in home_en
    assert not (tmp_path / "site" / "downloads" / "panduan-backend-en.pdf").exists()


def test_a_missing_book_fails_the_build_when_the_books_are_required(tmp_path):
    """The deploy sets HANDBOOK_BOOKS_REQUIRED: the published site never lacks a book."""
    project = copy_fixture(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - handbook/books\n",
                                                 "  - handbook/books:\n      required: true\n"))
    result = _site_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert re.search(r"docs/id/index\.md:\d+: .*panduan-backend-id\.pdf is not built.* — fix: "
                     r"run `make books`", result.stderr), result.stderr


def test_a_table_wider_than_the_page_is_found_in_the_layout(weasyprint_ready):
    """The build fails on a table or code block that runs past the margin (pdf.too_wide): the
    measure sees one, and not a table the stylesheet fits (long words hyphenate or wrap)."""
    from handbook.books.pdf import STYLESHEET, too_wide
    from weasyprint import HTML

    def laid_out(cell: str):
        row = "".join(f"<td>{cell}</td>" for _ in range(8))
        return HTML(string=f'<html lang="en"><head><link rel="stylesheet" href="'
                           f'{STYLESHEET.as_uri()}"></head><body><table class="wide">'
                           f"<tr>{row}</tr></table><pre>{'x' * 400}</pre></body></html>").render()

    assert too_wide(laid_out("an ordinary cell of a table with several words")) == []
    # Eight columns of a word with no break point: the table cannot fit 174 mm.
    found = too_wide(laid_out("q" * 40))
    assert len(found) == 1
    assert re.match(r"page 1: a table runs \d+\.\d mm past the right margin \('q+'\) — fix: ",
                    found[0]), found
