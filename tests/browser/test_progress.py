"""Progress tracking: ticks survive reloads, work from file://, and the summary page follows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def tracked_page_with_items(built_site) -> dict:
    page = (built_site / "progress.html").read_text()
    data = re.search(r'id="?progress-pages"?>(.*?)</script>', page, re.DOTALL).group(1)
    pages = [p for p in json.loads(data) if p["slug"].startswith(("duties/", "skills/"))]
    assert pages and all(p["items"] >= 3 for p in pages), \
        "every duty and skill page needs a checklist of at least three items"
    return pages[0]


def boxes(page):
    return page.locator(".md-content .task-list-item input[type=checkbox]")


def tick(page, index: int, keyboard: bool = False) -> None:
    """Tick a box as a reader does: a click on the box Material draws over the transparent real
    checkbox (scrolled to mid-screen first, so the sticky header is not over it), or the keyboard."""
    box = boxes(page).nth(index)
    if keyboard:
        box.focus()
        page.keyboard.press("Space")
    else:
        box.scroll_into_view_if_needed()
        where = box.bounding_box()  # Playwright's own check() scrolls it under the header
        page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    assert box.is_checked()


def test_ticks_persist_and_show_on_the_progress_page(visit, built_site, tmp_path):
    tracked = tracked_page_with_items(built_site)
    page = visit.open(tracked["href"])
    assert boxes(page).count() == tracked["items"]
    assert boxes(page).first.is_enabled()
    tick(page, 0)
    tick(page, 2, keyboard=True)
    page.reload()
    assert [boxes(page).nth(i).is_checked() for i in range(3)] == [True, False, True]

    # The same items on the English twin are ticked too: progress is per page, not per language.
    twin = visit.open("en/" + tracked["href"])
    assert boxes(twin).nth(0).is_checked() and boxes(twin).nth(2).is_checked()

    summary = visit.open("progress.html")
    row = summary.locator(f"tr[data-slug='{tracked['slug']}'] td").nth(1)
    assert row.inner_text() == f"2 / {tracked['items']}"

    with summary.expect_download() as download:
        summary.locator("[data-progress-export]").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["pages"][tracked["slug"]] == [0, 2]

    summary.once("dialog", lambda dialog: dialog.accept())
    summary.locator("[data-progress-reset]").click()
    assert row.inner_text() == f"0 / {tracked['items']}"

    backup = tmp_path / "progress.json"
    backup.write_text(json.dumps({"version": 1, "pages": {tracked["slug"]: [1]}}))
    summary.locator("[data-progress-file]").set_input_files(str(backup))
    summary.wait_for_function(
        "slug => document.querySelector(`tr[data-slug='${slug}'] td:nth-child(2)`)"
        ".innerText.startsWith('1 /')", arg=tracked["slug"])

    # The restore above left its own message in the status line: wait until the bad file's
    # message replaces it (waiting for any text raced the import on a busy machine).
    summary.wait_for_function(
        "() => document.querySelector('[data-progress-status]').innerText.length > 0")
    restored = summary.locator("[data-progress-status]").inner_text()
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    summary.locator("[data-progress-file]").set_input_files(str(bad))
    summary.wait_for_function(
        "before => document.querySelector('[data-progress-status]').innerText !== before",
        arg=restored)
    assert "bukan" in summary.locator("[data-progress-status]").inner_text()
    visit.assert_clean()
