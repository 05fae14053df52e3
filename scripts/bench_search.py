"""Search speed: typing a query shows its results in under 100 ms (median), per language.

    python scripts/bench_search.py [--site site] [--budget 100] [--runs 1]

On the full built site, served over HTTP like a static host (scripts/serve_static.py: a real Web
Worker, compressed files), each language's home page is opened in headless Chromium, one query
warms the worker up (it builds the index on the first search), then 15 queries from
tests/search/queries.yml are typed. Each is filled in but for its last letter, which is pressed
as a real key; the time runs from that keydown to the moment Material has written the results.
Prints the median per language against the budget, with the size of each search index, and
writes reports/bench-search.json and the "speed" section of reports/search.json.

The typing itself (every query shows results, nothing leaves the machine, no console error) is a
test: tests/browser/test_search_typing.py uses `type_queries` below without a time limit.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import CHROMIUM, CHROMIUM_FLAGS, LANGUAGES, language_root

TIMED = 15
BUDGET_MS = 100.0
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


def index_size(site: Path, lang: str) -> dict:
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


def measure(page, query: str, placeholder: str) -> tuple[float | None, int]:
    """Type `query` (all but its last letter at once, then that letter as a key press); return
    the ms to results (None when none came within 15 s) and the number of results shown."""
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
    shown = page.locator(".md-search-result__item").count()
    return (elapsed if elapsed >= 0 else None), shown


def type_queries(browser, base: str, lang: str) -> dict:
    """Open a language's home page from `base` and type its timed queries. Returns
    {"timings_ms": {query: ms or None}, "shown": {query: results}, "warm_up_ms", "blocked",
    "errors"} — requests that tried to leave the machine and console errors included."""
    context = browser.new_context()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(LOCAL + (base,)):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + ("" if lang == "id" else f"{lang}/") + "index.html")
        page.locator("input.md-search__input").click()
        placeholder = page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent)"
            ".translations['search.result.placeholder']")
        queries = timed_queries(lang)
        warm_up, _ = measure(page, queries[-1] if len(queries) > 1 else queries[0], placeholder)
        timings, shown = {}, {}
        for query in queries:
            timings[query], shown[query] = measure(page, query, placeholder)
    finally:
        context.close()
    return {"timings_ms": timings, "shown": shown, "warm_up_ms": warm_up, "blocked": blocked,
            "errors": errors}


def main(argv: list[str] | None = None) -> int:
    from bench_support import Bench, Figure, fail
    from serve_static import StaticServer
    from support import update_search_report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--budget", type=float, default=BUDGET_MS, help="ms (default: 100)")
    parser.add_argument("--runs", type=int, default=1,
                        help="rounds of the 15 queries per language (default: 1)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        return fail(f"bench-search: no built site at {args.site}; run `make build` first")
    if not CHROMIUM.exists():
        return fail(f"bench-search: Chromium not found at {CHROMIUM} (sudo apt-get install "
                    "chromium)")
    from playwright.sync_api import sync_playwright

    bench = Bench("search")
    report = {}
    with StaticServer(args.site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            for lang in LANGUAGES:
                values: list[float] = []
                rounds = [type_queries(browser, base, lang) for _ in range(args.runs)]
                problems = [r["blocked"] + r["errors"] for r in rounds]
                missing = [q for r in rounds for q, ms in r["timings_ms"].items() if ms is None]
                if any(problems) or missing:
                    return fail(f"bench-search: {lang}: cannot time the search: blocked requests "
                                f"or console errors {problems}, no results for {missing}")
                for r in rounds:
                    values += list(r["timings_ms"].values())
                size = index_size(args.site, lang)
                bench.add(Figure(
                    f"{lang}: keydown to results", values, "ms", args.budget,
                    f"max {max(values):.0f} ms, warm-up {rounds[0]['warm_up_ms']:.0f} ms; index "
                    f"{size['raw_bytes']:,} B raw, {size['gzip_bytes']:,} B gzip"))
                report[lang] = {
                    "queries": len(values), "median_ms": round(statistics.median(values), 1),
                    "max_ms": round(max(values), 1),
                    "warm_up_ms": round(rounds[0]["warm_up_ms"], 1),
                    "timings_ms": {q: round(ms, 1) for q, ms in rounds[0]["timings_ms"].items()},
                    "index": size}
        finally:
            browser.close()
    update_search_report("speed", {"budget_ms": args.budget, "transport": "http", **report})
    bench.extra = {"search": report}
    return bench.finish()


if __name__ == "__main__":
    sys.exit(main())
