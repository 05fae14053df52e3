"""Search and first visit, ours against stock, side by side in one run (issue 19).

    python scripts/bench_search_stock.py [--runs 5] [--lighthouse-runs 5] [--site site]

Builds the same content twice in a copy of the project (handbook.bench: mkdocs.yml, and the stock
configuration: Material + static-i18n + the same Markdown extensions, nothing of ours; with
--site, ours is that built site instead), serves each like a static host (scripts/serve_static.py:
compressed, under /panduan-backend/) and measures, for both:

- first visit: the bytes a new visitor's Chromium transfers (compressed, headers included) until
  the network is idle, on the home page and the longest duty, skill and glossary pages of each
  language (everything, search index included when the page fetches it);
- time to first results under Lighthouse's mobile throttling (150 ms round trip, 1.6 Mbit/s
  down, 750 kbit/s up, CPU slowed 4x): cold, from the first keystroke in a page opened fresh
  (its network idle) to the first results written, median of --runs; warm, the same for the
  timed queries of bench_search.py once the index is ready, median;
- section-level quality: the share of tests/search/queries.yml whose expected section is among
  the first 3 results shown (tests/search_quality.py; stock's merged index is searched with
  Material's own worker, as a stock site's reader gets it), and the page-level share;
- Lighthouse mobile performance of the longest duty, skill and glossary pages (Indonesian),
  ours and stock interleaved, median of --lighthouse-runs (0 skips it).

Prints a Markdown table and writes reports/bench-search-stock.json. Goals (issue 19): first
visit at most 150 KB, cold results within 1 s, warm within 100 ms, at least 90 % of the queries
showing their section, Lighthouse mobile at least 95; the exit status is 1 when ours misses one.
A goal is a benchmark's business, never a test's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from audit import LIGHTHOUSE
from bench_search import timed_queries
from handbook.bench import project_copy, timed
from serve_static import StaticServer
from support import CHROMIUM, CHROMIUM_FLAGS, LANGUAGES

GOALS = {"first_visit_kb": 150.0, "cold_ms": 1000.0, "warm_ms": 100.0, "section_share": 0.90,
         "lighthouse": 95}
# Lighthouse's mobile throttling (its "simulated" defaults, applied here for real).
MOBILE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
                  "uploadThroughput": 750 * 1024 / 8}
MOBILE_CPU = 4
REPORT = ROOT / "reports" / "bench-search-stock.json"
# Resolves with the ms from the next keydown in the search box to the first result item written
# (the list is empty before: a fresh page, or the box just emptied), or -1 after 60 s.
ARM = """() => {
  const input = document.querySelector('.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  window.__searchTiming = new Promise(resolve => {
    let start = null;
    input.addEventListener('keydown', e => { start = e.timeStamp; }, {once: true, capture: true});
    const observer = new MutationObserver(() => {
      if (start === null || !list.querySelector('.md-search-result__item')) return;
      observer.disconnect();
      resolve(performance.now() - start);
    });
    observer.observe(list, {childList: true, subtree: true});
    setTimeout(() => { observer.disconnect(); resolve(-1); }, 60000);
  });
}"""


def longest(site: Path, section: str) -> str:
    pages = [p for p in (site / section).glob("*.html") if p.name != "index.html"]
    return f"{section}/{max(pages, key=lambda p: p.stat().st_size).name}"


def sample_pages(site: Path) -> dict[str, str]:
    return {"home": "index.html", "duty": longest(site, "duties"),
            "skill": longest(site, "skills"), "glossary": "glossary.html"}


def first_visit_kb(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []

    def finished(request):
        measured = request.sizes()
        sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    context.close()
    return round(sum(sizes) / 1024, 1)


def throttled(browser):
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", MOBILE_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": MOBILE_CPU})
    return context, page


def time_query(page, query: str) -> float | None:
    """ms from the keydown of the query's first key to the first results written."""
    page.evaluate(ARM)
    page.keyboard.type(query)
    elapsed = page.evaluate("window.__searchTiming")
    return elapsed if elapsed >= 0 else None


