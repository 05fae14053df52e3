"""Search speed and size: typing a query shows its results in under 100 ms (median), per language.

On the full built site, served over HTTP like a static host (a real Web Worker, compressed
files), each language's home page is opened, one query warms the worker up (it builds the index
on the first search), then 15 queries from tests/search/queries.yml are typed. Each is filled in
but for its last letter, which is pressed as a real key; the time runs from that keydown to the
moment Material has written the results (result count and first results in the page). The
figures, with the size of each search index raw and gzip-compressed, go to reports/search.json
("speed") and are printed.
"""

from __future__ import annotations

import gzip
import statistics

import pytest
import yaml
from support import LANGUAGES, ROOT, language_root, update_search_report

pytestmark = pytest.mark.browser

TIMED = 15
BUDGET_MS = 100
LOCAL = ("file:", "data:", "blob:", "about:")
QUERIES = ROOT / "tests" / "search" / "queries.yml"

# Resolves with the ms from the keydown of the next key to the first rendering of results that
# differ from the placeholder ("Type to start searching"), or with -1 after 15 s.
ARM = """placeholder => {
  const input = document.querySelector('.md-search__input');
  const meta = document.querySelector('.md-search-result__meta');
  window.__searchTiming = new Promise(resolve => {
    let start = null;
    input.addEventListener('keydown', e => { start = e.timeStamp; }, {once: true, capture: true});
    const done = () => {
      if (start === null || meta.textContent === placeholder) return false;
      const end = performance.now();
      observer.disconnect();
      resolve(end - start);
      return true;
    };
    const observer = new MutationObserver(done);
    observer.observe(document.querySelector('.md-search-result'),
                     {childList: true, subtree: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(-1); }, 15000);
  });
}"""


def index_size(site, lang: str) -> dict:
    path = language_root(site, lang) / "search" / "search_index.json"
    raw = path.read_bytes()
    packed = path.with_name(path.name + ".gz")  # what the build ships (gzip -9) for static hosts
    size = {"raw_bytes": len(raw),
            "gzip_bytes": packed.stat().st_size if packed.is_file()
            else len(gzip.compress(raw, compresslevel=9, mtime=0))}
    brotli = path.with_name(path.name + ".br")
    if brotli.is_file():
        size["brotli_bytes"] = brotli.stat().st_size
    return size


def timed_queries(lang: str) -> list[str]:
    """TIMED queries of queries.yml, spread over the list (it is grouped by topic)."""
    items = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))[lang]
    step = max(1, len(items) // TIMED)
    return [item["query"] for item in items[::step]][:TIMED]


def measure(page, query: str, placeholder: str) -> tuple[float, int]:
    """Type `query` (all but its last letter at once, then that letter as a key press) and return
    the ms to results and the number of results shown."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")  # a keyup with the box empty: Material clears the results
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent === p",
        arg=placeholder, timeout=15000)
    box.fill(query[:-1])  # no keyup, so no search for the unfinished word
    page.evaluate(ARM, placeholder)
    box.press(query[-1])
    elapsed = page.evaluate("window.__searchTiming")
    assert elapsed >= 0, f"no results written for {query!r}"
    shown = page.locator(".md-search-result__item").count()
    return elapsed, shown


def test_search_answers_within_budget(browser, built_site, http_base, capsys):
    report = {}
    for lang in LANGUAGES:
        context = browser.new_context()
        blocked, errors = [], []

        def route(r, blocked=blocked):
            if r.request.url.startswith(LOCAL + (http_base,)):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        try:
            page.goto(http_base + ("" if lang == "id" else f"{lang}/") + "index.html")
            page.locator("input.md-search__input").click()
            placeholder = page.evaluate(
                "JSON.parse(document.getElementById('__config').textContent)"
                ".translations['search.result.placeholder']")
            queries = timed_queries(lang)
            warm_up, _ = measure(page, queries[-1] if len(queries) > 1 else queries[0],
                                 placeholder)
            timings = {}
            for query in queries:
                elapsed, shown = measure(page, query, placeholder)
                assert shown, f"{lang}: no results shown for {query!r}"
                timings[query] = round(elapsed, 1)
        finally:
            context.close()
        assert not blocked, f"requests left the machine: {blocked}"
        assert not errors, f"console errors: {errors}"
        values = list(timings.values())
        report[lang] = {
            "queries": len(values),
            "median_ms": round(statistics.median(values), 1),
            "max_ms": max(values),
            "warm_up_ms": round(warm_up, 1),
            "timings_ms": timings,
            "index": index_size(built_site, lang),
        }
    update_search_report("speed", {"budget_ms": BUDGET_MS, "transport": "http", **report})
    with capsys.disabled():
        print("\nsearch speed (keydown of the last letter to results written) and index size:")
        for lang, r in report.items():
            size = r["index"]
            print(f"  {lang}: median {r['median_ms']} ms, max {r['max_ms']} ms over {r['queries']}"
                  f" queries (warm-up {r['warm_up_ms']} ms); index {size['raw_bytes']:,} B raw,"
                  f" {size['gzip_bytes']:,} B gzip"
                  + (f", {size['brotli_bytes']:,} B brotli" if "brotli_bytes" in size else ""))
    slow = {lang: r["median_ms"] for lang, r in report.items() if r["median_ms"] >= BUDGET_MS}
    assert not slow, f"median time to results over {BUDGET_MS} ms: {slow}"
