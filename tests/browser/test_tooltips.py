"""Glossary and abbreviation tooltips: shown on hover and on keyboard focus, closed by Escape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ACTIVE = "md-tooltip2--active"

# The tooltip Material opened for the element (aria-describedby), once it is on screen.
TOOLTIP_OF = """el => {
  const id = el.getAttribute('aria-describedby');
  const tip = id && document.getElementById(id);
  return tip && tip.classList.contains('md-tooltip2--active')
    && tip.getBoundingClientRect().height > 0 ? tip.innerText : null;
}"""


def tooltip(page, handle) -> str:
    return page.wait_for_function(TOOLTIP_OF, arg=handle, timeout=5000).json_value()


def none_open(page) -> None:
    page.wait_for_function(f"!document.querySelector('.{ACTIVE}')", timeout=5000)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_term_and_abbreviation_tooltips_on_hover_and_focus(visit, lang):
    page = visit.open(("" if lang == "id" else "en/") + "duties/server-side-logic.html")
    term = page.locator("article a.glossary-term").first
    definition = term.get_attribute("title")
    assert definition and len(definition) > 20
    expansions = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('article abbr[tabindex]')]"
        ".map(a => [a.textContent, a.title]))")
    assert expansions

    # Hover: the definition appears next to the term, stays while the pointer moves onto it
    # (WCAG 1.4.13, hoverable), and goes when the pointer leaves both.
    term.hover()
    assert tooltip(page, term.element_handle()) == definition
    assert term.get_attribute("title") is None  # no second, native tooltip meanwhile
    box = page.locator(".md-tooltip2__inner").bounding_box()
    # One step, straight from the term onto the tooltip: with several steps the pointer crosses
    # the gap between them, and on a busy machine the next step can come after the 250 ms grace
    # period, which would fail the test for the machine's speed, not for a defect.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(600)
    assert tooltip(page, term.element_handle()) == definition
    page.mouse.move(1, 1)
    none_open(page)
    assert term.get_attribute("title") == definition

    # Keyboard: focus the term, then Tab on until an abbreviation has the focus.
    term.focus()
    assert tooltip(page, term.element_handle()) == definition
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('abbr[tabindex]')"):
            break
    else:
        pytest.fail("Tab never reached an abbreviation")
    focused = page.evaluate_handle("document.activeElement")
    abbreviation = page.evaluate("document.activeElement.textContent")
    assert tooltip(page, focused) == expansions[abbreviation]

    # Escape closes it without moving the focus (WCAG 1.4.13).
    page.keyboard.press("Escape")
    none_open(page)
    assert page.evaluate("document.activeElement.textContent") == abbreviation
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") is None
    visit.assert_clean()
