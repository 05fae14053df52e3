"""The pages of the book as mkdocs.yml's nav lists them, with their titles and checklists."""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path

from handbook.languages import DEFAULT_LANGUAGE

_TASK_ITEM = re.compile(r"^\s*[-*+] \[[ xX]\] ", re.MULTILINE)
_FRONT_MATTER_TITLE = re.compile(r"\A---\n.*?^title:\s*(.+?)\s*$.*?^---\n", re.DOTALL | re.MULTILINE)


def nav_files(nav) -> list[str]:
    """Every Markdown path of a nav (mkdocs.yml's `nav`), in order."""
    files: list[str] = []
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            files.extend(nav_files(value))
        elif isinstance(value, str):
            files.append(value)
    return files


def checklist_pages(config, lang: str, tracked: tuple[str, ...] | None = None) -> list[dict]:
    """Title and checklist size of the nav's pages in `lang`, in nav order.

    tracked: only the pages whose path starts with one of these (section index pages excluded);
    None: every page. A page with no twin in `lang` is read in Indonesian (as the site shows it).
    """
    docs = Path(config.docs_dir) / lang
    pages = []
    for item in nav_files(config.nav):
        if tracked is not None and (not item.startswith(tracked) or item.endswith("index.md")):
            continue
        path = docs / item if (docs / item).is_file() else Path(config.docs_dir) / DEFAULT_LANGUAGE / item
        source = path.read_text(encoding="utf-8")
        title = _FRONT_MATTER_TITLE.match(source)
        slug = item.removesuffix(".md")
        pages.append({
            "slug": slug,
            "href": f"{slug}.html",
            "title": title.group(1).strip("\"'") if title else slug,
            "items": len(_TASK_ITEM.findall(source)),
        })
    return pages


def progress_rows(pages: list[dict]) -> str:
    """The summary rows of My Progress as progress.js draws them, with nothing ticked yet: the
    table has its final size before the script runs (no layout shift) and is readable without it."""
    rows = []
    for page in pages:
        title = html_escape(page["title"])
        rows.append(
            f'<tr data-slug="{page["slug"]}"><td><a href="{page["href"]}">{title}</a></td>'
            f'<td>0 / {page["items"]}</td><td><progress max="{page["items"] or 1}" value="0" '
            f'aria-label="{title}"></progress></td></tr>')
    return "<tbody>" + "".join(rows) + "</tbody>"
