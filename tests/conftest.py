"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_FLAGS, ROOT, skip_or_fail


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The handbook built once per test session with `mkdocs build --strict`.

    Set SITE_DIR to reuse a site that was just built (make does this) instead of building again.
    """
    reuse = os.environ.get("SITE_DIR")
    if reuse:
        site = Path(reuse).resolve()
        assert (site / "index.html").is_file(), f"SITE_DIR={reuse} holds no built site"
        return site
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return site


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium for Playwright; browser tests skip without it, except in CI."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    skip_or_fail("Chromium not found: install Debian's package with `sudo apt-get install chromium`")


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements.txt
        pytest.skip("Python Playwright is missing: run `make test` to set up the environment")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