def cold_ms(browser, url: str, query: str) -> float | None:
    """A fresh page (network idle), the search box focused, the query typed: ms from the first
    keystroke to the first results, the index and worker loaded on the way if not yet."""
    context, page = throttled(browser)
    try:
        page.goto(url, wait_until="networkidle")
        page.locator("input.md-search__input").focus()
        return time_query(page, query)
    finally:
        context.close()


def warm_ms(browser, url: str, queries: list[str]) -> list[float]:
    context, page = throttled(browser)
    try:
        page.goto(url, wait_until="networkidle")
        box = page.locator("input.md-search__input")
        box.focus()
        time_query(page, queries[0])  # index loaded, worker ready
        values = []
        for query in queries:
            box.fill("")
            box.press("End")  # a keyup with the box empty: Material clears the results
            page.wait_for_function(
                "() => !document.querySelector('.md-search-result__list .md-search-result__item')",
                timeout=30000)
            box.fill(query[:-1])  # no keyup, so no search for the unfinished word
            page.evaluate(ARM)
            box.press(query[-1])
            elapsed = page.evaluate("window.__searchTiming")
            if elapsed >= 0:
                values.append(elapsed)
        return values
    finally:
        context.close()


def stock_indexes(site: Path, work: Path) -> Path:
    """Stock's one merged index, as each language's reader searches it: locations relative to
    that language's root (the other language's pages then never match an expected section)."""
    merged = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    target = work / "stock-search"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site / "assets", target / "assets", symlinks=True)
    for lang in LANGUAGES:
        root = target if lang == "id" else target / lang
        docs = []
        for doc in merged["docs"]:
            location = doc["location"]
            if lang != "id":
                location = (location[len(lang) + 1:] if location.startswith(f"{lang}/")
                            else f"../{location}")
            docs.append({**doc, "location": location})
        (root / "search").mkdir(parents=True, exist_ok=True)
        (root / "search" / "search_index.json").write_text(
            json.dumps({"config": merged["config"], "docs": docs}), encoding="utf-8")
    return target


def quality(site: Path) -> dict[str, dict]:
    from search_quality import evaluate, load_queries

    node = shutil.which("node")
    queries = load_queries()
    return {lang: {k: v for k, v in evaluate(node, site, lang, queries[lang]).items()
                   if k != "misses"} for lang in LANGUAGES}


def lighthouse_performance(url: str, out: Path) -> int:
    import os

    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=performance", f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                   capture_output=True, timeout=300)
    return round(json.loads(out.read_text())["categories"]["performance"]["score"] * 100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="cold timings per variant")
    parser.add_argument("--lighthouse-runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="our built site (default: build it)")
    parser.add_argument("--stock-site", type=Path, help="the stock built site (default: build it)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {"ours": {}, "stock": {}}
    with tempfile.TemporaryDirectory(prefix="bench-search-stock-") as tmp:
        work = project_copy(Path(tmp) / "work")
        sites = {"ours": args.site, "stock": args.stock_site}
        for name, config in (("ours", "mkdocs.yml"), ("stock", "mkdocs.stock.yml")):
            if sites[name] is None:
                sites[name] = Path(tmp) / f"site-{name}"
            if not (sites[name] / "index.html").is_file():
                print(f"building {name}...", flush=True)
                timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", config,
                       "-d", str(sites[name])], cwd=work)
        pages = sample_pages(sites["ours"])
        print("search quality...", flush=True)
        results["ours"]["quality"] = quality(sites["ours"])
        results["stock"]["quality"] = quality(stock_indexes(sites["stock"], Path(tmp)))
        with StaticServer(sites["ours"]) as ours, StaticServer(sites["stock"]) as stock, \
                sync_playwright() as p:
            bases = {"ours": ours, "stock": stock}
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            try:
                for name, base in bases.items():
                    print(f"{name}: first visit, cold and warm search...", flush=True)
                    r = results[name]
                    r["first_visit_kb"] = {
                        f"{lang}/{kind}": first_visit_kb(
                            browser, base + ("" if lang == "id" else f"{lang}/") + path)
                        for lang in LANGUAGES for kind, path in pages.items()}
                    r["cold_ms"], r["warm_ms"] = {}, {}
                    for lang in LANGUAGES:
                        url = base + ("" if lang == "id" else f"{lang}/") + pages["duty"]
                        queries = timed_queries(lang)
                        cold = [cold_ms(browser, url, queries[n % len(queries)])
                                for n in range(args.runs)]
                        r["cold_ms"][lang] = round(statistics.median(
                            [c if c is not None else float("inf") for c in cold]), 1)
                        warm = warm_ms(browser, url, queries)
                        r["warm_ms"][lang] = round(statistics.median(warm), 1) if warm else None
            finally:
                browser.close()
            if args.lighthouse_runs:
                for kind in ("duty", "skill", "glossary"):
                    scores: dict[str, list[int]] = {"ours": [], "stock": []}
                    for run in range(args.lighthouse_runs):
                        order = ["ours", "stock"] if run % 2 == 0 else ["stock", "ours"]
                        for name in order:
                            out = Path(tmp) / f"lh-{name}-{kind}-{run}.json"
                            scores[name].append(
                                lighthouse_performance(bases[name] + pages[kind], out))
                            print(f"lighthouse {kind} {name} run {run + 1}:"
                                  f" {scores[name][-1]}", flush=True)
                    for name, values in scores.items():
                        results[name].setdefault("lighthouse", {})[kind] = {
                            "median": statistics.median(values), "runs": values}
    report = {"pages": pages, "runs": args.runs, "lighthouse_runs": args.lighthouse_runs,
              "throttling": {"network": MOBILE_NETWORK, "cpu_slowdown": MOBILE_CPU},
              "goals": GOALS, **results}
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    misses = over_goal(results["ours"])
    for miss in misses:
        print(f"over goal: {miss}")
    return 1 if misses else 0


