"""Reading the built site as a person would, from disk and over HTTP, with no other host."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SAMPLE = ["index.html", "overview.html", "duties/index.html", "skills/web-security.html",
          "glossary.html"]


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box (key by key, as it listens for keyboard events)
    and return the result links once the result count has been written."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    placeholder = meta.inner_text()
    box.press_sequentially(query)
    page.wait_for_function(
        "placeholder => document.querySelector('.md-search-result__meta').innerText !== placeholder",
        arg=placeholder, timeout=15000,
    )
    return page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)"
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_render_with_styles_and_icons(visit, lang):
    prefix = "" if lang == "id" else "en/"
    for path in SAMPLE:
        page = visit.open(prefix + path)
        assert page.evaluate("document.documentElement.lang") == lang
        # Material's stylesheet applied: the header is a fixed bar with a computed colour.
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert page.locator(".md-header__button.md-logo svg, .md-header__button.md-logo img") \
            .count() >= 1
    visit.assert_clean()


def test_language_selector_lands_on_the_twin(visit):
    page = visit.open("duties/index.html")
    page.locator(".md-select").first.hover()
    page.locator("a.md-select__link[hreflang='en']").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("en/duties/index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator(".md-select").first.hover()
    page.locator("a.md-select__link[hreflang='id']").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/duties/index.html") and "/en/" not in page.url
    visit.assert_clean()


def test_palette_toggle_switches_and_persists(visit):
    page = visit.open("overview.html")
    schemes = []
    for _ in range(3):
        page.locator("form[data-md-component='palette'] label:not([hidden])").first.click()
        schemes.append(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))
    assert {"default", "slate"} <= set(schemes), schemes
    page.reload()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == schemes[-1]
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_search_returns_only_pages_of_the_reader_language(visit, lang):
    prefix = "" if lang == "id" else "en/"
    page = visit.open(prefix + "index.html")
    query = "keamanan" if lang == "id" else "security"
    links = search(page, query)
    assert links, f"no results for {query!r}"
    for link in links:
        in_english = "/en/" in link
        assert in_english == (lang == "en"), f"{link} is not a {lang} page"
    visit.assert_clean()


@pytest.mark.parametrize(("path", "lang", "heading"), [
    ("no-such-page.html", "id", "Halaman Tidak Ditemukan"),
    ("en/no-such-page.html", "en", "Page Not Found"),
])
def test_missing_page_gets_the_404_of_its_language(browser, http_base, path, lang, heading):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(http_base + path)
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").inner_text() == heading
    # Styles load although the 404 page is served from an arbitrary folder.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    context.close()
