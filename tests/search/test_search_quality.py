"""Search quality: what readers type shows the section that answers, among the first 3 results.

The queries and their expected sections are in tests/search/queries.yml. Each runs through the
site's own search worker (handbook-search.js, which loads Material's) on the built site
(tests/search/search_site.mjs), per language; at least 90 % must show an expected section among
the first 3 results a reader sees without unfolding anything. The page-level figure (the expected
page among the first 3 pages) is reported too. The figures go to reports/search.json
("quality") and are printed; the misses are listed with the rank the expected section got.
The browser tests (tests/browser/test_search_sections.py) check the same in Chromium, from file://
and over HTTP.
"""

from __future__ import annotations

import json
import re

import pytest
from search_quality import (
    MIN_QUERIES,
    REQUIRED_SECTION_SHARE,
    REQUIRED_SHARE,
    TOP,
    evaluate,
    exact_words,
    holds,
    load_queries,
    run_search,
    search,
)
from support import (
    LANGUAGES,
    ROOT,
    SEARCH_REPORT,
    language_root,
    skip_or_fail,
    update_search_report,
)


def test_queries_file_is_complete(built_site):
    queries = load_queries()
    assert set(queries) == set(LANGUAGES)
    for lang, items in queries.items():
        assert len(items) >= MIN_QUERIES, f"{lang}: {len(items)} queries, at least {MIN_QUERIES}"
        texts = [item["query"] for item in items]
        assert len(set(texts)) == len(texts), f"{lang}: a query is listed twice"
        index = json.loads((language_root(built_site, lang) / "search" / "search_index.json")
                           .read_text(encoding="utf-8"))
        locations = {d["location"] for d in index["docs"]}
        unknown = {loc for item in items for loc in item["expect"]} - locations
        assert not unknown, (f"{lang}: expected sections that the site does not have: {unknown}"
                             " (queries.yml: page#id of an H2 or H3)")


def test_expected_section_is_shown_in_the_top_3(built_site, node, capsys):
    queries = load_queries()
    report = {lang: evaluate(node, built_site, lang, queries[lang]) for lang in LANGUAGES}
    update_search_report("quality", {"top": TOP, "required_share": REQUIRED_SHARE, **report})
    with capsys.disabled():
        print(f"\nsearch quality (expected section among the first {TOP} results shown):")
        for lang, figures in report.items():
            print(f"  {lang}: {figures['hits']}/{figures['total']} ({figures['share']:.0%});"
                  f" page in the top {TOP} pages: {figures['page_hits']}/{figures['total']}")
            for miss in figures["misses"]:
                print(f"    miss {miss['query']!r}: {miss['expect'][0]} at rank {miss['rank']},"
                      f" shown {miss['top']}")
    failed = {lang: f"{f['hits']}/{f['total']}" for lang, f in report.items()
              if f["share"] < REQUIRED_SECTION_SHARE}
    assert not failed, (f"fewer than {REQUIRED_SECTION_SHARE:.0%} of the queries show their"
                        f" section in the top {TOP}: {failed}; misses in"
                        f" {SEARCH_REPORT.relative_to(ROOT)}")
    failed = {lang: f"{f['page_hits']}/{f['total']}" for lang, f in report.items()
              if f["page_share"] < REQUIRED_SHARE}
    assert not failed, (f"fewer than {REQUIRED_SHARE:.0%} of the queries find their page in the"
                        f" top {TOP}: {failed}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_shown_result_marks_a_word_it_holds_missing(built_site, node, lang):
    """Material strikes through the query words a result lacks ("Tidak ada: indeks"). Among the
    results shown for the quality queries (and the issue's own example), none marks missing a
    word that its heading or text holds; the first result shown holds every word whenever
    another result of its page does (handbook-search.js)."""
    queries = [item["query"] for item in load_queries()[lang]]
    queries += {"id": ["indeks basis data", "mengindeks tabel"],
                "en": ["database index", "indexing tables"]}[lang]
    visible = run_search(node, built_site, lang, queries)["visible"]
    wrong = [(query, r["location"], word) for query, results in visible.items()
             for r in results for word in r["missing"]
             if holds(r, word, exact=word.lower() in exact_words(query))]
    assert not wrong, f"marked missing though the result holds the word: {wrong}"
    example = visible[queries[-2]][0]
    assert not example["missing"], f"{queries[-2]!r}: the first result lacks a word: {example}"


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
