"""handbook/books: the PDF and EPUB of each language, linked from the pages with their size.

A page asks for a book with a marker where the link goes: `<!-- book:pdf -->` or
`<!-- book:epub -->`. It becomes a link to the book of the page's language with its size, read
from the file `make books` wrote (dist/books/), never typed. The books are made by
scripts/books.py (handbook.books) from a build of this same site.

The link is absolute (site_url + downloads/...) and the files are copied into the site after
handbook/offline-zip has packed it: the offline zip stays the size of the website (3.6 MB, not
20 MB more of PDF and EPUB) and its home pages still offer the books, fetched from the published
site. The link check (which resolves site_url links inside the build) still sees that each file
is there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from babel.numbers import format_decimal
from mkdocs.plugins import BasePlugin, event_priority

from handbook.books import file_name
from handbook.languages import LANGUAGES, building
from handbook.plugins import logger, nested_build
from handbook.plugins.books.config import BooksConfig

log = logger("books")
MARKER = re.compile(r"<!--\s*book:(pdf|epub)\s*-->")
KINDS = ("pdf", "epub")
NOT_BUILT = {
    "id": "belum dibuat di build ini: jalankan <code>make books</code>",
    "en": "not in this build: run <code>make books</code>",
}


def size_text(size: int, lang: str) -> str:
    """A file size as a reader reads it: "8,2 MB" in Indonesian, "8.2 MB" in English (SI units,
    as a browser's download list shows them)."""
    if size >= 1_000_000:
        return f"{format_decimal(size / 1_000_000, format='0.0', locale=lang)} MB"
    return f"{format_decimal(max(1, round(size / 1000)), format='0', locale=lang)} KB"


def _where(page, number: int) -> str:
    """file:line of the page's number-th marker, in its Markdown source (front matter counted)."""
    source = Path(page.file.abs_src_path)
    text = source.read_text(encoding="utf-8")
    markers = list(MARKER.finditer(text))
    line = text.count("\n", 0, markers[number].start()) + 1 if number < len(markers) else 1
    try:
        shown = source.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = source
    return f"{shown.as_posix()}:{line}"


class BooksPlugin(BasePlugin[BooksConfig]):
    def on_startup(self, *, command, dirty):
        pass  # kept across rebuilds of `mkdocs serve`

    def source(self, config) -> Path:
        return Path(config.config_file_path).parent / self.config.source

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled or "book:" not in markdown:
            return markdown
        lang = building(config)
        target = self.config.target.strip("/")

        def link(match: re.Match) -> str:
            name = file_name(lang, match.group(1))
            number = len(MARKER.findall(markdown, 0, match.start()))
            url = f"{config.site_url.rstrip('/')}/{target}/{name}"
            if not self.config.sizes:
                return f'<a href="{url}">{name}</a>'
            book = self.source(config) / name
            if not book.is_file():
                where = _where(page, number)
                message = (f"{where}: {book} is not built, so the page cannot link it — fix: "
                           "run `make books` before the site build")
                # Without books (make serve, a contributor's build) the page shows a note and the
                # log stays quiet (make build prints only what needs attention); required: fail.
                (log.warning if self.config.required else log.debug)(message)
                return f"<code>{name}</code> ({NOT_BUILT.get(lang, NOT_BUILT['en'])})"
            size = size_text(book.stat().st_size, lang)
            return f'<a href="{url}" download>{name}</a> ({size})'

        return MARKER.sub(link, markdown)

    # After the offline zip (-400), which therefore leaves the books out.
    @event_priority(-500)
    def on_post_build(self, *, config):
        if not self.config.enabled or nested_build(config) or not self.config.sizes:
            return
        target = Path(config.site_dir) / self.config.target.strip("/")
        for lang in LANGUAGES:
            for kind in KINDS:
                book = self.source(config) / file_name(lang, kind)
                if book.is_file():
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(book, target / book.name)
