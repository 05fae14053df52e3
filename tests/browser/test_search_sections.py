"""Search in Chromium: the index loads only when the reader reaches for search, and the results
show the section that answers, from file:// and over HTTP, in both languages.

- Opening a page fetches neither the search index nor Material's search worker nor the stemmer
  (handbook/search-lazy); focusing the search box, the `/`, `s` and `f` shortcuts and a tap on
  the search icon each load them, and the typed query then shows results.
- Each query of tests/search/queries.yml, typed into the search box, shows the same first
  results as the worker gives in Node (tests/search/search_site.mjs), and the expected section
  is among the first 3 shown in as many queries as tests/search/test_search_quality.py requires.
- No shown result marks a query word "missing" (Material's strike-through) that its text holds.

Lean on purpose (make test's time budget): one browser for the module, one static server, each
language's home page opened once per transport and every query typed into it. How fast results
come is a benchmark (`make bench-search`), never a test.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import unquote

import pytest
from search_quality import (
    REQUIRED_SECTION_SHARE,
    TOP,
    exact_words,
    holds,
    load_queries,
    run_search,
)
from support import LANGUAGES, skip_or_fail

pytestmark = pytest.mark.browser

LOCAL = ("file:", "data:", "blob:", "about:")
# What handbook/search-lazy defers: the index (JSON over HTTP, script from file://), Material's
# worker and the language's lunr files.
DEFERRED = re.compile(r"/search/search_index\.js(on)?$|/workers/search\.[0-9a-f]+\.min\.js$|"
                      r"/lunr/min/lunr\.\w+\.min\.js$")

# Enters each query in the search box (its value, then the keyup Material listens to; the real
# key presses are tested above and in test_search_typing.py), waits for its results (Material
# renders every answer anew: a result item not marked as shown before) and reads
# the results a reader sees without unfolding anything: per result item, its sections shown (an
# h2 link straight under the item), or the page itself when no section is shown. In the page:
# one round trip for all the queries of a language.
SHOWN = """async queries => {
  const input = document.querySelector('.md-search__input');
  const until = test => new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => test() ? resolve() : performance.now() - started > 15000
      ? reject(new Error('no results for ' + input.value)) : setTimeout(poll, 5);
    poll();
  });
  const enter = value => {
    input.value = value;
    input.dispatchEvent(new KeyboardEvent('keyup', {key: value.slice(-1) || 'Backspace'}));
  };
  const list = document.querySelector('.md-search-result__list');
  const shown = {};
  enter('');
  await until(() => !list.firstElementChild);
  for (const query of queries) {
    for (const item of list.children) item.dataset.before = '1';
    enter(query);
    await until(() => list.firstElementChild && !list.firstElementChild.dataset.before);
    shown[query] = [...document.querySelectorAll('.md-search-result__item')].flatMap(li => {
      const links = [...li.querySelectorAll(':scope > a.md-search-result__link')];
      const sections = links.filter(a => a.querySelector('h2'));
      return (sections.length ? sections : links.slice(0, 1)).map(a => ({
        href: a.href,
        missing: [...a.querySelectorAll('.md-search-result__terms del')].map(d => d.textContent),
      }));
    });
  }
  return shown;
}"""


@pytest.fixture(scope="module")
def server(built_site):
    from serve_static import StaticServer

    with StaticServer(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def node():
    path = shutil.which("node")
    if not path:
        skip_or_fail("Node.js not found: install Debian's `nodejs` (make system does it)")
    return path


class Tab:
    """One page in its own context, with every request it makes and what went wrong."""

    def __init__(self, browser, allowed: str, **options):
        self.context = browser.new_context(**options)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith(LOCAL + (allowed,)):
                self.requests.append(url.split("?")[0])
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def deferred(self) -> list[str]:
        return [url for url in self.requests if DEFERRED.search(url)]

    def close(self):
        self.context.close()
        assert not self.blocked, f"requests left the machine: {self.blocked}"
        assert not self.errors, f"console errors: {self.errors}"


def base_of(transport: str, built_site, server) -> str:
    return built_site.as_uri() + "/" if transport == "file" else server


def type_query(page, query: str) -> None:
    """Type `query` and wait until Material has written the results of the whole query."""
    box = page.locator("input.md-search__input")
    box.fill(query[:-1])
    box.press(query[-1])
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q &&"
        " /\\d/.test(document.querySelector('.md-search-result__meta').textContent)",
        arg=query, timeout=15000)


TRIGGERS = {
    "focus": lambda page: page.locator("input.md-search__input").focus(),
    "slash": lambda page: page.keyboard.press("/"),
    "s": lambda page: page.keyboard.press("s"),
    "f": lambda page: page.keyboard.press("f"),
    "tap": lambda page: page.locator("label.md-header__button[for=__search]").tap(),
}


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("transport", ["file", "http"])
def test_index_loads_when_the_reader_reaches_for_search(browser, built_site, server, transport,
                                                       trigger):
    mobile = trigger == "tap"  # the search icon is a button of the header on small screens
    options = {"viewport": {"width": 390, "height": 844}, "has_touch": True} if mobile else {}
    tab = Tab(browser, server, **options)
    try:
        tab.page.goto(base_of(transport, built_site, server) + "duties/database-management.html")
        tab.page.wait_for_load_state("networkidle")
        assert not tab.deferred(), f"loaded with the page: {tab.deferred()}"
        TRIGGERS[trigger](tab.page)
        tab.page.wait_for_function(
            "() => document.querySelector('.md-search__input') === document.activeElement")
        # The index is on its way before a key is typed (the results themselves: see below).
        for _ in range(200):
            if any("search_index" in url for url in tab.deferred()):
                break
            tab.page.wait_for_timeout(50)
        assert any("search_index" in url for url in tab.deferred()), tab.deferred()
    finally:
        tab.close()


@pytest.fixture(scope="module")
def in_node(built_site, node):
    """The results the worker gives in Node, per language, computed once for both transports."""
    found = {}

    def visible(lang: str) -> dict:
        if lang not in found:
            queries = [item["query"] for item in load_queries()[lang]]
            found[lang] = run_search(node, built_site, lang, queries)["visible"]
        return found[lang]

    return visible


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("transport", ["file", "http"])
def test_results_show_the_expected_section(browser, built_site, server, in_node, lang,
                                           transport):
    items = load_queries()[lang]
    queries = [item["query"] for item in items]
    expected = in_node(lang)
    base = base_of(transport, built_site, server)
    root = base if lang == "id" else f"{base}{lang}/"
    tab = Tab(browser, server)
    hits, differ, wrongly_missing = 0, [], []
    try:
        tab.page.goto(root + "index.html")
        tab.page.locator("input.md-search__input").focus()
        type_query(tab.page, queries[0])  # the index is ready
        all_shown = tab.page.evaluate(SHOWN, queries)
        for item in items:
            shown = all_shown[item["query"]]
            locations = [unquote(re.sub(r"\?[^#]*", "", s["href"])[len(root):]) for s in shown]
            node_top = [r["location"] for r in expected[item["query"]][:TOP]]
            if locations[:TOP] != node_top:
                differ.append((item["query"], locations[:TOP], node_top))
            hits += any(loc in item["expect"] for loc in locations[:TOP])
            for result, worker in zip(shown[:TOP], expected[item["query"]][:TOP]):
                exact = exact_words(item["query"])
                wrongly_missing += [(item["query"], result["href"], word)
                                    for word in result["missing"]
                                    if holds(worker, word, exact=word.lower() in exact)]
    finally:
        tab.close()
    assert not differ, f"{lang}/{transport}: Chromium shows other results than the worker: {differ}"
    assert not wrongly_missing, f"marked missing though the shown text holds it: {wrongly_missing}"
    assert hits / len(items) >= REQUIRED_SECTION_SHARE, (
        f"{lang}/{transport}: {hits}/{len(items)} queries show their section in the top {TOP}")
