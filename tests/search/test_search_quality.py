"""Search quality: what readers type finds the page they expect, among the first 3 results.

The queries and their expected pages are in tests/search/queries.yml. Each runs through Material's
own search worker on the built site (tests/search/search_site.mjs), per language; at least 90 %
must have their page in the top 3. The figures go to reports/search.json ("quality") and are
printed; the misses are listed with the rank the expected page got.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from support import (
    LANGUAGES,
    ROOT,
    SEARCH_REPORT,
    language_root,
    skip_or_fail,
    update_search_report,
)

QUERIES = ROOT / "tests" / "search" / "queries.yml"
SEARCH_SITE = ROOT / "tests" / "search" / "search_site.mjs"
TOP = 3
REQUIRED_SHARE = 0.90
MIN_QUERIES = 30


def load_queries() -> dict[str, list[dict]]:
    """{lang: [{"query": str, "expect": [page.html, ...]}]} from queries.yml."""
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    queries = {}
    for lang, items in data.items():
        queries[lang] = [
            {"query": str(item["query"]),
             "expect": [f"{page}.html" for page in
                        (item["expect"] if isinstance(item["expect"], list) else [item["expect"]])]}
            for item in items
        ]
    return queries


def search(node: str, site, lang: str, queries: list[str]) -> dict[str, list[str]]:
    """Pages found for each query, best first (see search_site.mjs)."""
    result = subprocess.run([node, str(SEARCH_SITE), str(site), lang, *queries],
                            check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)["results"]


def evaluate(node: str, site, lang: str, items: list[dict]) -> dict:
    results = search(node, site, lang, [item["query"] for item in items])
    hits, misses = 0, []
    for item in items:
        pages = results[item["query"]]
        rank = next((n for n, page in enumerate(pages, 1) if page in item["expect"]), None)
        if rank is not None and rank <= TOP:
            hits += 1
        else:
            misses.append({"query": item["query"], "expect": item["expect"], "rank": rank,
                           "top": pages[:TOP]})
    return {"hits": hits, "total": len(items), "share": round(hits / len(items), 3),
            "misses": misses}


def test_queries_file_is_complete(built_site):
    queries = load_queries()
    assert set(queries) == set(LANGUAGES)
    for lang, items in queries.items():
        assert len(items) >= MIN_QUERIES, f"{lang}: {len(items)} queries, at least {MIN_QUERIES}"
        texts = [item["query"] for item in items]
        assert len(set(texts)) == len(texts), f"{lang}: a query is listed twice"
        index = json.loads((language_root(built_site, lang) / "search" / "search_index.json")
                           .read_text(encoding="utf-8"))
        pages = {d["location"].split("#")[0] for d in index["docs"]}
        unknown = {page for item in items for page in item["expect"]} - pages
        assert not unknown, f"{lang}: expected pages that the site does not have: {unknown}"


def test_expected_page_is_in_the_top_3(built_site, node, capsys):
    queries = load_queries()
    report = {lang: evaluate(node, built_site, lang, queries[lang]) for lang in LANGUAGES}
    update_search_report("quality", {"top": TOP, "required_share": REQUIRED_SHARE, **report})
    with capsys.disabled():
        print(f"\nsearch quality (expected page in the top {TOP}):")
        for lang, figures in report.items():
            print(f"  {lang}: {figures['hits']}/{figures['total']} ({figures['share']:.0%})")
            for miss in figures["misses"]:
                print(f"    miss {miss['query']!r}: {miss['expect'][0]} at rank {miss['rank']},"
                      f" top {miss['top']}")
    failed = {lang: f"{f['hits']}/{f['total']}" for lang, f in report.items()
              if f["share"] < REQUIRED_SHARE}
    assert not failed, (f"fewer than {REQUIRED_SHARE:.0%} of the queries find their page in the"
                        f" top {TOP}: {failed}; misses in {SEARCH_REPORT.relative_to(ROOT)}")


@pytest.mark.parametrize(("lang", "query", "without"), [
    ("en", "add a cache", "add cache"),
    ("en", "find the cause of a bug", "find cause bug"),
    ("id", "menyimpan ke cache", "menyimpan cache"),
    ("id", "konfigurasi di lingkungan", "konfigurasi lingkungan"),
])
def test_stop_words_do_not_become_prefix_queries(built_site, node, lang, query, without):
    """Material appends "*" to each query word, so a stop word left in the query would match
    every word it begins (a* -> api, ke* -> keamanan); handbook.search makes the separator
    drop whole stop words from the query, which then ranks as if they were not typed."""
    results = search(node, built_site, lang, [query, without])
    assert results[query] == results[without]


def test_english_stop_words_are_lunrs():
    """handbook/search.py copies the English stop-word list of lunr; it must stay lunr's."""
    from handbook.search import EN_STOP_WORDS

    lunr = ROOT / "node_modules" / "lunr" / "lunr.js"
    if not lunr.is_file():
        skip_or_fail("npm packages missing: run `npm ci` (make test-unit does it)")
    block = re.search(r"lunr\.stopWordFilter = lunr\.generateStopWordFilter\(\[(.*?)\]\)",
                      lunr.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "lunr.js has no English stop-word list where expected"
    assert sorted(EN_STOP_WORDS) == sorted(re.findall(r"'([^']*)'", block.group(1)))
