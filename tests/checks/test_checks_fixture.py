"""Every known defect of the fixture site (tests/checks/fixture) is reported, at the right file
and line, and nothing else is: the clean page (guide.md, which uses every construct the checks
read) and the clean parts of the other pages produce no finding."""

from __future__ import annotations

import pytest

# (file, line, what the message says). Lines are those of the fixture's Markdown files.
EXPECTED = {
    "links": [
        ("docs/id/links.md", 8, "missing page nope.md"),
        ("docs/id/links.md", 10, "missing anchor #no-such-section in guide.md"),
        ("docs/id/links.md", 12, "missing file ../assets/missing.png"),
        ("docs/id/links.md", 14, "link from a page in 'id' to a page in 'en': en/guide.html"),
        ("docs/id/links.md", 16, "root-absolute link /index.html"),
        ("docs/id/links.md", 18, "loads https://example.com/logo.png from another host"),
        ("docs/id/links.md", 20, "has no alt attribute"),
        ("docs/id/links.md", 22, "has an empty alt text"),
        ("docs/id/links.md", 26, "loads https://example.com/bg.png from another host"),
        ("docs/en/links.md", 8, "missing page nope.md"),
        ("docs/en/links.md", 10, "missing anchor #no-such-section in guide.md"),
        ("docs/en/links.md", 12, "missing file ../assets/missing.png"),
        ("docs/en/links.md", 14, "root-absolute link /index.html"),
        ("docs/en/links.md", 16, "loads https://example.com/logo.png from another host"),
        ("docs/en/links.md", 18, "has no alt attribute"),
        ("docs/en/links.md", 20, "has an empty alt text"),
    ],
    "code": [
        ("docs/id/code.md", 11, "snippet section 'missing_section' not found in demo.py"),
        ("docs/id/code.md", 17, "snippet file nope.py not found"),
        ("docs/id/code.md", 21, "Python syntax error"),
        ("docs/id/code.md", 26, "invalid JSON"),
        ("docs/id/code.md", 30, "SQL does not parse"),
        ("docs/id/code.md", 34, "bash -n: syntax error"),
        ("docs/id/code.md", 37, "fenced block has no language"),
        ("docs/id/code.md", 41, "'cobol' blocks cannot be checked"),
        ("docs/id/code.md", 46, "invalid YAML"),
        ("docs/id/code.md", 50, "invalid TOML"),
        ("docs/id/code.md", 54, "node --check: SyntaxError"),
        ("docs/id/code.md", 58, "not an HTTP request or status line"),
        ("docs/id/code.md", 61, "SQLite refuses this block: no such table"),
        ("docs/id/code.md", 66, "ruff E711"),
        ("docs/id/code.md", 72, "superfences does not understand this fence header"),
        ("docs/en/code.md", 11, "snippet section 'missing_section' not found in demo.py"),
        ("docs/en/code.md", 17, "snippet file nope.py not found"),
    ],
    "translations": [
        ("docs/id/only-id.md", 1, "no English twin: docs/en/only-id.md does not exist"),
        ("docs/en/headings.md", 16, ("heading count differs from docs/id/headings.md (H2: 2 "
                                     "here, 3 there); first difference: H2 #third")),
        ("docs/id/headings.md", 12, "heading 'Tanpa Id' has no id"),
        ("docs/en/headings.md", 12, "heading 'No Id' has no id"),
        ("docs/id/mixed.md", 11, "this paragraph reads as English, in the Indonesian page"),
        ("docs/en/mixed.md", 11, "this paragraph reads as Indonesian, in the English page"),
        ("docs/en/links.md", 6, "link to en/guide.html of the original"),
        ("docs/en/parity.md", 1, "front matter has no description"),
        ("docs/en/parity.md", 2, "title is the same as the Indonesian original's"),
        ("docs/en/parity.md", 5, "image assets/pic.png of the original"),
        ("docs/en/parity.md", 11, "admonition !!! tip here, but !!! warning"),
        ("docs/en/parity.md", 15, "1 content tabs here, 2 in the original"),
        ("docs/en/parity.md", 20, "2 checklist items here, 3 in the original"),
        ("docs/en/parity.md", 23, "include 'demo.py:greet' here, but 'demo.py:add'"),
    ],
    "lint": [
        ("docs/id/lint.md", 8, "MD032"),
        ("docs/id/lint.md", 9, "MD004"),
        ("docs/id/lint.md", 9, "MD032"),
        ("docs/en/lint.md", 8, "spelling: recieve"),  # codespell:ignore
        ("docs/en/lint.md", 10, "MD032"),
        ("docs/en/lint.md", 11, "MD004"),
        ("docs/en/lint.md", 11, "MD032"),
        ("docs/id/links.md", 22, "MD045"),
        ("docs/en/links.md", 20, "MD045"),
        ("docs/id/code.md", 37, "MD040"),
    ],
}


def _match(findings, path: str, line: int, text: str):
    return [f for f in findings if f.path == path and f.line == line and text in f.message]


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_every_defect_is_reported_at_its_file_and_line(fixture_findings, check):
    findings = fixture_findings[check]
    missing = [e for e in EXPECTED[check] if not _match(findings, *e)]
    assert not missing, "not reported:\n" + "\n".join(map(str, missing)) + \
        "\nreported:\n" + "\n".join(f.format() for f in findings)


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_nothing_else_is_reported(fixture_findings, check):
    unexpected = [f for f in fixture_findings[check]
                  if not any(_match([f], *e) for e in EXPECTED[check])]
    assert not unexpected, "\n".join(f.format() for f in unexpected)


def test_every_finding_says_how_to_fix_it(fixture_findings):
    for findings in fixture_findings.values():
        for finding in findings:
            assert finding.fix, finding.format()


def test_the_clean_page_is_clean(fixture_findings):
    """guide.md uses admonitions, tabs, checklists, includes, images, anchors and a valid block
    of every language the code check knows; it must produce no finding in any check."""
    for check, findings in fixture_findings.items():
        assert not [f for f in findings if f.path.endswith("/guide.md")], check


def test_the_fixture_build_keeps_the_defects(fixture_site):
    """The defects reach the built HTML (the build does not silently repair them)."""
    page = (fixture_site / "links.html").read_text(encoding="utf-8")
    assert "nope.md" in page and "no-such-section" in page and "https://example.com/logo.png" \
        in page
    assert (fixture_site / "en" / "only-id.html").is_file()  # fallback to the original
