"""The real handbook passes every check (docs/ and the strict build of the site), and all checks
together stay within their time budget (the site build and external links excluded)."""

from __future__ import annotations

import time

from check_support import run_check

BUDGET_SECONDS = 10.0


def test_the_handbook_passes_every_check_in_time(built_site):
    started = time.perf_counter()
    result = run_check("all", "--site", str(built_site))
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, f"the handbook has problems:\n{result.stdout}{result.stderr}"
    assert elapsed < BUDGET_SECONDS, f"all checks took {elapsed:.1f} s:\n{result.stderr}"


def test_translation_status_lists_every_page():
    result = run_check("translations", "--status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["page", "id", "changed"]
    assert any(line.startswith("duties/api-development.md ") for line in lines)
