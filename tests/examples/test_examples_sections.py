"""examples/SECTIONS.md stays true: every listed section exists and renders through
pymdownx.snippets, every section in these example folders is listed, each is short enough
for a page, and every planned page slug is a real one."""

import re
from pathlib import Path

import markdown
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SECTIONS_MD = EXAMPLES / "SECTIONS.md"
# The folders and test files this table covers (other helpers document their own).
FOLDERS = ["bookstore", "deploy", "health", "sql", "shell"]
TEST_FILES = ["conftest.py"] + sorted(
    p.name for p in (ROOT / "tests" / "examples").glob("test_bookstore_*.py")
)
SLUGS = {
    "duties/" + s
    for s in (
        "server-side-logic",
        "database-management",
        "api-development",
        "application-security",
        "performance-optimization",
        "server-management",
        "testing-and-debugging",
        "third-party-integration",
        "version-control",
        "monitoring-and-troubleshooting",
        "maintenance-and-improvement",
    )
} | {
    "skills/" + s
    for s in (
        "programming-languages",
        "databases",
        "backend-frameworks",
        "apis",
        "web-security",
        "version-control-systems",
        "servers-and-infrastructure",
        "web-protocols",
        "problem-solving-and-debugging",
        "analytical-thinking",
        "communication-and-collaboration",
        "self-directed-learning",
    )
}
ROW = re.compile(
    r"^\| `(?P<path>[^`:]+):(?P<section>[a-z][-_0-9a-z]*)` \| (?P<what>.+?) \| "
    r"(?P<pages>.+?) \|$",
    re.MULTILINE,
)
# The same marker pattern pymdownx.snippets uses (simplified: no escapes in our files).
MARKER = re.compile(r"-{1,}8<-{1,}[ \t]+\[[ \t]*start[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]")


def rows() -> list[re.Match]:
    return list(ROW.finditer(SECTIONS_MD.read_text(encoding="utf-8")))


def source_files() -> list[Path]:
    files = [
        p
        for folder in FOLDERS
        for p in (EXAMPLES / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    return files + [ROOT / "tests" / "examples" / name for name in TEST_FILES]


def include_path(path: Path) -> str:
    """How a page names the file: relative to examples/ or to tests/."""
    if path.is_relative_to(EXAMPLES):
        return path.relative_to(EXAMPLES).as_posix()
    return path.relative_to(ROOT / "tests").as_posix()


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
    assert len(rows()) > 90


def test_every_section_in_the_code_is_listed():
    listed = {(m["path"], m["section"]) for m in rows()}
    found = {
        (include_path(p), name)
        for p in source_files()
        for name in MARKER.findall(p.read_text(encoding="utf-8", errors="replace"))
    }
    assert found - listed == set(), "add these to examples/SECTIONS.md"
    assert listed - found == set(), "these are listed but do not exist"


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
    pages = [p.strip() for p in row["pages"].split(",")]
    assert set(pages) <= SLUGS, f"unknown page slug in {include}: {pages}"
