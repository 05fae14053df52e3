"""Constants and small helpers shared by the test suites (import: `from support import ...`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("id", "en")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def language_root(site: Path, lang: str) -> Path:
    """Folder of a language inside the built site: Indonesian at /, English at /en/."""
    return site if lang == "id" else site / lang