def table(report: dict) -> str:
    ours, stock = report["ours"], report["stock"]
    rows = ["| Measure | Ours | Stock |", "| --- | --- | --- |"]
    for key in ours["first_visit_kb"]:
        rows.append(f"| First visit, {key} (KB) | {ours['first_visit_kb'][key]} |"
                    f" {stock['first_visit_kb'][key]} |")
    for lang in LANGUAGES:
        rows.append(f"| Cold: keystroke to results, {lang} (ms, mobile throttling) |"
                    f" {ours['cold_ms'][lang]} | {stock['cold_ms'][lang]} |")
        rows.append(f"| Warm: keystroke to results, {lang} (ms, mobile throttling) |"
                    f" {ours['warm_ms'][lang]} | {stock['warm_ms'][lang]} |")
    for lang in LANGUAGES:
        o, s = ours["quality"][lang], stock["quality"][lang]
        rows.append(f"| Section in the top 3 shown, {lang} | {o['hits']}/{o['total']} |"
                    f" {s['hits']}/{s['total']} |")
        rows.append(f"| Page in the top 3 pages, {lang} | {o['page_hits']}/{o['total']} |"
                    f" {s['page_hits']}/{s['total']} |")
    for kind, figures in ours.get("lighthouse", {}).items():
        rows.append(f"| Lighthouse mobile, longest {kind} page (median) | {figures['median']}"
                    f" {figures['runs']} | {stock['lighthouse'][kind]['median']}"
                    f" {stock['lighthouse'][kind]['runs']} |")
    return "\n".join(rows)


def over_goal(ours: dict) -> list[str]:
    misses = [f"first visit {k}: {v} KB" for k, v in ours["first_visit_kb"].items()
              if v > GOALS["first_visit_kb"]]
    misses += [f"cold {k}: {v} ms" for k, v in ours["cold_ms"].items() if v > GOALS["cold_ms"]]
    misses += [f"warm {k}: {v} ms" for k, v in ours["warm_ms"].items()
               if v is None or v > GOALS["warm_ms"]]
    misses += [f"section quality {k}: {v['share']:.0%}" for k, v in ours["quality"].items()
               if v["share"] < GOALS["section_share"]]
    misses += [f"Lighthouse {k}: {v['median']}" for k, v in ours.get("lighthouse", {}).items()
               if v["median"] < GOALS["lighthouse"]]
    return misses


if __name__ == "__main__":
    sys.exit(main())
