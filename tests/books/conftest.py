"""Fixtures of the book tests: the fixture book built once, and the handbook's own books."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from books_support import build_books, copy_fixture
from support import ROOT, skip_or_fail


@pytest.fixture(scope="session")
def weasyprint_ready():
    """Pango and the DejaVu fonts (scripts/setup-system.sh): missing, the tests that lay out a
    PDF skip with the fix (with CI=true they fail)."""
    from handbook.books.assemble import BookError
    from handbook.books.pdf import check_fonts

    try:
        check_fonts()
    except BookError as error:
        skip_or_fail(str(error))


@pytest.fixture(scope="session")
def fixture_books(tmp_path_factory, weasyprint_ready):
    """The fixture project's books: (project, out, work), built once with scripts/books.py."""
    base = tmp_path_factory.mktemp("fixture-books")
    project = copy_fixture(base / "project")
    out, work = base / "out", base / "work"
    result = build_books(project, out, work)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, out, work


@pytest.fixture(scope="session")
def handbook_books() -> tuple[Path, Path]:
    """The handbook's books, as `make books` left them: (dist/books, build/books).
    BOOKS_DIR and BOOKS_WORK point elsewhere; missing books skip (with CI=true they fail)."""
    out = Path(os.environ.get("BOOKS_DIR", ROOT / "dist" / "books"))
    work = Path(os.environ.get("BOOKS_WORK", ROOT / "build" / "books"))
    if not all((out / f"panduan-backend-{lang}.{kind}").is_file()
               for lang in ("id", "en") for kind in ("pdf", "epub")):
        skip_or_fail(f"the books are not built in {out}: run `make books` first")
    return out, work
