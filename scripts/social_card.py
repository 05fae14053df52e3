"""Render docs/assets/social-card.png (1200x630), the Open Graph image, with local Chromium.

    python scripts/social_card.py

Run again after changing the logo or the title; the PNG is committed (built pages only link it).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import CHROMIUM, CHROMIUM_FLAGS

LOGO = (ROOT / "overrides" / ".icons" / "panduan" / "logo.svg").read_text()
CARD = f"""<!doctype html><html><body style="margin:0;width:1200px;height:630px;display:flex;
align-items:center;background:#00695c;color:#fff;font-family:system-ui,sans-serif">
<div style="width:260px;height:260px;margin:0 60px 0 90px;flex:none">{LOGO.replace('<svg ',
'<svg width="260" height="260" ')}</div>
<div><div style="font-size:68px;font-weight:700;line-height:1.1;white-space:nowrap">Panduan Back&#8209;End</div>
<div style="font-size:40px;margin-top:18px;opacity:.92">Back-End Developer Handbook</div>
<div style="font-size:30px;margin-top:36px;opacity:.85">Tugas · Keterampilan · Jalur belajar<br>
Duties · Skills · Learning path</div></div></body></html>"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(CARD)
        page.screenshot(path=str(ROOT / "docs" / "assets" / "social-card.png"))
        browser.close()


if __name__ == "__main__":
    main()
