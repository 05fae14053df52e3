"""Constants and small helpers shared by the test suites (import: `from support import ...`)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from handbook.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: F401 (re-exported for the tests)

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("id", "en")


def language_root(site: Path, lang: str) -> Path:
    """Folder of a language inside the built site: Indonesian at /, English at /en/."""
    return site if lang == "id" else site / lang


def skip_or_fail(message: str) -> None:
    """Skip with a message saying what to install; with CI=true, fail instead (CI must run it)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: these tests must run)")
    pytest.skip(message)


SEARCH_REPORT = ROOT / "reports" / "search.json"


def update_search_report(section: str, data: dict) -> None:
    """Write one section of reports/search.json (quality or speed), keeping the other."""
    SEARCH_REPORT.parent.mkdir(exist_ok=True)
    try:
        report = json.loads(SEARCH_REPORT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report = {}
    report[section] = {"measured": datetime.now(UTC).isoformat(timespec="seconds"), **data}
    SEARCH_REPORT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
