"""Translation tracking: status, diff, the pull-request rule and the notices on the site."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from handbook import translations
from lxml import html
from support import ROOT

PAGE = "skills/web-security.md"


def run(*args, cwd):
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A throwaway copy of the handbook, committed on main, with every twin in sync."""
    for name in (
        "docs", "overrides", "scripts", "examples", "data", "tests/support.py", "tests/examples",
        "mkdocs.yml", "package-lock.json",  # diagram keys hold the pinned mermaid version
    ):
        source = ROOT / name
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, target)
    translations.sync([s.page for s in translations.all_statuses(tmp_path / "docs")
                       if s.state != translations.MISSING], tmp_path / "docs")
    env = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    run("git", "init", "-q", "-b", "main", cwd=tmp_path)
    run("git", "add", "-A", cwd=tmp_path)
    run("git", *env, "commit", "-qm", "base", cwd=tmp_path)
    run("git", "checkout", "-qb", "change", cwd=tmp_path)
    return tmp_path


def edit_original(repo):
    page = repo / "docs" / "id" / PAGE
    page.write_text(page.read_text() + "\nParagraf tambahan tentang keamanan sesi.\n")


def test_hash_ignores_trailing_whitespace():
    assert translations.content_hash("a  \nb\n\n") == translations.content_hash("a\nb")
    assert translations.content_hash("a\nb") != translations.content_hash("a\nc")


def test_front_matter_round_trip():
    text = "---\ntitle: X\ndescription: Y\n---\n\n# X\n"
    updated = translations.set_front_matter(text, "source_hash", "abc")
    assert translations.front_matter(updated)["source_hash"] == "abc"
    assert translations.set_front_matter(updated, "source_hash", None) == \
        "---\ntitle: X\ndescription: Y\n---\n\n# X\n"


def test_status_follows_the_original(repo):
    docs = repo / "docs"
    assert translations.page_status(PAGE, docs).state == translations.UP_TO_DATE
    edit_original(repo)
    status = translations.page_status(PAGE, docs)
    assert status.state == translations.OUTDATED and status.recorded != status.current
    diff = translations.original_diff(PAGE, docs)
    assert "+Paragraf tambahan tentang keamanan sesi." in diff
    translations.sync([PAGE], docs)
    assert translations.page_status(PAGE, docs).state == translations.UP_TO_DATE
    (docs / "en" / PAGE).unlink()
    assert translations.page_status(PAGE, docs).state == translations.MISSING


def test_pull_request_editing_only_the_original_fails_then_passes_when_marked(repo):
    docs = repo / "docs"
    edit_original(repo)
    findings = translations.pr_findings("main", docs, cwd=repo)
    assert len(findings) == 1
    assert "docs/id/skills/web-security.md" in findings[0]
    assert "docs/en/skills/web-security.md" in findings[0]
    assert "2 lines added, 0 removed" in findings[0]
    assert "+Paragraf tambahan tentang keamanan sesi." in findings[0]

    # The command-line form exits non-zero with the same message.
    result = subprocess.run([sys.executable, "scripts/translations.py", "pr", "--base", "main"],
                            cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "docs/en/skills/web-security.md" in result.stdout

    twin = docs / "en" / PAGE
    twin.write_text(translations.set_front_matter(twin.read_text(), "outdated", "true"))
    # Marking the twin touches it, and an explicit mark is accepted on its own as well.
    assert translations.pr_findings("main", docs, cwd=repo) == []
    assert translations.page_status(PAGE, docs).marked_outdated


def test_site_shows_the_outdated_and_missing_notices(repo):
    docs = repo / "docs"
    edit_original(repo)
    (docs / "en" / "skills" / "apis.md").unlink()
    site = repo / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]

    outdated = html.parse(str(site / "en" / "skills" / "web-security.html")).getroot()
    notice = outdated.xpath("//div[contains(@class,'admonition')]")[0]
    assert "Translation behind the original" in notice.text_content()
    link = notice.xpath(".//a[@hreflang='id']")[0]
    assert (site / "en" / "skills" / link.get("href")).resolve() == \
        (site / "skills" / "web-security.html").resolve()

    missing = html.parse(str(site / "en" / "skills" / "apis.html")).getroot()
    assert "Not translated yet" in missing.text_content()
    assert missing.xpath("//div[@lang='id']"), "fallback text must be marked as Indonesian"

    status = html.parse(str(site / "en" / "translation-status.html")).getroot().text_content()
    assert "outdated" in status and "missing" in status and "up to date" in status
    status_id = html.parse(str(site / "translation-status.html")).getroot().text_content()
    assert "tertinggal" in status_id and "belum ada" in status_id
