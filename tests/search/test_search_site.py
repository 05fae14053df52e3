"""Indonesian search on the built site: Material's worker loads lunr.id and affixed forms meet.

The Node unit tests (tests/search/*.test.mjs) run here too, so that pytest alone covers search.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from support import LANGUAGES, ROOT, language_root, skip_or_fail

PLUGIN = ROOT / "overrides" / "assets" / "javascripts" / "lunr" / "min" / "lunr.id.min.js"
SEARCH_SITE = ROOT / "tests" / "search" / "search_site.mjs"

# Each query of a group must find every page that holds any of the group's words.
GROUPS = {
    "kelola": ["kelola", "mengelola", "pengelolaan", "dikelola", "terkelola", "pengelola"],
    "uji": ["uji", "menguji", "pengujian", "diuji", "penguji"],
    "aman": ["aman", "keamanan", "mengamankan", "pengamanan", "diamankan"],
}


def _index(site, lang):
    return json.loads((language_root(site, lang) / "search" / "search_index.json").read_text())


def _pages_with(index: dict, words: list[str]) -> set[str]:
    pattern = re.compile(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)
    return {d["location"].split("#")[0] for d in index["docs"]
            if pattern.search(d["title"]) or pattern.search(re.sub(r"<[^>]+>", " ", d["text"]))}


def _search(node, site, lang, queries) -> dict[str, list[str]]:
    result = subprocess.run([node, str(SEARCH_SITE), str(site), lang, *queries],
                            check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)["results"]


def test_node_unit_tests(node):
    if not (ROOT / "node_modules" / "lunr").is_dir():
        skip_or_fail("npm packages missing: run `npm ci` (make test-unit does it)")
    result = subprocess.run([node, "--test", "tests/search/"], check=False, capture_output=True,
                            text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    accuracy = re.search(r"accuracy: (\d+)/(\d+)", result.stdout)
    assert accuracy, "the stemmer test printed no accuracy"


def test_indonesian_index_is_set_up_for_the_stemmer(built_site):
    config = _index(built_site, "id")["config"]
    assert config["lang"] == ["id"]
    assert {"trimmer", "stopWordFilter", "stemmer"} <= set(config["pipeline"])
    for lang in LANGUAGES:
        if lang != "id":
            assert _index(built_site, lang)["config"]["lang"] == [lang]
    shipped = built_site / "assets" / "javascripts" / "lunr" / "min" / "lunr.id.min.js"
    assert shipped.read_bytes() == PLUGIN.read_bytes()


def test_every_form_finds_the_pages_of_its_root(built_site, node):
    index = _index(built_site, "id")
    queries = [q for forms in GROUPS.values() for q in forms]
    results = _search(node, built_site, "id", queries)
    for root, forms in GROUPS.items():
        expected = _pages_with(index, forms)
        assert expected, f"no Indonesian page uses any form of '{root}'"
        for query in forms:
            missing = expected - set(results[query])
            assert not missing, f"'{query}' misses pages with a form of '{root}': {missing}"


def test_english_search_is_unchanged(built_site, node):
    results = _search(node, built_site, "en", ["database", "testing"])
    assert results["database"] and results["testing"]


@pytest.mark.browser
@pytest.mark.parametrize("transport", ["file", "http"])
def test_search_box_finds_affixed_forms(browser, built_site, node, transport):
    """Typing in the real page (a Web Worker over HTTP, the iframe shim from file://) gives what
    the worker gives in Node: "kelola" finds the pages of "pengelolaan", "mengelola"..."""
    from serve_static import StaticServer

    queries = ["kelola", "pengelolaan"]
    wanted = _search(node, built_site, "id", queries)
    expected = _pages_with(_index(built_site, "id"), GROUPS["kelola"])
    assert expected <= set(wanted["kelola"]), "the worker does not stem: see the other tests"
    with StaticServer(built_site) as http_base:
        base = built_site.as_uri() + "/" if transport == "file" else http_base
        context = browser.new_context()
        blocked, errors, loaded = [], [], []

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:", "about:", http_base)):
                if url.endswith("lunr.id.min.js"):
                    loaded.append(url)
                r.continue_()
            else:
                blocked.append(url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(base + "index.html")
            for query in queries:
                box = page.locator("input.md-search__input")
                box.click()
                box.fill("")
                box.press_sequentially(query)
                # Material writes "N dokumen ditemukan" once the worker has answered; wait for
                # the answer to the whole word, not to a keystroke before it.
                page.wait_for_function(
                    "([q, n]) => document.querySelector('.md-search__input').value === q &&"
                    " document.querySelector('.md-search-result__meta').innerText"
                    ".startsWith(n + ' dokumen')", arg=[query, len(wanted[query])], timeout=15000)
                hrefs = page.eval_on_selector_all(
                    ".md-search-result__item > .md-search-result__link",
                    "els => els.map(e => e.href)")
                shown = list(dict.fromkeys(re.split(r"[?#]", h[len(base):])[0] for h in hrefs))
                assert shown and shown == wanted[query][:len(shown)], (query, transport, shown)
                box.fill("")
        finally:
            context.close()
    assert not blocked, f"requests left the machine: {blocked}"
    assert not errors, f"console errors: {errors}"
    if transport == "http":
        assert loaded, "lunr.id.min.js was never requested"
