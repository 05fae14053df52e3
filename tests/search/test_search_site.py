"""Search on the built site: Material's worker loads lunr.id (Indonesian) or lunr.en_stem (English)
and the forms of a word meet.

The Node unit tests (tests/search/*.test.mjs) run here too, so that pytest alone covers search.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from support import LANGUAGES, ROOT, language_root, skip_or_fail

PLUGINS = ROOT / "overrides" / "assets" / "javascripts" / "lunr" / "min"
# Material's worker loads lunr/min/lunr.<name>.min.js for the index's search language.
SEARCH_LANG = {"id": "id", "en": "en_stem"}
SEARCH_SITE = ROOT / "tests" / "search" / "search_site.mjs"

# Each query of a group must find every page that holds any of the group's words.
GROUPS = {
    "kelola": ["kelola", "mengelola", "pengelolaan", "dikelola", "terkelola", "pengelola"],
    "uji": ["uji", "menguji", "pengujian", "diuji", "penguji"],
    "aman": ["aman", "keamanan", "mengamankan", "pengamanan", "diamankan"],
}
# English: lunr's Porter stemmer.
EN_GROUPS = {
    "cache": ["cache", "caches", "cached", "caching"],
    "deploy": ["deploy", "deploys", "deployed", "deploying", "deployment", "deployments"],
    "test": ["test", "tests", "tested", "testing"],
}


def _index(site, lang):
    return json.loads((language_root(site, lang) / "search" / "search_index.json").read_text())


def _pages_with(index: dict, words: list[str]) -> set[str]:
    """Pages whose title or text holds one of the words as the index holds words: the text split
    at spaces and hyphens (Material's separator), punctuation trimmed from both ends (lunr's
    trimmer), so "state.cache" or "examples/deploy/" are single words."""
    wanted = {w.lower() for w in words}

    def has(text: str) -> bool:
        tokens = re.split(r"[\s\-]+", re.sub(r"<[^>]+>", " ", text))
        return any(re.sub(r"^\W+|\W+$", "", t).lower() in wanted for t in tokens)

    return {d["location"].split("#")[0] for d in index["docs"] if has(d["title"]) or has(d["text"])}


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


def test_each_index_is_set_up_for_its_stemmer(built_site):
    for lang in LANGUAGES:
        config = _index(built_site, lang)["config"]
        assert config["lang"] == [SEARCH_LANG[lang]], lang
        assert {"trimmer", "stopWordFilter", "stemmer"} <= set(config["pipeline"]), lang
        name = f"lunr.{SEARCH_LANG[lang]}.min.js"
        shipped = built_site / "assets" / "javascripts" / "lunr" / "min" / name
        assert shipped.read_bytes() == (PLUGINS / name).read_bytes(), name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_query_of_the_quality_set_breaks_the_search(built_site, node, lang):
    """Regression: lunr 2.3.9 could merge two different nodes of its token set (a digit label read
    as part of a node id), and a prefix query that reached the merged node threw "Invalid query"
    in Material's worker: "response", "keamanan aplikasi web" and six more queries of the quality
    set showed nothing at all. lunr.keepstem.js fixes lunr's TokenSet key."""
    import yaml

    queries = [item["query"] for item in
               yaml.safe_load((ROOT / "tests" / "search" / "queries.yml").read_text())[lang]]
    result = subprocess.run([node, str(SEARCH_SITE), str(built_site), lang, *queries],
                            check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Invalid query" not in result.stderr, result.stderr[-3000:]
    empty = [query for query, pages in json.loads(result.stdout)["results"].items() if not pages]
    assert not empty, f"{lang}: no result at all for {empty}"


def _assert_every_form_finds_every_page(site, node, lang, groups) -> dict[str, list[str]]:
    """Each query of a group finds every page that holds any word of the group."""
    index = _index(site, lang)
    results = _search(node, site, lang, [q for forms in groups.values() for q in forms])
    for root, forms in groups.items():
        expected = _pages_with(index, forms)
        assert expected, f"no {lang} page uses any form of '{root}'"
        for query in forms:
            missing = expected - set(results[query])
            assert not missing, f"'{query}' misses pages with a form of '{root}': {missing}"
    return results


def test_every_form_finds_the_pages_of_its_root(built_site, node):
    _assert_every_form_finds_every_page(built_site, node, "id", GROUPS)


def test_every_english_form_finds_the_pages_of_its_stem(built_site, node):
    """The issue's example: "caching" finds the pages that say "cache" or "cached"."""
    results = _assert_every_form_finds_every_page(built_site, node, "en", EN_GROUPS)
    index = _index(built_site, "en")
    only_cache = _pages_with(index, ["cache", "cached"]) - _pages_with(index, ["caching"])
    assert only_cache, "no page says cache/cached without caching: the test proves nothing"
    assert only_cache <= set(results["caching"])


@pytest.mark.browser
@pytest.mark.parametrize("transport", ["file", "http"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_box_finds_affixed_forms(browser, built_site, node, transport, lang):
    """Typing in the real page (a Web Worker over HTTP, the iframe shim from file://) gives what
    the worker gives in Node: "kelola" finds the pages of "pengelolaan", "mengelola"...;
    "caching" the pages of "cache" and "cached"."""
    from serve_static import StaticServer

    queries, group = {"id": (["kelola", "pengelolaan"], GROUPS["kelola"]),
                      "en": (["caching", "cache"], EN_GROUPS["cache"])}[lang]
    plugin = f"lunr.{SEARCH_LANG[lang]}.min.js"
    wanted = _search(node, built_site, lang, queries)
    expected = _pages_with(_index(built_site, lang), group)
    assert expected <= set(wanted[queries[0]]), "the worker does not stem: see the other tests"
    with StaticServer(built_site) as http_base:
        base = built_site.as_uri() + "/" if transport == "file" else http_base
        context = browser.new_context()
        blocked, errors, loaded = [], [], []

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:", "about:", http_base)):
                if url.endswith(plugin):
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
            root = base if lang == "id" else f"{base}{lang}/"
            page.goto(root + "index.html")
            for query in queries:
                box = page.locator("input.md-search__input")
                box.click()
                box.fill("")
                box.press_sequentially(query)
                # Material writes "N dokumen ditemukan" / "N matching documents" once the worker
                # has answered; wait for the answer to the whole word, not to a keystroke before.
                page.wait_for_function(
                    "([q, n]) => document.querySelector('.md-search__input').value === q &&"
                    " document.querySelector('.md-search-result__meta').innerText"
                    ".startsWith(n + ' ')", arg=[query, len(wanted[query])], timeout=15000)
                hrefs = page.eval_on_selector_all(
                    ".md-search-result__item > .md-search-result__link",
                    "els => els.map(e => e.href)")
                shown = list(dict.fromkeys(re.split(r"[?#]", h[len(root):])[0] for h in hrefs))
                assert shown and shown == wanted[query][:len(shown)], (query, transport, shown)
                box.fill("")
        finally:
            context.close()
    assert not blocked, f"requests left the machine: {blocked}"
    assert not errors, f"console errors: {errors}"
    if transport == "http":
        assert loaded, f"{plugin} was never requested"
