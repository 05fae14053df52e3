"""The structure check: duty and skill pages have the nine sections in order, a checklist and
at least 800 words of prose, and the word count leaves code out."""

from __future__ import annotations

from pathlib import Path

from check_support import run_check
from checks.markdown import Page
from checks.structure import MIN_WORDS, SECTIONS, check_page, prose_words


def write(tmp_path: Path, body: str) -> Page:
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: T\ndescription: D\n---\n\n# T { #t }\n\n" + body, "utf-8")
    return Page(path)


def sections(order=SECTIONS, words_each: int = 100, tasks: int = 3) -> str:
    parts = []
    for section in order:
        parts.append(f"## Heading {{ #{section} }}\n\n" + "kata " * words_each + "\n")
        if section == "checklist":
            parts.append("".join(f"- [ ] item {i}\n" for i in range(tasks)))
    return "\n".join(parts)


def messages(page: Page) -> list[str]:
    return [f.message for f in check_page(page)]


def test_a_complete_page_passes(tmp_path):
    assert messages(write(tmp_path, sections())) == []


def test_a_missing_section_is_named(tmp_path):
    found = messages(write(tmp_path, sections([s for s in SECTIONS if s != "exercises"])))
    assert found == ["missing section(s): #exercises"]


def test_sections_out_of_order_are_reported(tmp_path):
    order = list(SECTIONS)
    order[5], order[6] = order[6], order[5]
    assert any(m.startswith("sections out of order") for m in messages(
        write(tmp_path, sections(order))))


def test_too_few_words_and_checklist_items(tmp_path):
    found = messages(write(tmp_path, sections(words_each=10, tasks=2)))
    assert "2 checklist items (at least 3)" in found
    assert any(m.endswith(f"words of prose (at least {MIN_WORDS}, code excluded)") for m in found)


def test_code_links_and_includes_are_not_prose(tmp_path):
    page = write(tmp_path, "Satu dua tiga [empat](https://example.org/lima/enam).\n\n"
                 "```python\nprint('tujuh delapan')\n```\n\n`sembilan` sepuluh\n\n"
                 '--8<-- "bookstore/app.py:create_app"\n\n!!! tip "Sebelas"\n\n'
                 "    Dua belas <b>tiga</b>.\n\n*[API]: Application Programming Interface\n")
    # Satu dua tiga empat | sepuluh | T (heading) | Sebelas | Dua belas tiga
    assert prose_words(page) == 10


def test_every_duty_and_skill_page_of_the_handbook_passes():
    result = run_check("structure")
    assert result.returncode == 0, result.stdout + result.stderr


def test_words_prints_a_table_of_every_page():
    result = run_check("words")
    assert result.returncode == 0, result.stderr
    assert "| duties/server-side-logic.md |" in result.stdout
