"""Shared by the book tests (imported as `books_support`): open the books, read their outline
and links, and build the fixture book."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from support import ROOT

FIXTURE = Path(__file__).resolve().parent / "fixture"
BOOKS_SCRIPT = ROOT / "scripts" / "books.py"
# A stand-in for a rendered Mermaid diagram: the tests need the file, not Mermaid's drawing.
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120" width="400" height="120">'
       '<rect x="10" y="10" width="380" height="100" fill="{fill}" stroke="#00695c"/>'
       '<text x="30" y="70" font-size="20">{palette}</text></svg>\n')


def copy_fixture(target: Path, render_diagrams: bool = True) -> Path:
    """The fixture project in `target`, its diagrams rendered (unless asked not to)."""
    shutil.copytree(FIXTURE, target, dirs_exist_ok=True)
    if render_diagrams:
        from handbook import diagrams

        output = target / "docs" / "assets" / "diagrams"
        output.mkdir(parents=True, exist_ok=True)
        for page in (target / "docs").glob("*/**/*.md"):
            for diagram in diagrams.find(page.read_text(encoding="utf-8"), page):
                for palette, fill in (("light", "#ffffff"), ("dark", "#000000")):
                    diagram.file(palette, output).write_text(
                        SVG.format(fill=fill, palette=palette), encoding="utf-8")
    return target


def build_books(project: Path, out: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    """scripts/books.py build on a project, as `make books` runs it on the handbook."""
    return subprocess.run(
        [sys.executable, str(BOOKS_SCRIPT), "build", "--config", str(project / "mkdocs.yml"),
         "--out", str(out), "--work", str(work), *args],
        cwd=project, capture_output=True, text=True, check=False, timeout=900)


def outline_titles(reader) -> list[tuple[int, str]]:
    """(depth, title) of every PDF bookmark, in order."""
    found: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(item.title.split())))

    walk(reader.outline, 0)
    return found


def outline_pages(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every PDF bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(item.title.split()),
                              reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def internal_links(reader) -> list[tuple[int, object]]:
    """(page number, destination) of every link annotation that points inside the document."""
    links = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if "/Dest" in annotation:
                links.append((number, annotation["/Dest"]))
            elif action is not None and action.get_object().get("/S") == "/GoTo":
                links.append((number, action.get_object()["/D"]))
    return links


def destination_page(reader, destination) -> int | None:
    """The page a link's destination (a name or an explicit [page ...] array) lands on."""
    if isinstance(destination, (str, bytes)) or hasattr(destination, "original_bytes"):
        named = reader.named_destinations.get(str(destination))
        return None if named is None else reader.get_destination_page_number(named)
    destination = destination.get_object() if hasattr(destination, "get_object") else destination
    page = destination[0].get_object()
    for number, candidate in enumerate(reader.pages):
        if candidate.indirect_reference == page.indirect_reference or candidate == page:
            return number
    return None


def unembedded_fonts(reader) -> set[str]:
    """Names of the fonts some page uses without embedding them."""
    missing = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
    return missing


def squeeze(text: str) -> str:
    """Text with every run of white space made one space (lines of a PDF wrap anywhere)."""
    return re.sub(r"\s+", " ", text).strip()


def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


CODE_OVERFLOW_JS = """() => {
  // Every line box of every code block, against the right edge of its page's text column.
  const column = document.querySelector('.chapter').getBoundingClientRect().right;
  const found = [];
  for (const pre of document.querySelectorAll('pre')) {
    const range = document.createRange();
    range.selectNodeContents(pre);
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && rect.right > column + 0.5) {
        found.push({text: pre.textContent.slice(0, 80), right: rect.right, column});
        break;
      }
    }
    if (pre.scrollWidth > pre.clientWidth + 1) {
      found.push({text: pre.textContent.slice(0, 80), scroll: pre.scrollWidth, width: pre.clientWidth});
    }
  }
  return found;
}"""


def code_overflow(browser, print_page: Path) -> list[dict]:
    """Code lines that run past the right margin of the print page, laid out in Chromium on an
    A4 page with the book's margins (print media)."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(print_page.as_uri())
    # The text column of the PDF: A4 (210 mm) less the 18 mm margins on each side.
    page.add_style_tag(content="body { width: 174mm; margin: 0; }")
    try:
        return page.evaluate(CODE_OVERFLOW_JS)
    finally:
        context.close()
