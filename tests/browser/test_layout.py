"""Phone widths: no page scrolls sideways, and the language menu opens inside the screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = list(range(320, 431, 10)) + [375, 390, 414]
PAGES = ["index.html", "overview.html", "duties/server-side-logic.html", "glossary.html",
         "progress.html", "en/index.html", "en/skills/apis.html"]

# Elements whose box reaches past the right edge of the viewport, for the failure message.
WIDER = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
  return [document.documentElement.scrollWidth, width, wide.slice(0, 5)];
}"""


@pytest.mark.parametrize("width", sorted(set(WIDTHS)))
def test_no_horizontal_scroll_on_phones(browser, built_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = []
    for path in PAGES:
        page.goto((built_site / path).as_uri())
        scroll_width, client_width, wide = page.evaluate(WIDER)
        if scroll_width > client_width:
            problems.append(f"{path}: {scroll_width} px wide in {client_width} px ({wide})")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 390, 430])
def test_language_menu_opens_inside_the_screen(browser, built_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto((built_site / "overview.html").as_uri())
    page.locator(".md-select").first.hover()
    menu = page.locator(".md-select__inner").first
    page.wait_for_function("el => getComputedStyle(el).opacity === '1'", arg=menu.element_handle())
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.locator("a.md-select__link[hreflang='en']").first.is_visible()
    context.close()
