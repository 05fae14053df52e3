"""The downloadable templates in examples/templates/: every template exists in both languages
with the same structure, and the skill pages show and offer each one in both languages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "examples" / "templates"
LANGUAGES = ("id", "en")
NAMES = sorted(p.name for p in (TEMPLATES / "id").glob("*.md"))
PAGES = [
    "skills/problem-solving-and-debugging.md",
    "skills/analytical-thinking.md",
    "skills/communication-and-collaboration.md",
    "skills/self-directed-learning.md",
    "career/portfolio.md",
    "career/hiring-process.md",
]
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6}) \S", re.MULTILINE)


def text(lang: str, name: str) -> str:
    return (TEMPLATES / lang / name).read_text(encoding="utf-8")


def structure(markdown: str) -> dict[str, object]:
    """What must match between the two languages: headings, checklist items, tables."""
    visible = _COMMENT.sub("", markdown)
    lines = visible.splitlines()
    return {
        "heading levels": [len(m.group(1)) for m in _HEADING.finditer(visible)],
        "checklist items": sum(line.startswith("- [ ] ") for line in lines),
        "numbered items": sum(bool(re.match(r"\d+\. ", line)) for line in lines),
        "table columns": [line.count("|") for line in lines if line.startswith("|")],
    }


def test_there_are_templates():
    assert len(NAMES) >= 8


def test_every_template_exists_in_both_languages():
    assert sorted(p.name for p in (TEMPLATES / "en").glob("*.md")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_same_heading_counts_per_level(name):
    counts = {lang: Counter(structure(text(lang, name))["heading levels"]) for lang in LANGUAGES}
    assert counts["id"] == counts["en"]


@pytest.mark.parametrize("name", NAMES)
def test_same_structure_in_both_languages(name):
    assert structure(text("id", name)) == structure(text("en", name))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_template_is_tidy(lang, name):
    source = text(lang, name)
    assert source.startswith("# "), "one H1 title first"
    assert structure(source)["heading levels"].count(1) == 1
    assert source.endswith("\n") and not source.endswith("\n\n")
    assert not [n for n, line in enumerate(source.splitlines(), 1) if line != line.rstrip()]
    assert "```" not in source, "a fence would close the page's ````markdown block early"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_each_template_is_shown_and_offered_for_download(lang, name):
    pages = "\n".join((ROOT / "docs" / lang / p).read_text(encoding="utf-8") for p in PAGES)
    assert f'--8<-- "templates/{lang}/{name}"' in pages, "include it in a ````markdown block"
    assert f'href="../downloads/templates/{lang}/{name}"' in pages, "offer it for download"
