"""examples/SECTIONS.md stays true: every listed section exists and renders through
pymdownx.snippets, every section in examples/ and tests/examples/ is listed (the folders and
files are read from disk, so a new folder or test file is covered without a change here),
each is short enough for a page, and the pages column names exactly the pages in docs/id
that include the section. Every section must be included by at least one page: one that no page
shows fails, and the contributor either includes it from a page or removes its markers.

Files without section markers need no row: the Markdown templates in examples/templates/,
recorded program output (*/output/*.txt) and data files are included whole, if at all."""

import re
from functools import cache
from pathlib import Path

import markdown
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TESTS = ROOT / "tests" / "examples"
DOCS = ROOT / "docs" / "id"
SECTIONS_MD = EXAMPLES / "SECTIONS.md"
# Generated folders that are not example code.
SKIPPED = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "node_modules"}
# Every page a row may name: duties/server-side-logic, skills/apis, ...
SLUGS = {p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md")}
ROW = re.compile(
    r"^\| `(?P<path>[^`:]+):(?P<section>[a-z][-_0-9a-z]*)` \| (?P<what>.+?) \| "
    r"(?P<pages>.+?) \|$",
    re.MULTILINE,
)
# The same marker pattern pymdownx.snippets uses (simplified: no escapes in our files).
MARKER = re.compile(r"-{1,}8<-{1,}[ \t]+\[[ \t]*start[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]")
# A page's include of one section: --8<-- "bookstore/services/orders.py:place_order".
INCLUDE = re.compile(
    r"""(?<!;)-{1,}8<-{1,}[ \t]+(["'])(?P<path>[^"':]+):(?P<section>[a-z][-_0-9a-z]*)\1"""
)


def rows() -> list[re.Match]:
    return list(ROW.finditer(SECTIONS_MD.read_text(encoding="utf-8")))


def files_under(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p != SECTIONS_MD and not SKIPPED & set(p.relative_to(folder).parts)
    )


def source_files() -> list[Path]:
    """Every file in every folder of examples/ and every file in tests/examples/."""
    return files_under(EXAMPLES) + files_under(TESTS)


def include_path(path: Path) -> str:
    """How a page names the file: relative to examples/ or to tests/."""
    if path.is_relative_to(EXAMPLES):
        return path.relative_to(EXAMPLES).as_posix()
    return path.relative_to(ROOT / "tests").as_posix()


@cache
def including_pages() -> dict[str, set[str]]:
    """Map each included "path:section" to the slugs of the docs/id pages that include it."""
    pages: dict[str, set[str]] = {}
    for page in DOCS.rglob("*.md"):
        slug = page.relative_to(DOCS).with_suffix("").as_posix()
        for m in INCLUDE.finditer(page.read_text(encoding="utf-8")):
            pages.setdefault(f"{m['path']}:{m['section']}", set()).add(slug)
    return pages


def render(include: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": [str(EXAMPLES), str(ROOT / "tests")],
                "check_paths": True,
                "dedent_subsections": True,
            }
        },
    )
    return md.convert(f'--8<-- "{include}"')


def test_the_table_is_not_empty():
    assert len(rows()) > 150


def test_every_section_in_the_code_is_listed_once():
    listed = [(m["path"], m["section"]) for m in rows()]
    twice = sorted({row for row in listed if listed.count(row) > 1})
    assert twice == [], "listed more than once in examples/SECTIONS.md"
    found = {
        (include_path(p), name)
        for p in source_files()
        for name in MARKER.findall(p.read_text(encoding="utf-8", errors="replace"))
    }
    assert sorted(found - set(listed)) == [], "add these to examples/SECTIONS.md"
    assert sorted(set(listed) - found) == [], "these are listed but do not exist"


@pytest.mark.parametrize("row", rows(), ids=lambda m: f"{m['path']}:{m['section']}")
def test_listed_section_renders_and_is_page_sized(row):
    include = f"{row['path']}:{row['section']}"
    html = render(include)  # raises SnippetMissingError if the file or section is missing
    assert html.strip()
    path = (
        (EXAMPLES / row["path"])
        if (EXAMPLES / row["path"]).exists()
        else (ROOT / "tests" / row["path"])
    )
    text = path.read_text(encoding="utf-8")
    body = text.split(f"[start:{row['section']}]", 1)[1].split(f"[end:{row['section']}]", 1)[0]
    lines = [line for line in body.splitlines()[1:-1]]
    while lines and not lines[-1].strip():
        lines.pop()  # Pygments drops trailing blank lines too
    assert 2 <= len(lines) <= 40, f"{include} has {len(lines)} lines"


@pytest.mark.parametrize("row", rows(), ids=lambda m: f"{m['path']}:{m['section']}")
def test_every_section_is_included_by_a_page(row):
    include, name = f"{row['path']}:{row['section']}", row["section"]
    assert including_pages().get(include), (
        f"no page of docs/id includes {include}: include it from the page where it teaches "
        f'something (--8<-- "{include}" in both twins), or remove its [start:{name}] and '
        f"[end:{name}] markers and its row in examples/SECTIONS.md"
    )


@pytest.mark.parametrize("row", rows(), ids=lambda m: f"{m['path']}:{m['section']}")
def test_pages_column_names_the_pages_that_include_the_section(row):
    include = f"{row['path']}:{row['section']}"
    actual = including_pages().get(include, set())
    if not actual:
        return  # test_every_section_is_included_by_a_page fails and says what to do
    pages = {p.strip() for p in row["pages"].split(",")}
    assert pages <= SLUGS, f"unknown page slug in {include}: {sorted(pages - SLUGS)}"
    expected = ", ".join(sorted(actual))
    assert pages == actual, f"{include}: the pages column should read: {expected}"
