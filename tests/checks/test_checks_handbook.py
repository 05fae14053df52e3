"""The real handbook passes every check (docs/ and the strict build of the site). How long the
checks take is a benchmark, not a test: `make bench-checks` (budget 10 s)."""

from __future__ import annotations

from check_support import run_check


def test_the_handbook_passes_every_check(built_site):
    result = run_check("all", "--site", str(built_site))
    assert result.returncode == 0, f"the handbook has problems:\n{result.stdout}{result.stderr}"


def test_translation_status_lists_every_page():
    result = run_check("translations", "--status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["page", "id", "changed"]
    assert any(line.startswith("duties/api-development.md ") for line in lines)
