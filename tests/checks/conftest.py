"""Fixtures of the content-check tests: the fixture site (built once per session) and the
findings of every check on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from check_support import FIXTURE


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture site, built (not strict: it holds deliberate defects) from its own folder,
    since pymdownx.snippets reads base_path relative to the working directory."""
    site = tmp_path_factory.mktemp("fixture-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=FIXTURE, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, f"fixture build failed:\n{result.stderr[-4000:]}"
    return site


@pytest.fixture(scope="session")
def fixture_project(fixture_site):
    from checks import find_project

    return find_project(FIXTURE / "docs", FIXTURE / "mkdocs.yml", fixture_site)


@pytest.fixture(scope="session")
def fixture_findings(fixture_project) -> dict[str, list]:
    """Findings of each check on the fixture, with paths relative to the fixture folder."""
    from checks import code, links, lint, parity

    before = Path.cwd()
    os.chdir(FIXTURE)
    try:
        job = lint.start(fixture_project)
        found = {
            "links": links.check(fixture_project, workers=1).findings,
            "code": code.run(fixture_project),
            "translations": parity.run(fixture_project),
            "lint": lint.finish(job),
        }
    finally:
        os.chdir(before)
    return found
