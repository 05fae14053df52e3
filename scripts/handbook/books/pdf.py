"""The PDF edition: one print page of the whole book, laid out by WeasyPrint.

WeasyPrint, because CSS Paged Media does what a printed book needs without code of ours: the
table of contents gets its page numbers from target-counter(), the running header its chapter from
string-set, the PDF outline its entries from bookmark-level, and links inside the document become
GoTo links. The print page is also written beside the PDF (book-<lang>.html), so a browser can
show and measure exactly what WeasyPrint laid out (tests/books measure code lines in Chromium).
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape
from pathlib import Path

from babel.dates import format_date

from handbook.books import assemble
from handbook.books.assemble import Book, BookError, Chapter

STYLESHEET = Path(__file__).with_name("book.css")
# The faces the stylesheet names: fc-match must find each (Debian: fonts-dejavu-core, -extra).
FONTS = ("DejaVu Serif", "DejaVu Serif:italic", "DejaVu Serif:bold", "DejaVu Sans",
         "DejaVu Sans:bold", "DejaVu Sans Mono", "DejaVu Sans Mono:italic")


def check_fonts() -> None:
    """Fail early, and say which package to install, when Pango or a face of the stylesheet is
    missing: WeasyPrint would stop with a traceback, fontconfig quietly fall back to another font."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        raise BookError(f"WeasyPrint cannot load Pango ({error}) — fix: install Debian's "
                        "libpangoft2-1.0-0 (`make system` does)") from None
    if shutil.which("fc-match") is None:
        raise BookError("fc-match not found — fix: install Debian's fontconfig "
                        "(`make system` does)")
    for face in FONTS:
        family, _, style = face.partition(":")
        found = subprocess.run(["fc-match", "--format=%{family}|%{style}", face],
                               capture_output=True, text=True, check=False).stdout
        names, _, styles = found.partition("|")
        if family not in names.split(",") or (style and style not in styles.lower()
                                              and "oblique" not in styles.lower()):
            raise BookError(f"font {face!r} not installed (fontconfig offers {found!r}) — fix: "
                            "install Debian's fonts-dejavu-core and fonts-dejavu-extra "
                            "(`make system` does)")


def pygments_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


def chapter_kind(chapter: Chapter) -> str:
    if chapter.level == 2:
        return "in-part"
    return "part-opener" if chapter.part else "single"


def print_html(book: Book, problems: list[str]) -> str:
    """The whole book as one HTML document for WeasyPrint (chapters rewritten in place: pass a
    copy when the book is used again)."""
    words = book.words
    parts = []
    for chapter in book.chapters:
        assemble.rewrite_links(
            book, chapter,
            to_chapter=lambda target, fragment: f"#{target.pid}--{fragment}" if fragment
            else f"#{target.pid}",
            to_asset=lambda path: (book.site / path).as_uri(),
            problems=problems)
        assemble.prefix_ids(chapter)
        body = chapter.body
        h1 = body.find(".//h1")
        if chapter.part and h1 is not None:
            name = assemble.html.Element("p", {"class": "part-name"})
            name.text = chapter.part
            h1.addprevious(name)
        parts.append(f'<section class="chapter {chapter_kind(chapter)}" id="{chapter.pid}">'
                     f"{assemble.to_string(body)}</section>")
    date = format_date(book.date, format="long", locale=book.lang)
    logo = (book.site / "assets" / "favicon.svg").as_uri()
    cover = f"""<section class="cover">
<img class="mark" src="{logo}" alt="">
<h1 class="book-title">{escape(book.title)}</h1>
<p class="description">{escape(book.description)}</p>
<p class="language">{escape(words["language"])}</p>
<div class="facts">
<p>{escape(words["edition"])} · {escape(words["built"])} {escape(date)}</p>
<p>{escape(words["site"])}: <a href="{escape(_site_home(book))}">{escape(_site_home(book))}</a></p>
<p>{escape(book.copyright)}</p>
</div>
</section>"""
    toc = [f'<nav class="toc"><h1>{escape(words["contents"])}</h1><ol>']
    for chapter in book.chapters:
        toc.append(f'<li class="level-{chapter.level}"><a href="#{chapter.pid}">'
                   f"{escape(chapter.title)}</a></li>")
    toc.append("</ol></nav>")
    return f"""<!doctype html>
<html lang="{book.lang}">
<head>
<meta charset="utf-8">
<title>{escape(book.title)}</title>
<meta name="author" content="{escape(_author(book))}">
<meta name="description" content="{escape(book.description)}">
<meta name="dcterms.created" content="{book.date.isoformat()}">
<meta name="generator" content="MkDocs, WeasyPrint">
<link rel="stylesheet" href="{STYLESHEET.as_uri()}">
<style>{pygments_css()}</style>
</head>
<body>
{cover}
{"".join(toc)}
{"".join(parts)}
</body>
</html>
"""


def _site_home(book: Book) -> str:
    return book.site_url + assemble.root_prefix(book.lang)


def _author(book: Book) -> str:
    return "Kontributor Panduan Back-End" if book.lang == "id" else \
        "Back-End Developer Handbook contributors"


def write_pdf(book: Book, target: Path, html_copy: Path | None = None) -> list[str]:
    """Write the PDF of a book; returns the link problems found on the way (unknown anchors)."""
    from weasyprint import HTML

    check_fonts()
    problems: list[str] = []
    document = print_html(book, problems)
    if html_copy is not None:
        html_copy.parent.mkdir(parents=True, exist_ok=True)
        html_copy.write_text(document, encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    laid_out = HTML(string=document, base_url=str(book.site)).render()
    problems += too_wide(laid_out)
    laid_out.write_pdf(target)
    return problems


def too_wide(document) -> list[str]:
    """Tables and code blocks that the layout made wider than the text column, with their page.

    Measured in WeasyPrint's own layout, so what is checked is what is printed (Chromium lays out
    tables differently). The box tree is reached through Page._page_box, an attribute WeasyPrint
    does not document: requirements.txt pins WeasyPrint, and the fixture test of tests/books
    proves the measure still sees a table that runs past the margin."""
    from weasyprint.formatting_structure.boxes import BlockBox, TableBox

    found = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if not (isinstance(box, TableBox) or (isinstance(box, BlockBox)
                                                  and box.element_tag == "pre")):
                continue
            over = box.border_box_x() + box.border_width() - right
            if over > 0.5:  # CSS px; half a pixel of rounding is no overflow
                text = " ".join("".join(box.element.itertext()).split())[:60]
                found.append(f"page {number}: a {box.element_tag} runs {over * 0.2646:.1f} mm "
                             f"past the right margin ({text!r}) — fix: shorten its longest "
                             "words or lines, or split it, in the page's Markdown")
    return found
